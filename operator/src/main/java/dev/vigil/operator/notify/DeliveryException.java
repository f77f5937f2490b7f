package dev.vigil.operator.notify;

/** A delivery attempt failed; {@code retryable} when trying again may help (5xx, 429, I/O). */
public final class DeliveryException extends Exception {
  private final boolean retryable;

  public DeliveryException(String message, boolean retryable, Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
  }

  public boolean retryable() {
    return retryable;
  }
}

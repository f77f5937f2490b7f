package dev.vigil.parts;

/** A real part could not be obtained or started; the message says why and where its log is. */
public final class PartStartException extends RuntimeException {
  public PartStartException(String message) {
    super(message);
  }

  public PartStartException(String message, Throwable cause) {
    super(message, cause);
  }
}

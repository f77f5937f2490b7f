package dev.vigil.operator.common;

/**
 * The resource asks for something that can never work as written (a missing field the schema could
 * not require, a rule that does not compile). Reported as {@code Ready=False, reason=InvalidSpec};
 * not retried until the spec changes.
 */
public final class InvalidSpecException extends Exception {
  public InvalidSpecException(String message) {
    super(message);
  }
}

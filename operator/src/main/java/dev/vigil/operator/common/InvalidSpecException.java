package dev.vigil.operator.common;

import dev.vigil.core.rules.RuleException;
import java.util.function.Supplier;

/**
 * The resource asks for something that can never work as written (a missing field the schema could
 * not require, a rule that does not compile). Reported as {@code Ready=False, reason=InvalidSpec};
 * not retried until the spec changes.
 */
public final class InvalidSpecException extends Exception {
  public InvalidSpecException(String message) {
    super(message);
  }

  /**
   * The result of a reading done by core (a duration, a rule definition), whose {@link
   * RuleException} — its message names the field — becomes this exception.
   */
  public static <T> T reading(Supplier<T> read) throws InvalidSpecException {
    try {
      return read.get();
    } catch (RuleException e) {
      throw new InvalidSpecException(e.getMessage());
    }
  }
}

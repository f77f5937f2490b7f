package dev.vigil.core.rules;

/**
 * A rule that cannot be compiled or evaluated, with the construct that failed and, when known, the
 * line of the YAML it came from.
 */
public final class RuleException extends RuntimeException {
  private final int line;

  public RuleException(String message) {
    this(message, -1);
  }

  public RuleException(String message, int line) {
    super(line > 0 ? "line " + line + ": " + message : message);
    this.line = line;
  }

  /** 1-based line of the offending YAML, or -1 when unknown. */
  public int line() {
    return line;
  }
}

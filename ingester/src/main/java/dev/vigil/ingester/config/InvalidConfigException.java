package dev.vigil.ingester.config;

import java.util.List;

/** Start-up fails with this when the configuration is invalid; the message names every key. */
public final class InvalidConfigException extends RuntimeException {
  private final List<String> problems;

  public InvalidConfigException(List<String> problems) {
    super("invalid ingester configuration:\n  " + String.join("\n  ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}

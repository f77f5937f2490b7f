package dev.vigil.core.parse.types;

import dev.vigil.core.LogType;
import dev.vigil.core.parse.LogTypeDetector;
import java.util.Optional;

/** Content detection of one line, for the parser tests. */
final class LogTypeDetectorSupport {
  private LogTypeDetectorSupport() {}

  static Optional<LogType> detect(String firstLine) {
    return LogTypeDetector.fromContent(firstLine + "\n");
  }
}

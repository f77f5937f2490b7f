package dev.vigil.parts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Each part writes its output to {@code <dir>/<part>.log}; the dir is {@code target/vigil-parts}
 * unless configured.
 */
public final class PartLogs {
  private PartLogs() {}

  public static Path directory() {
    Path dir =
        Path.of(System.getProperty("vigil.parts.logs", "target/vigil-parts")).toAbsolutePath();
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create log directory " + dir, e);
    }
  }

  public static Path file(String part) {
    return directory().resolve(part + ".log");
  }

  /** The last lines of a log, for error messages. */
  public static String tail(Path log, int lines) {
    try {
      if (!Files.exists(log)) {
        return "(no log at " + log + ")";
      }
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | java.io.UncheckedIOException e) {
      return "(cannot read " + log + ": " + e.getMessage() + ")";
    }
  }
}

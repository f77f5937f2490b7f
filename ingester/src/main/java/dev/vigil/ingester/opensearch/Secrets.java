package dev.vigil.ingester.opensearch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** A credential given inline (from an env var) or as a file (a mounted Secret key). */
final class Secrets {
  private Secrets() {}

  /** The value, or the file's content without its trailing newline. */
  static String value(Optional<String> inline, Optional<String> file) {
    if (inline.isPresent()) {
      return inline.get();
    }
    Path path = Path.of(file.orElseThrow());
    try {
      return Files.readString(path, StandardCharsets.UTF_8).stripTrailing();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path, e);
    }
  }
}

package dev.vigil.parts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/**
 * Temporary directories of the parts: removed when their part closes, or at the latest when the JVM
 * exits (shared parts are never closed, only killed with the JVM). Left behind, a few hundred test
 * runs fill the disk; {@code make parts} sweeps what killed JVMs leave.
 */
final class ScratchDirs {
  private ScratchDirs() {}

  /** A new directory {@code <java.io.tmpdir>/<prefix>…}, deleted with the JVM. */
  static Path create(String prefix) throws IOException {
    Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), prefix);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir), "vigil-scratch-rm"));
    return dir;
  }

  /** Best effort: a leftover directory is only disk space. */
  static void delete(Path dir) {
    try (var files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // already gone, or not ours to delete
    }
  }
}

package dev.vigil.ingester.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The shared sample logs in {@code ../shared/testdata} next to the repository (real logs written by
 * others; see its MANIFEST.md), read in place. Missing data fails the test.
 */
public final class SharedTestData {
  private SharedTestData() {}

  /** The repository's root directory (the one holding {@code .mvn}). */
  public static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve(".mvn"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("no repository root above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }

  public static Path path(String relative) {
    Path file = repositoryRoot().resolveSibling("shared").resolve("testdata").resolve(relative);
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException("test data file missing: " + file);
    }
    return file;
  }

  public static byte[] bytes(String relative) {
    try {
      return Files.readAllBytes(path(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

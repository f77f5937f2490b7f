package dev.vigil.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The shared sample logs in {@code ../shared/testdata} (real logs written by others; see its
 * MANIFEST.md). Read by path, never copied into the repository. Missing data fails the test: it is
 * never a reason to skip.
 */
public final class TestData {
  private TestData() {}

  public static Path root() {
    Path data =
        dev.vigil.testing.RepositoryRoot.find().resolveSibling("shared").resolve("testdata");
    if (!Files.isDirectory(data)) {
      throw new IllegalStateException("shared test data not found at " + data);
    }
    return data;
  }

  public static Path path(String relative) {
    Path file = root().resolve(relative);
    if (!Files.exists(file)) {
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

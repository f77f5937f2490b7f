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

  public static Path path(String relative) {
    Path file =
        dev.vigil.testing.RepositoryRoot.find()
            .resolveSibling("shared")
            .resolve("testdata")
            .resolve(relative);
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

package dev.vigil.parts;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where downloaded and built parts are kept between runs: {@code $VIGIL_CACHE_DIR} or {@code
 * ~/.cache/vigil}.
 */
public final class VigilCache {
  private VigilCache() {}

  public static Path root() {
    String configured = System.getenv("VIGIL_CACHE_DIR");
    Path root =
        configured != null && !configured.isBlank()
            ? Path.of(configured)
            : Path.of(System.getProperty("user.home"), ".cache", "vigil");
    try {
      return Files.createDirectories(root);
    } catch (java.io.IOException e) {
      throw new PartStartException(
          "cannot create the cache directory " + root + ": " + e.getMessage(), e);
    }
  }

  /** Local Maven repository, where the build puts the OpenSearch distribution. */
  public static Path mavenRepository() {
    String configured = System.getProperty("vigil.m2.repo");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    return Path.of(System.getProperty("user.home"), ".m2", "repository");
  }
}

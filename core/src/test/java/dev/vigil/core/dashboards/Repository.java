package dev.vigil.core.dashboards;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository root (where {@code .mvn} is), for tests reading samples/. */
final class Repository {
  private Repository() {}

  static Path root() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve(".mvn"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("no repository root above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }
}

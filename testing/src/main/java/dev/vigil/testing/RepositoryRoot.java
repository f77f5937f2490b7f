package dev.vigil.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository's root directory (the one holding {@code .mvn}), found from the working dir. */
public final class RepositoryRoot {
  private RepositoryRoot() {}

  public static Path find() {
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

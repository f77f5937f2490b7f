package dev.vigil.cli.demo;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the demo finds what it runs: the repository's CRDs, demo manifests and logs, and the
 * packaged operator and ingester that {@code make demo} builds. The root is the nearest directory
 * above the working directory (or above the vigil jar) holding {@code .mvn}.
 */
public record DemoLayout(Path root, Path state) {
  public static DemoLayout find(Path state) {
    Path root = rootAbove(Path.of("").toAbsolutePath());
    if (root == null) {
      try {
        Path jar =
            Path.of(DemoLayout.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        root = rootAbove(jar.toAbsolutePath());
      } catch (Exception e) {
        root = null;
      }
    }
    if (root == null) {
      throw new DemoException(
          "the demo runs from a Vigil checkout: no directory with .mvn above "
              + Path.of("").toAbsolutePath());
    }
    return new DemoLayout(root, state.toAbsolutePath());
  }

  private static Path rootAbove(Path start) {
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve(".mvn")) && Files.isDirectory(dir.resolve("crds"))) {
        return dir;
      }
    }
    return null;
  }

  public Path crds() {
    return root.resolve("crds");
  }

  public Path manifests() {
    return root.resolve("samples/demo");
  }

  public Path logs() {
    return root.resolve("samples/demo-logs");
  }

  public Path operatorJar() {
    return built("operator/target/quarkus-app/quarkus-run.jar", "operator");
  }

  public Path ingesterJar() {
    return built("ingester/target/quarkus-app/quarkus-run.jar", "ingester");
  }

  public Path operatorImage() {
    return image("operator/target/vigil-operator-image.tar", "operator");
  }

  public Path ingesterImage() {
    return image("ingester/target/vigil-ingester-image.tar", "ingester");
  }

  /**
   * An image built with its module's latest package: one older than the packaged jar holds an
   * earlier build (packaged since without -Dimages), which the node would run instead.
   */
  private Path image(String relative, String module) {
    Path image = built(relative, module);
    Path jar = built(module + "/target/quarkus-app/quarkus-run.jar", module);
    try {
      if (Files.getLastModifiedTime(image).compareTo(Files.getLastModifiedTime(jar)) < 0) {
        throw new DemoException(
            image
                + " is older than "
                + jar
                + ": it holds an earlier build; run 'make images' (or ./mvnw -pl "
                + module
                + " -am package -DskipTests -Dimages)");
      }
    } catch (java.io.IOException e) {
      throw new DemoException("cannot read the modification time of " + image, e);
    }
    return image;
  }

  private Path built(String relative, String module) {
    Path jar = root.resolve(relative);
    if (!Files.isRegularFile(jar)) {
      throw new DemoException(
          jar
              + " is missing: run 'make demo' (it builds first), or ./mvnw -pl "
              + module
              + " -am package -DskipTests");
    }
    return jar;
  }
}

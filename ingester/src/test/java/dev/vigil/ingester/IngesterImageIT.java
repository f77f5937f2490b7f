package dev.vigil.ingester;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testing.AppImageChecks;
import dev.vigil.testing.ImageArchive;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The ingester image the build writes with {@code -Dimages} (target/vigil-ingester-image.tar) is
 * one the operator's ingester Deployments can run: see {@link AppImageChecks}. Runs only in that
 * build (the parent pom's images profile); the archive's path, reference and user come from the
 * pom.
 */
class IngesterImageIT {

  @Test
  void imageRunsTheIngesterAsNonRootWithoutAShell() throws Exception {
    String version = System.getProperty("vigil.version");
    ImageArchive image = ImageArchive.read(Path.of(System.getProperty("vigil.image.archive")));

    assertThat(
            AppImageChecks.problems(
                image,
                System.getProperty("vigil.image"),
                System.getProperty("vigil.image.user"),
                "vigil-ingester-" + version + ".jar",
                List.of("dev.vigil.vigil-core-" + version + ".jar")))
        .isEmpty();
  }
}

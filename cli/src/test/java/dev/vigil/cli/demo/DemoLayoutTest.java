package dev.vigil.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoLayoutTest {
  @TempDir Path root;

  @Test
  void anImageOlderThanItsModulesJarIsRefusedAsAnEarlierBuild() throws Exception {
    Path image =
        file("operator/target/vigil-operator-image.tar", Instant.parse("2026-12-06T07:00:00Z"));
    file("operator/target/quarkus-app/quarkus-run.jar", Instant.parse("2026-12-06T15:00:00Z"));
    DemoLayout layout = new DemoLayout(root, root.resolve("state"));

    assertThatThrownBy(layout::operatorImage)
        .isInstanceOf(DemoException.class)
        .hasMessageContaining(image + " is older than")
        .hasMessageContaining("make images");

    Files.setLastModifiedTime(image, FileTime.from(Instant.parse("2026-12-06T15:00:01Z")));
    assertThat(layout.operatorImage()).isEqualTo(image);
  }

  private Path file(String relative, Instant modified) throws Exception {
    Path path = root.resolve(relative);
    Files.createDirectories(path.getParent());
    Files.write(path, new byte[] {1});
    Files.setLastModifiedTime(path, FileTime.from(modified));
    return path;
  }
}

package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * The shipped {@code vigil.jar} carries the demo's launchers ({@code vigil-parts}) but none of the
 * test harness: {@code vigil-testing} and the test libraries are test scope only. (The shaded jar
 * exists here: failsafe runs after {@code package}.)
 */
class VigilJarIT {
  private static final List<String> TEST_ONLY =
      List.of("dev/vigil/testing/", "org/junit/", "org/assertj/", "org/awaitility/");

  @Test
  void holdsTheDemoLaunchersAndNoTestHarness() throws Exception {
    List<String> entries;
    try (JarFile jar = new JarFile(Path.of("target/vigil.jar").toFile())) {
      entries = jar.stream().map(JarEntry::getName).toList();
    }

    assertThat(entries)
        .as("what the demo runs")
        .contains(
            "dev/vigil/cli/demo/DemoRun.class",
            "dev/vigil/parts/RealParts.class",
            "dev/vigil/parts/scripts/ensure-moto.sh");
    assertThat(entries.stream().filter(e -> TEST_ONLY.stream().anyMatch(e::startsWith)).toList())
        .as(
            "test-only classes in vigil.jar (is vigil-testing or a test library on cli's compile scope?)")
        .isEmpty();
  }
}

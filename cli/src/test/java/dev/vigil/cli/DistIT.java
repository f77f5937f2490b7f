package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testing.RepositoryRoot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code make dist}'s artifact, unpacked outside the checkout, works on its own: the launcher finds
 * its jar, {@code validate} finds the bundled CRDs, and the completion script is there. (The shaded
 * jar exists here: failsafe runs after {@code package}.)
 */
class DistIT {
  @TempDir Path dir;

  @Test
  void theReleaseTarballRunsWithoutTheCheckout() throws Exception {
    Path root = RepositoryRoot.find();
    List<String> lines =
        run(
                root,
                "bash",
                root.resolve("deploy/dist/build-dist.sh").toString(),
                dir.resolve("out").toString())
            .strip()
            .lines()
            .toList();
    String tarball = lines.get(lines.size() - 1);
    assertThat(tarball).endsWith(".tar.gz");
    run(dir, "tar", "-xzf", tarball);
    Path release;
    try (var entries = Files.list(dir)) {
      release =
          entries
              .filter(p -> p.getFileName().toString().startsWith("vigil-"))
              .findFirst()
              .orElseThrow();
    }
    assertThat(release.resolve("completion/vigil.bash")).content().contains("_complete_vigil");
    String vigil = release.resolve("bin/vigil").toString();

    assertThat(run(dir, vigil, "--version")).startsWith("vigil ");
    Path invalid =
        Files.writeString(
            dir.resolve("rule.yaml"),
            """
            apiVersion: siem.vigil.dev/v1alpha1
            kind: DetectionRule
            metadata: {name: two-queries}
            spec: {severity: 2, logType: cloudtrail, query: 'a:b', sigma: 'x'}
            """);
    Process validate =
        new ProcessBuilder(vigil, "validate", invalid.toString())
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .start();
    String output = new String(validate.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(validate.waitFor()).as(output).isEqualTo(1);
    assertThat(output)
        .as("checked against the bundled CRDs' CEL rules")
        .contains("set exactly one of query, dsl or sigma")
        .doesNotContain("CRD schemas not found");
  }

  private static String run(Path cwd, String... command) throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(List.of(command))
            .directory(cwd.toFile())
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(String.join(" ", command) + "\n" + output).isZero();
    return output;
  }
}

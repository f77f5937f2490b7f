package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testing.SyntheticCloudTrail;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * A 200 MB CloudTrail object parses in a JVM with a 64 MB heap: the log core streams, it never
 * holds an object (or its documents) in memory. Runs the real {@code vigil} jar as users do.
 */
class LargeObjectParseIT {
  private static final int EVENTS = 265_000;

  @Test
  void twoHundredMegabyteObjectParsesWithBoundedMemory() throws Exception {
    Path object = Files.createDirectories(Path.of("target")).resolve("large-cloudtrail.json.gz");
    SyntheticCloudTrail.writeGzip(object, EVENTS, 11, Instant.parse("2026-11-27T00:00:00Z"));
    long uncompressed;
    try (var in = new GZIPInputStream(Files.newInputStream(object))) {
      uncompressed = in.transferTo(java.io.OutputStream.nullOutputStream());
    }
    assertThat(uncompressed).isGreaterThan(200_000_000L);

    Path stderr = Path.of("target/large-parse.stderr");
    Process process =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx64m",
                    "-jar",
                    "target/vigil.jar",
                    "parse",
                    "--s3-key",
                    "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/27/large.json.gz",
                    object.toString()))
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(stderr.toFile())
            .start();
    assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();

    String summary = Files.readString(stderr, StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as(summary).isZero();
    assertThat(summary).contains("parsed " + EVENTS + " records, skipped 0, rejected 0");
  }
}

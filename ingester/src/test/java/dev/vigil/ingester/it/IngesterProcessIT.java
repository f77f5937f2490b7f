package dev.vigil.ingester.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.parts.MotoServer;
import dev.vigil.parts.OpenSearchNode;
import dev.vigil.testing.IdSets;
import dev.vigil.testing.RealPartsExtension;
import dev.vigil.testing.SyntheticCloudTrail;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged ingester as its own process, for what only a process can show: a crash (SIGKILL) in
 * the middle of a large object, SIGTERM as Kubernetes sends it, and start-up with a bad
 * configuration. The large object is streamed through a 256 MB heap.
 */
@ExtendWith(RealPartsExtension.class)
class IngesterProcessIT {
  private static final Duration TIMEOUT = Duration.ofMinutes(4);
  private static final int LARGE = 150_000;

  private static Map<String, String> properties(
      AwsSetup aws, OpenSearchNode openSearch, String prefix) {
    Map<String, String> props = new HashMap<>(aws.ingesterProperties());
    props.put("vigil.ingester.opensearch.endpoint", openSearch.uri().toString());
    props.put("vigil.ingester.index-prefix", prefix);
    props.put("vigil.ingester.receive.wait-time", "1s");
    props.put("vigil.ingester.visibility.timeout", "10s");
    return props;
  }

  private static Path largeObject(Path dir, long seed) throws IOException {
    return SyntheticCloudTrail.writeGzip(
        dir.resolve("large-" + seed + ".json.gz"),
        LARGE,
        seed,
        Instant.parse("2026-11-27T00:00:00Z"));
  }

  @Test
  void killedWithSigkillInTheMiddleOfALargeObjectAndRestartedLosesAndDuplicatesNothing(
      MotoServer moto, OpenSearchNode openSearch, @TempDir Path dir) throws IOException {
    AwsSetup aws = new AwsSetup(moto, "proc-kill", Duration.ofSeconds(10));
    Path file = largeObject(dir, 71);
    String key =
        dev.vigil.ingester.support.Objects.cloudTrailKey("2026/11/27", "20261127T0000Z_large");
    Set<String> expected =
        Documents.expectedIds("killed", aws.bucket, key, Files.newInputStream(file));
    assertThat(expected).hasSize(LARGE);
    Map<String, String> props = properties(aws, openSearch, "killed");

    Instant began = Instant.now(); // the scenario: objects in, first ingester started
    IngesterProcess first = IngesterProcess.start("ingester-kill-1", props, "-Xmx256m");
    aws.put(key, file);
    await()
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(250))
        .until(() -> Documents.count(openSearch, "killed-*") > LARGE / 5);
    first.kill();
    long atKill = Documents.count(openSearch, "killed-*");
    assertThat(atKill).as("killed in the middle of the object").isLessThan(LARGE);
    assertThat(aws.messagesLeft()).as("the message was not deleted").isEqualTo(1);

    IngesterProcess second = IngesterProcess.start("ingester-kill-2", props, "-Xmx256m");
    try {
      await()
          .atMost(TIMEOUT)
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> aws.messagesLeft() == 0);
      assertThat(Documents.count(openSearch, "killed-*")).isEqualTo(LARGE);
      IdSets.assertSame(
          "killed-*", Documents.all(openSearch, "killed-*", false).keySet(), expected, began);
      assertThat(second.logText()).contains("received 2 times");
    } finally {
      second.terminate(Duration.ofSeconds(20));
    }
  }

  @Test
  void sigtermReleasesUnfinishedWorkAtOnceForAnotherPodToFinish(
      MotoServer moto, OpenSearchNode openSearch, @TempDir Path dir) throws IOException {
    AwsSetup aws = new AwsSetup(moto, "proc-term", Duration.ofSeconds(60));
    Path file = largeObject(dir, 72);
    String key =
        dev.vigil.ingester.support.Objects.cloudTrailKey("2026/11/27", "20261127T0000Z_term");
    Set<String> expected =
        Documents.expectedIds("terminated", aws.bucket, key, Files.newInputStream(file));
    Map<String, String> props = properties(aws, openSearch, "terminated");
    props.put("vigil.ingester.visibility.timeout", "60s");
    props.put("vigil.ingester.shutdown-grace", "1s");

    Instant began = Instant.now(); // the scenario: objects in, first ingester started
    IngesterProcess first = IngesterProcess.start("ingester-term-1", props, "-Xmx256m");
    aws.put(key, file);
    await()
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(250))
        .until(() -> Documents.count(openSearch, "terminated-*") > LARGE / 10);
    long stopping = System.nanoTime();
    first.terminate(Duration.ofSeconds(30));
    Duration took = Duration.ofNanos(System.nanoTime() - stopping);

    assertThat(took)
        .as("graceful stop within the grace period and some")
        .isLessThan(Duration.ofSeconds(15));
    assertThat(first.logText()).contains("releasing message").contains("stopped polling");
    // Released, not left to its 60 s visibility timeout.
    await().atMost(Duration.ofSeconds(5)).until(() -> aws.visibleMessages() == 1);

    IngesterProcess second = IngesterProcess.start("ingester-term-2", props, "-Xmx256m");
    try {
      await()
          .atMost(TIMEOUT)
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> aws.messagesLeft() == 0);
      IdSets.assertSame(
          "terminated-*",
          Documents.all(openSearch, "terminated-*", false).keySet(),
          expected,
          began);
    } finally {
      second.terminate(Duration.ofSeconds(20));
    }
  }

  /**
   * SIGTERM ends a long poll in progress instead of waiting it out: with {@code receive.wait-time}
   * 20 s (the SQS maximum) and one empty poll already completed (so the next is in progress), an
   * idle ingester must stop within 10 s — half the poll; the JVM's own stop takes a second or two.
   */
  @Test
  void sigtermEndsALongPollInProgress(MotoServer moto, OpenSearchNode openSearch) {
    AwsSetup aws = new AwsSetup(moto, "proc-idle", Duration.ofSeconds(10));
    Map<String, String> props = properties(aws, openSearch, "idle");
    props.put("vigil.ingester.receive.wait-time", "20s");
    IngesterProcess process = IngesterProcess.start("ingester-idle", props);
    try {
      process.awaitReady(TIMEOUT);
      await()
          .atMost(TIMEOUT)
          .pollInterval(Duration.ofMillis(100))
          .until(
              () ->
                  process.metric(
                          "vigil_ingester_aws_calls_total",
                          "operation=\"ReceiveMessage\"",
                          "outcome=\"success\"")
                      > 0);
      long stopping = System.nanoTime();
      process.terminate(Duration.ofSeconds(40));
      Duration took = Duration.ofNanos(System.nanoTime() - stopping);

      assertThat(took)
          .as("stopped without waiting out the poll")
          .isLessThan(Duration.ofSeconds(10));
      assertThat(process.logText()).contains("stopped polling");
    } finally {
      if (process.isAlive()) {
        process.kill();
      }
    }
  }

  @Test
  void invalidConfigurationFailsStartUpNamingEachKey(MotoServer moto, OpenSearchNode openSearch) {
    AwsSetup aws = new AwsSetup(moto, "proc-invalid", Duration.ofSeconds(10));
    Map<String, String> props = properties(aws, openSearch, "invalid");
    props.put("vigil.ingester.queues.logs.log-type", "cloudtrial");
    props.put("vigil.ingester.bulk.max-documents", "0");

    IngesterProcess process = IngesterProcess.start("ingester-invalid", props);

    await().atMost(Duration.ofSeconds(60)).until(() -> !process.isAlive());
    assertThat(process.logText())
        .contains("vigil.ingester.queues.logs.log-type: unknown log type 'cloudtrial'")
        .contains("vigil.ingester.bulk.max-documents: must be at least 1");
  }
}

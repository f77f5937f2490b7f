package dev.vigil.ingester.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.ingester.support.Objects;
import dev.vigil.parts.MotoServer;
import dev.vigil.parts.OpenSearchNode;
import dev.vigil.testing.IdSets;
import dev.vigil.testing.RealPartsExtension;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scan mode of the packaged ingester against a bucket in moto (its notifications are not used) and
 * a real OpenSearch node: objects there before the start and put afterwards — also late, into
 * yesterday's folder — are ingested exactly once; a restarted ingester resumes from its checkpoint
 * in the bucket and reads nothing again.
 */
@ExtendWith(RealPartsExtension.class)
class ScanIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final String INDEX = "scanned";
  private static final String INGESTED = "vigil_ingester_scan_objects_total";
  private static final String PASSES = "vigil_ingester_scan_duration_seconds_count";

  private final LocalDate today = LocalDate.now(ZoneOffset.UTC);
  private final Map<String, JsonNode> expected = new LinkedHashMap<>();
  private AwsSetup aws;
  private long seed;

  private String put(String account, LocalDate day, String time, boolean expectedToArrive) {
    String key =
        "AWSLogs/"
            + account
            + "/CloudTrail/eu-west-1/"
            + day.toString().replace('-', '/')
            + "/"
            + account
            + "_CloudTrail_eu-west-1_"
            + day.toString().replace("-", "")
            + "T"
            + time
            + "Z_scan.json.gz";
    byte[] object = Objects.cloudTrail(20, seed++, Instant.now());
    aws.put(key, object);
    if (expectedToArrive) {
      expected.putAll(Documents.expected(INDEX, aws.bucket, key, object));
    }
    return key;
  }

  private static double passes(IngesterProcess ingester) {
    return ingester.metric(PASSES);
  }

  /** Waits until a pass that started after now has completed. */
  private static void awaitAFreshPass(IngesterProcess ingester) {
    double before = passes(ingester);
    await().atMost(TIMEOUT).until(() -> passes(ingester) >= before + 2);
  }

  @Test
  void objectsBeforeAndAfterTheStartAndLateOnesAreIngestedOnceAndARestartResumes(
      MotoServer moto, OpenSearchNode openSearch) throws Exception {
    aws = new AwsSetup(moto, "scan", Duration.ofSeconds(30));
    put("111111111111", today, "0000", true);
    put("222222222222", today.minusDays(1), "2300", true);
    put("111111111111", today.minusDays(10), "0900", false); // older than the look-back

    Map<String, String> props = new HashMap<>(aws.ingesterProperties());
    props.remove("vigil.ingester.queues.logs.url");
    props.put("vigil.ingester.mode", "scan");
    props.put("vigil.ingester.opensearch.endpoint", openSearch.uri().toString());
    props.put("vigil.ingester.index-prefix", INDEX);
    props.put("vigil.ingester.bulk.flush-interval", "200ms");
    props.put("vigil.ingester.scan.bucket", aws.bucket);
    props.put("vigil.ingester.scan.prefix", "AWSLogs/");
    props.put("vigil.ingester.scan.interval", "1s");
    props.put("vigil.ingester.scan.log-type", "cloudtrail");
    // In the scanned bucket itself: the scan must not take its own checkpoint for a log.
    props.put(
        "vigil.ingester.scan.checkpoint", "s3://" + aws.bucket + "/vigil-checkpoints/scan.json");

    IngesterProcess first = IngesterProcess.start("ingester-scan", props, "-Xmx256m");
    try {
      await().atMost(TIMEOUT).until(() -> Documents.count(openSearch, INDEX + "-*") == 40);
      put("222222222222", today, "2359", true);
      // Late: into yesterday's folder, sorting before the key already ingested there.
      put("222222222222", today.minusDays(1), "0100", true);
      await()
          .atMost(TIMEOUT)
          .until(() -> Documents.count(openSearch, INDEX + "-*") == expected.size());
      awaitAFreshPass(first);
      assertThat(first.metric(INGESTED, "outcome=\"ingested\"")).isEqualTo(4);
      assertThat(first.metric(INGESTED, "outcome=\"failed\"")).isZero();
      assertThat(first.metric("vigil_ingester_scan_lag_seconds")).isGreaterThanOrEqualTo(0);
      IngesterPolicy.assertCallsAllowed(first);
    } finally {
      first.terminate(Duration.ofSeconds(20));
    }
    assertThat(first.logText()).contains("scan starting afresh");
    IdSets.assertSame(
        INDEX + "-*", Documents.all(openSearch, INDEX + "-*", false).keySet(), expected.keySet());

    IngesterProcess second = IngesterProcess.start("ingester-scan-restarted", props, "-Xmx256m");
    try {
      await().atMost(TIMEOUT).until(() -> passes(second) >= 2);
      assertThat(second.metric(INGESTED, "outcome=\"listed\"")).isPositive();
      assertThat(second.metric(INGESTED, "outcome=\"ingested\"")).isZero();
      assertThat(second.metric("vigil_ingester_objects_total")).isZero();
    } finally {
      second.terminate(Duration.ofSeconds(20));
    }
    assertThat(second.logText()).contains("scan resuming from checkpoint");
    // Every pass lists the look-back window's four objects (not the old one) and reads none.
    assertThat(second.logText().lines().filter(l -> l.contains("scan pass completed")))
        .isNotEmpty()
        .allSatisfy(l -> assertThat(l).contains("listed=4 ingested=0 failed=0"));
    assertThat(Documents.count(openSearch, INDEX + "-*")).isEqualTo(expected.size());
  }
}

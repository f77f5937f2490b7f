package dev.vigil.ingester.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.vigil.core.LogType;
import dev.vigil.core.parse.DocumentIds;
import dev.vigil.core.parse.ObjectRef;
import dev.vigil.testing.CloudTrailDelivery;
import dev.vigil.testing.CloudWatchLogsDelivery;
import dev.vigil.testing.MotoServer;
import dev.vigil.testing.OpenSearchNode;
import dev.vigil.testing.RealParts;
import dev.vigil.testing.VpcFlowParquetDelivery;
import dev.vigil.testing.VpcFlowParquetDelivery.Layout;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The delivery paths of the AWS services Vigil reads besides CloudWatch Logs subscriptions (see
 * {@link CloudWatchLogsDeliveryIT}), as AWS documents their bytes and keys — built by the {@code
 * testing} fixtures that cite the pages, never from what an emulator writes — uploaded to S3 (moto)
 * under the documented keys, announced through the bucket's real S3 → SQS notification, and read by
 * the packaged ingester of a LogSource of type {@code auto} (each object's type told from its key
 * and content) into OpenSearch. Each test checks exact ids and contents; nothing is dead-lettered.
 */
class DeliveryPathsIT {
  private static final String PREFIX = "paths";
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final Instant DELIVERED = Instant.parse("2026-11-27T12:05:00Z");

  private static AwsSetup aws;
  private static OpenSearchNode openSearch;
  private static IngesterProcess ingester;
  private static int uploads;

  @BeforeAll
  static void start() {
    MotoServer moto = RealParts.moto();
    openSearch = RealParts.openSearch();
    aws = new AwsSetup(moto, "delivery-paths", Duration.ofSeconds(30));
    Map<String, String> props = new HashMap<>(aws.ingesterProperties());
    props.put("vigil.ingester.opensearch.endpoint", openSearch.uri().toString());
    props.put("vigil.ingester.index-prefix", PREFIX);
    // As the operator configures the ingester of a LogSource with logType auto.
    props.put("vigil.ingester.queues.logs.log-type", "auto");
    props.put("vigil.ingester.receive.wait-time", "1s");
    props.put("vigil.ingester.bulk.flush-interval", "200ms");
    ingester = IngesterProcess.start("ingester-paths", props, "-Xmx256m").awaitReady(TIMEOUT);
  }

  @AfterAll
  static void stop() {
    if (ingester != null) {
      try {
        IngesterPolicy.assertCallsAllowed(ingester);
      } finally {
        ingester.terminate(Duration.ofSeconds(20));
      }
    }
  }

  /** Every object was read to the end, and nothing of it dead-lettered. */
  @AfterEach
  void nothingDeadLettered() {
    awaitEveryObjectRead();
    assertThat(aws.deadLetterKeys()).isEmpty();
    assertThat(ingester.metric("vigil_ingester_records_failed_total")).isZero();
  }

  // VPC Flow Logs' Parquet option (gzip pages, AWS's documented column names and types) under the
  // four documented key layouts: default, hourly, Hive-compatible, Hive-compatible and hourly
  // (https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-path.html).
  @Test
  void vpcFlowLogsParquetIsIndexedUnderEveryKeyLayout() {
    List<String> columns =
        List.of(
            "version",
            "account_id",
            "interface_id",
            "srcaddr",
            "dstaddr",
            "srcport",
            "dstport",
            "protocol",
            "packets",
            "bytes",
            "start",
            "end",
            "action",
            "log_status",
            "vpc_id",
            "flow_direction");
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Map<String, Object> row = new HashMap<>();
      row.put("version", 5);
      row.put("account_id", "123456789012");
      row.put("interface_id", "eni-0f1e2d3c4b5a69788");
      row.put("srcaddr", "10.0.1." + (10 + i));
      row.put("dstaddr", "198.51.100.7");
      row.put("srcport", 49_152 + i);
      row.put("dstport", 443);
      row.put("protocol", 6);
      row.put("packets", 12L + i);
      row.put("bytes", 6_000_000_000L + i);
      row.put("start", 1_795_780_800L + i);
      row.put("end", 1_795_780_860L + i);
      row.put("action", i == 4 ? "REJECT" : "ACCEPT");
      row.put("log_status", "OK");
      row.put("vpc_id", "vpc-0a1b2c3d");
      row.put("flow_direction", i == 3 ? null : "egress");
      rows.add(row);
    }
    byte[] parquet = VpcFlowParquetDelivery.file(columns, rows, Layout.V1_DICTIONARY, 1 << 20);
    DocumentIds ids = new DocumentIds();
    int layout = 0;
    for (boolean hive : new boolean[] {false, true}) {
      for (boolean hourly : new boolean[] {false, true}) {
        String key =
            VpcFlowParquetDelivery.key(
                "123456789012",
                "eu-west-1",
                "fl-0a1b2c3d4e5f67890",
                DELIVERED,
                "a1b2c3d" + layout++,
                hive,
                hourly);
        put(key, parquet);
        Map<String, JsonNode> actual = awaitDocuments(key, rows.size());
        Map<String, Map<String, Object>> expected = new LinkedHashMap<>();
        for (int i = 0; i < rows.size(); i++) {
          // Row i is record line i + 2 (the column names are the header, line 1).
          expected.put(
              "paths-vpcflow-2026.11.27/"
                  + ids.positional(LogType.VPCFLOW, new ObjectRef(aws.bucket, key), i + 2),
              rows.get(i));
        }
        assertThat(actual.keySet()).as(key).containsExactlyInAnyOrderElementsOf(expected.keySet());
        expected.forEach(
            (where, row) -> {
              JsonNode doc = actual.get(where);
              for (String column : columns) {
                Object value = row.get(column);
                if (value == null) {
                  assertThat(doc.has(column)).as(where + " " + column).isFalse();
                } else if (value instanceof String text) {
                  assertThat(doc.path(column).asText()).as(where + " " + column).isEqualTo(text);
                } else {
                  assertThat(doc.path(column).asLong())
                      .as(where + " " + column)
                      .isEqualTo(((Number) value).longValue());
                }
              }
              assertThat(doc.path("@timestamp").asText())
                  .isEqualTo(Instant.ofEpochSecond((Long) row.get("start")).toString());
              assertThat(doc.path("source").path("ip").asText()).isEqualTo(row.get("srcaddr"));
              // The region comes from the key when the record has none.
              assertThat(doc.path("cloud").path("region").asText()).isEqualTo("eu-west-1");
            });
      }
    }
  }

  // An organization trail's log file, its digest file (skipped on purpose: it lists hashes, not
  // events) and an Insights file, gzip-compressed as CloudTrail writes them.
  @Test
  void organizationTrailLogDigestAndInsightsFiles() {
    String org = "o-aa111bb222";
    String member = "111122223333";
    Instant time = Instant.parse("2026-11-27T12:00:05Z");
    String logKey =
        CloudTrailDelivery.logKey(org, member, "CloudTrail", "us-east-1", time, "Ab3dEfGhIjKlMn0p");
    String digestKey =
        CloudTrailDelivery.digestKey(org, member, "us-east-1", "org-trail", time.plusSeconds(3600));
    String insightKey =
        CloudTrailDelivery.logKey(
            org, member, "CloudTrail-Insight", "us-east-1", time, "Zy9xWvUtSrQpOn8m");
    put(
        logKey,
        CloudWatchLogsDelivery.gzip(
            CloudTrailDelivery.logFile(
                CloudTrailDelivery.managementEvent("ct-org-0001", member, time),
                CloudTrailDelivery.managementEvent("ct-org-0002", member, time.plusSeconds(1)))));
    put(
        digestKey,
        CloudWatchLogsDelivery.gzip(
            CloudTrailDelivery.digestFile(member, aws.bucket, logKey, time.plusSeconds(3600))));
    put(
        insightKey,
        CloudWatchLogsDelivery.gzip(
            CloudTrailDelivery.logFile(
                CloudTrailDelivery.insightEvent(
                    "ct-insight-start", "shared-1", member, time, "Start"),
                CloudTrailDelivery.insightEvent(
                    "ct-insight-end", "shared-1", member, time.plusSeconds(60), "End"))));

    Map<String, JsonNode> events = awaitDocuments(logKey, 2);
    assertThat(events.keySet())
        .containsExactlyInAnyOrder(
            "paths-cloudtrail-2026.11.27/ct-org-0001", "paths-cloudtrail-2026.11.27/ct-org-0002");
    assertThat(
            events
                .get("paths-cloudtrail-2026.11.27/ct-org-0001")
                .path("userIdentity")
                .path("arn")
                .asText())
        .isEqualTo("arn:aws:iam::" + member + ":user/Alice");
    Map<String, JsonNode> insights = awaitDocuments(insightKey, 2);
    assertThat(insights.keySet())
        .containsExactlyInAnyOrder(
            "paths-cloudtrail-2026.11.27/ct-insight-start",
            "paths-cloudtrail-2026.11.27/ct-insight-end");
    assertThat(
            insights.get("paths-cloudtrail-2026.11.27/ct-insight-end").path("eventType").asText())
        .isEqualTo("AwsCloudTrailInsight");
    awaitEveryObjectRead();
    assertThat(ofKey(digestKey)).isEmpty();
  }

  private static void awaitEveryObjectRead() {
    await()
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(300))
        .until(
            () ->
                aws.messagesLeft() == 0
                    && ingester.metric("vigil_ingester_objects_total") >= uploads);
  }

  private static void put(String key, byte[] object) {
    aws.put(key, object);
    uploads++;
  }

  private static Map<String, JsonNode> awaitDocuments(String key, int count) {
    await()
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(500))
        .until(() -> ofKey(key).size() >= count);
    return ofKey(key);
  }

  /** "index/id" to source of the documents of one object. */
  private static Map<String, JsonNode> ofKey(String key) {
    JsonNode hits =
        Documents.search(
                openSearch,
                PREFIX + "-*",
                "{\"size\":100,\"query\":{\"term\":{\"vigil.s3.key\":"
                    + TextNode.valueOf(key)
                    + "}}}")
            .path("hits")
            .path("hits");
    Map<String, JsonNode> out = new LinkedHashMap<>();
    for (JsonNode hit : hits) {
      out.put(hit.path("_index").asText() + "/" + hit.path("_id").asText(), hit.path("_source"));
    }
    return out;
  }
}

package dev.vigil.ingester.it;

import static dev.vigil.testing.CloudWatchLogsDelivery.Compression.GZIP;
import static dev.vigil.testing.CloudWatchLogsDelivery.Compression.UNCOMPRESSED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.vigil.core.LogType;
import dev.vigil.core.parse.DocumentIds;
import dev.vigil.core.parse.ObjectRef;
import dev.vigil.parts.MotoServer;
import dev.vigil.parts.OpenSearchNode;
import dev.vigil.parts.RealParts;
import dev.vigil.testing.CloudTrailDelivery;
import dev.vigil.testing.CloudWatchLogsDelivery;
import dev.vigil.testing.CloudWatchLogsDelivery.LogEvent;
import dev.vigil.testing.CloudWatchLogsDelivery.Payload;
import dev.vigil.testing.ServiceLogDelivery;
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

  // WAF straight to S3, through Firehose (records concatenated, GZIP) and through a CloudWatch Logs
  // group subscribed to Vigil's Firehose stream; see ServiceLogDelivery for the pages.
  @Test
  void wafLogsByEachRoute() {
    long millis = 1_795_780_800_000L;
    String s3Key =
        ServiceLogDelivery.wafS3Key("123456789012", "us-east-1", "shop-acl", DELIVERED, "7d1e2f3a");
    String firehoseKey =
        CloudWatchLogsDelivery.firehoseKey(
            "waf/", "aws-waf-logs-shop", DELIVERED, "3b2a1c0d-9e8f-4a7b-8c6d-5e4f3a2b1c0d", GZIP);
    String cwlKey =
        CloudWatchLogsDelivery.firehoseKey(
            "cloudwatch/",
            "vigil-default-cwl",
            DELIVERED,
            "0a0b0c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d",
            UNCOMPRESSED);
    put(
        s3Key,
        CloudWatchLogsDelivery.gzip(
            ServiceLogDelivery.lines(
                ServiceLogDelivery.wafRecord("waf-s3-1", millis, "BLOCK", "203.0.113.9"),
                ServiceLogDelivery.wafRecord("waf-s3-2", millis + 5, "ALLOW", "198.51.100.4"))));
    put(
        firehoseKey,
        CloudWatchLogsDelivery.gzip(
            ServiceLogDelivery.concatenated(
                ServiceLogDelivery.wafRecord("waf-fh-1", millis, "BLOCK", "203.0.113.9"),
                ServiceLogDelivery.wafRecord("waf-fh-2", millis + 1, "COUNT", "203.0.113.10"))));
    Payload payload =
        new Payload(
            "123456789012",
            "aws-waf-logs-shop",
            "us-east-1_shop-acl_0",
            "vigil-default-cwl",
            List.of(
                new LogEvent(
                    "37535271653213296718939488346498457513316411426939961350",
                    millis,
                    ServiceLogDelivery.wafRecord("waf-cwl-1", millis, "BLOCK", "203.0.113.11"))));
    put(cwlKey, CloudWatchLogsDelivery.firehoseObject(UNCOMPRESSED, payload.json()));

    String index = "paths-waf-2026.11.27/";
    assertThat(awaitDocuments(s3Key, 2).keySet())
        .containsExactlyInAnyOrder(index + "waf-s3-1", index + "waf-s3-2");
    assertThat(awaitDocuments(firehoseKey, 2).keySet())
        .containsExactlyInAnyOrder(index + "waf-fh-1", index + "waf-fh-2");
    Map<String, JsonNode> viaLogs = awaitDocuments(cwlKey, 1);
    assertThat(viaLogs.keySet()).containsExactly(index + "waf-cwl-1");
    assertThat(viaLogs.get(index + "waf-cwl-1").path("source").path("ip").asText())
        .isEqualTo("203.0.113.11");
  }

  // GuardDuty and Security Hub EventBridge events through one Firehose stream (concatenated, no
  // newline, GZIP), and GuardDuty's own export (JSON lines).
  @Test
  void findingsThroughEventBridgeAndGuardDutysExport() {
    String streamKey =
        CloudWatchLogsDelivery.firehoseKey(
            "findings/",
            "vigil-default-findings",
            DELIVERED,
            "5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a",
            GZIP);
    String exportKey =
        ServiceLogDelivery.guardDutyExportKey(
            "123456789012", "us-east-1", DELIVERED, "1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e");
    put(
        streamKey,
        CloudWatchLogsDelivery.gzip(
            ServiceLogDelivery.concatenated(
                ServiceLogDelivery.guardDutyEvent(
                    "evt-gd-1",
                    ServiceLogDelivery.guardDutyFinding("gd-1", "2026-11-27T12:00:00.000Z")),
                ServiceLogDelivery.securityHubEvent(
                    "evt-sh-1",
                    ServiceLogDelivery.securityHubFinding("sh-1", "2026-11-27T12:01:00.000Z")))));
    put(
        exportKey,
        CloudWatchLogsDelivery.gzip(
            ServiceLogDelivery.lines(
                ServiceLogDelivery.guardDutyFinding("gd-2", "2026-11-27T12:04:00.000Z"))));

    // Each finding's per-update document, and its latest state under the finding's own id.
    DocumentIds ids = new DocumentIds();
    assertThat(awaitDocuments(streamKey, 4).keySet())
        .containsExactlyInAnyOrder(
            "paths-guardduty-2026.11.27/"
                + ids.natural(LogType.GUARDDUTY, "gd-1", "2026-11-27T12:00:00.000Z"),
            "paths-latest-guardduty/"
                + ids.natural(LogType.GUARDDUTY, "123456789012", "us-east-1", "gd-1"),
            "paths-securityhub-2026.11.27/"
                + ids.natural(LogType.SECURITYHUB, "sh-1", "2026-11-27T12:01:00.000Z"),
            "paths-latest-securityhub/"
                + ids.natural(
                    LogType.SECURITYHUB,
                    "arn:aws:securityhub:us-east-1::product/aws/securityhub",
                    "sh-1"));
    Map<String, JsonNode> exported = awaitDocuments(exportKey, 2);
    String id =
        "paths-guardduty-2026.11.27/"
            + ids.natural(LogType.GUARDDUTY, "gd-2", "2026-11-27T12:04:00.000Z");
    assertThat(exported.keySet())
        .containsExactlyInAnyOrder(
            id,
            "paths-latest-guardduty/"
                + ids.natural(LogType.GUARDDUTY, "123456789012", "us-east-1", "gd-2"));
    assertThat(exported.get(id).path("type").asText())
        .isEqualTo("Recon:EC2/PortProbeUnprotectedPort");
  }

  // ALB access and connection logs, S3 server access logs under both key formats, Route 53
  // Resolver query logs: positional ids, record n being line n.
  @Test
  void lineFormatsUnderTheirDocumentedKeys() {
    String access =
        ServiceLogDelivery.albKey("123456789012", "us-east-2", DELIVERED, false, "2et2e1mx");
    String connections =
        ServiceLogDelivery.albKey("123456789012", "us-east-2", DELIVERED, true, "3fu3f2ny");
    String s3Simple =
        ServiceLogDelivery.s3AccessKey("s3-access/", false, DELIVERED, "A1B2C3D4E5F6A7B8");
    String s3Partitioned =
        ServiceLogDelivery.s3AccessKey("s3-access/", true, DELIVERED, "B1B2C3D4E5F6A7B8");
    String resolver =
        ServiceLogDelivery.resolverKey(
            "123456789012", "vpc-0a1b2c3d4e5f67890", DELIVERED, "71584702");
    put(
        access,
        CloudWatchLogsDelivery.gzip(
            ServiceLogDelivery.lines(
                ServiceLogDelivery.albAccessEntry("2026-11-27T12:00:00.186641Z", "192.0.2.10", 200),
                ServiceLogDelivery.albAccessEntry(
                    "2026-11-27T12:00:01.186641Z", "192.0.2.11", 403))));
    put(
        connections,
        CloudWatchLogsDelivery.gzip(
            ServiceLogDelivery.lines(
                ServiceLogDelivery.albConnectionEntry(
                    "2026-11-27T12:00:00.271839Z", "192.0.2.10", 2817, "Success"))));
    byte[] s3Log =
        ServiceLogDelivery.lines(
            ServiceLogDelivery.s3AccessRecord(
                "27/Nov/2026:12:00:38 +0000", "3E57427F3EXAMPLE", "REST.GET.OBJECT", 200),
            ServiceLogDelivery.s3AccessRecord(
                "27/Nov/2026:12:00:39 +0000", "891CE47D2EXAMPLE", "REST.PUT.OBJECT", 403));
    put(s3Simple, s3Log);
    put(s3Partitioned, s3Log);
    put(
        resolver,
        CloudWatchLogsDelivery.gzip(
            ServiceLogDelivery.lines(
                ServiceLogDelivery.resolverQuery(
                    "2026-11-27T12:00:29Z", "shop.example.com.", "10.0.0.10", 51092))));

    assertPositional(access, LogType.ALB, "paths-alb-2026.11.27/", 2);
    assertPositional(connections, LogType.ALB, "paths-alb-2026.11.27/", 1);
    assertPositional(s3Simple, LogType.S3ACCESS, "paths-s3access-2026.11.27/", 2);
    assertPositional(s3Partitioned, LogType.S3ACCESS, "paths-s3access-2026.11.27/", 2);
    assertPositional(resolver, LogType.ROUTE53RESOLVER, "paths-route53resolver-2026.11.27/", 1);
    JsonNode connection = ofKey(connections).values().iterator().next();
    assertThat(connection.path("tls_verify_status").asText()).isEqualTo("Success");
    assertThat(connection.path("source").path("ip").asText()).isEqualTo("192.0.2.10");
  }

  private static void assertPositional(String key, LogType type, String index, int records) {
    DocumentIds ids = new DocumentIds();
    List<String> expected = new ArrayList<>();
    for (int line = 1; line <= records; line++) {
      expected.add(index + ids.positional(type, new ObjectRef(aws.bucket, key), line));
    }
    assertThat(awaitDocuments(key, records).keySet())
        .as(key)
        .containsExactlyInAnyOrderElementsOf(expected);
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

package dev.vigil.core.parse;

import static dev.vigil.testing.CloudWatchLogsDelivery.Compression.GZIP;
import static dev.vigil.testing.CloudWatchLogsDelivery.Compression.UNCOMPRESSED;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.core.LogType;
import dev.vigil.testing.CloudWatchLogsDelivery;
import dev.vigil.testing.CloudWatchLogsDelivery.LogEvent;
import dev.vigil.testing.CloudWatchLogsDelivery.Payload;
import dev.vigil.testing.ServiceLogDelivery;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each documented delivery path of WAF, GuardDuty, Security Hub, ALB, S3 server access logs and
 * Route 53 Resolver, as {@link ServiceLogDelivery} builds it from the pages it names, read with the
 * type told from the key and the content (a LogSource of type {@code auto}).
 */
class ServiceDeliveryPathsTest {
  private static final Instant TIME = Instant.parse("2026-11-27T12:05:00Z");
  private static final long MILLIS = 1_795_780_800_000L; // 2026-11-27T12:00:00Z

  private static CollectingSink read(byte[] object, String key) {
    CollectingSink sink = CollectingSink.parse(object, new ObjectRef("logs", key), null);
    assertThat(sink.rejections).as(key).isEmpty();
    return sink;
  }

  @Test
  void wafStraightToS3() {
    String key =
        ServiceLogDelivery.wafS3Key("123456789012", "us-east-1", "shop-acl", TIME, "7d1e2f3a");
    byte[] object =
        CloudWatchLogsDelivery.gzip(
            ServiceLogDelivery.lines(
                ServiceLogDelivery.wafRecord("req-1", MILLIS, "BLOCK", "203.0.113.9"),
                ServiceLogDelivery.wafRecord("req-2", MILLIS + 5, "ALLOW", "198.51.100.4")));

    CollectingSink sink = read(object, key);

    assertThat(sink.documents).extracting(ParsedDocument::id).containsExactly("req-1", "req-2");
    assertThat(sink.documents).allMatch(d -> d.type() == LogType.WAF);
    JsonNode blocked = sink.sources().get(0);
    assertThat(blocked.path("source").path("ip").asText()).isEqualTo("203.0.113.9");
    assertThat(blocked.path("event").path("action").asText()).isEqualTo("BLOCK");
    assertThat(blocked.path("@timestamp").asText()).isEqualTo("2026-11-27T12:00:00Z");
  }

  // Firehose concatenates the records WAF sends it, with no delimiter
  // (https://docs.aws.amazon.com/waf/latest/developerguide/logging-kinesis.html,
  // https://docs.aws.amazon.com/firehose/latest/dev/basic-deliver.html).
  @Test
  void wafThroughFirehoseConcatenatedAndGzipped() {
    String key =
        CloudWatchLogsDelivery.firehoseKey(
            "waf/", "aws-waf-logs-shop", TIME, "3b2a1c0d-9e8f-4a7b-8c6d-5e4f3a2b1c0d", GZIP);
    byte[] object =
        CloudWatchLogsDelivery.gzip(
            ServiceLogDelivery.concatenated(
                ServiceLogDelivery.wafRecord("req-3", MILLIS, "BLOCK", "203.0.113.9"),
                ServiceLogDelivery.wafRecord("req-4", MILLIS + 1, "COUNT", "203.0.113.10")));

    assertThat(read(object, key).documents)
        .extracting(ParsedDocument::id)
        .containsExactly("req-3", "req-4");
  }

  // WAF to a CloudWatch Logs group (named aws-waf-logs-…), then the group's subscription to
  // Vigil's Firehose stream: the WAF record is the log event's message
  // (https://docs.aws.amazon.com/waf/latest/developerguide/logging-cw-logs.html).
  @Test
  void wafThroughCloudWatchLogsBecomesWafDocuments() {
    Payload payload =
        new Payload(
            "123456789012",
            "aws-waf-logs-shop",
            "us-east-1_shop-acl_0",
            "vigil-default-cwl",
            List.of(
                new LogEvent(
                    "37535271653213296718939488346498457513316411426939961350",
                    MILLIS,
                    ServiceLogDelivery.wafRecord("req-5", MILLIS, "BLOCK", "203.0.113.11"))));
    String key =
        CloudWatchLogsDelivery.firehoseKey(
            "cloudwatch/",
            "vigil-default-cwl",
            TIME,
            "0a0b0c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d",
            UNCOMPRESSED);

    CollectingSink sink =
        read(CloudWatchLogsDelivery.firehoseObject(UNCOMPRESSED, payload.json()), key);

    assertThat(sink.documents)
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.type()).isEqualTo(LogType.WAF);
              assertThat(d.id()).isEqualTo("req-5");
            });
  }

  // EventBridge → Firehose: events concatenated with no newline, GZIP as Vigil provisions findings
  // streams (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-structure.html).
  @Test
  void findingsThroughEventBridgeAndFirehoseConcatenated() {
    String key =
        CloudWatchLogsDelivery.firehoseKey(
            "findings/",
            "vigil-default-findings",
            TIME,
            "5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a",
            GZIP);
    byte[] object =
        CloudWatchLogsDelivery.gzip(
            ServiceLogDelivery.concatenated(
                ServiceLogDelivery.guardDutyEvent(
                    "evt-gd-1",
                    ServiceLogDelivery.guardDutyFinding(
                        "gd-finding-1", "2026-11-27T12:00:00.000Z")),
                ServiceLogDelivery.securityHubEvent(
                    "evt-sh-1",
                    ServiceLogDelivery.securityHubFinding(
                        "sh-finding-1", "2026-11-27T12:01:00.000Z"),
                    ServiceLogDelivery.securityHubFinding(
                        "sh-finding-2", "2026-11-27T12:02:00.000Z")),
                ServiceLogDelivery.guardDutyEvent(
                    "evt-gd-2",
                    ServiceLogDelivery.guardDutyFinding(
                        "gd-finding-2", "2026-11-27T12:03:00.000Z"))));

    CollectingSink sink = read(object, key);

    DocumentIds ids = new DocumentIds();
    assertThat(sink.documents)
        .extracting(d -> d.type() + "/" + d.id())
        .containsExactlyInAnyOrder(
            "GUARDDUTY/"
                + ids.natural(LogType.GUARDDUTY, "gd-finding-1", "2026-11-27T12:00:00.000Z"),
            "GUARDDUTY/"
                + ids.natural(LogType.GUARDDUTY, "gd-finding-2", "2026-11-27T12:03:00.000Z"),
            "SECURITYHUB/"
                + ids.natural(LogType.SECURITYHUB, "sh-finding-1", "2026-11-27T12:01:00.000Z"),
            "SECURITYHUB/"
                + ids.natural(LogType.SECURITYHUB, "sh-finding-2", "2026-11-27T12:02:00.000Z"));
  }

  @Test
  void guardDutyExportToS3() {
    String key =
        ServiceLogDelivery.guardDutyExportKey(
            "123456789012", "us-east-1", TIME, "1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e");
    byte[] object =
        CloudWatchLogsDelivery.gzip(
            ServiceLogDelivery.lines(
                ServiceLogDelivery.guardDutyFinding("gd-finding-3", "2026-11-27T12:04:00.000Z"),
                ServiceLogDelivery.guardDutyFinding("gd-finding-4", "2026-11-27T12:05:00.000Z")));

    CollectingSink sink = read(object, key);

    DocumentIds ids = new DocumentIds();
    assertThat(sink.documents)
        .extracting(ParsedDocument::id)
        .containsExactly(
            ids.natural(LogType.GUARDDUTY, "gd-finding-3", "2026-11-27T12:04:00.000Z"),
            ids.natural(LogType.GUARDDUTY, "gd-finding-4", "2026-11-27T12:05:00.000Z"));
  }

  @Test
  void albAccessAndConnectionLogs() {
    String accessKey =
        ServiceLogDelivery.albKey("123456789012", "us-east-2", TIME, false, "2et2e1mx");
    String connectionKey =
        ServiceLogDelivery.albKey("123456789012", "us-east-2", TIME, true, "3fu3f2ny");
    CollectingSink access =
        read(
            CloudWatchLogsDelivery.gzip(
                ServiceLogDelivery.lines(
                    ServiceLogDelivery.albAccessEntry(
                        "2026-11-27T12:00:00.186641Z", "192.0.2.10", 200),
                    ServiceLogDelivery.albAccessEntry(
                        "2026-11-27T12:00:01.186641Z", "192.0.2.11", 403))),
            accessKey);
    CollectingSink connections =
        read(
            CloudWatchLogsDelivery.gzip(
                ServiceLogDelivery.lines(
                    ServiceLogDelivery.albConnectionEntry(
                        "2026-11-27T12:00:00.271839Z", "192.0.2.10", 2817, "Success"),
                    ServiceLogDelivery.albConnectionEntry(
                        "2026-11-27T12:00:02.271839Z",
                        "192.0.2.12",
                        3001,
                        "Failed:UnmappedConnectionError"))),
            connectionKey);

    assertThat(access.sources())
        .extracting(d -> d.path("elb_status_code").asInt())
        .containsExactly(200, 403);
    assertThat(connections.documents).hasSize(2).allMatch(d -> d.type() == LogType.ALB);
    JsonNode failed = connections.sources().get(1);
    assertThat(failed.path("client_ip").asText()).isEqualTo("192.0.2.12");
    assertThat(failed.path("source").path("port").asInt()).isEqualTo(3001);
    assertThat(failed.path("tls_verify_status").asText())
        .isEqualTo("Failed:UnmappedConnectionError");
    assertThat(failed.path("event").path("outcome").asText()).isEqualTo("failure");
    assertThat(failed.path("event").path("category").asText()).isEqualTo("network");
    assertThat(failed.path("@timestamp").asText()).isEqualTo("2026-11-27T12:00:02.271839Z");
    assertThat(failed.path("cloud").path("region").asText()).isEqualTo("us-east-2");
  }

  @Test
  void s3ServerAccessLogsUnderBothKeyFormats() {
    byte[] object =
        ServiceLogDelivery.lines(
            ServiceLogDelivery.s3AccessRecord(
                "27/Nov/2026:12:00:38 +0000", "3E57427F3EXAMPLE", "REST.GET.OBJECT", 200),
            ServiceLogDelivery.s3AccessRecord(
                "27/Nov/2026:12:00:39 +0000", "891CE47D2EXAMPLE", "REST.PUT.OBJECT", 403));
    for (String key :
        List.of(
            ServiceLogDelivery.s3AccessKey("s3-access/", false, TIME, "A1B2C3D4E5F6A7B8"),
            ServiceLogDelivery.s3AccessKey("s3-access/", true, TIME, "A1B2C3D4E5F6A7B8"),
            ServiceLogDelivery.s3AccessKey("", false, TIME, "A1B2C3D4E5F6A7B8"))) {
      CollectingSink sink = read(object, key);

      assertThat(sink.documents).as(key).hasSize(2).allMatch(d -> d.type() == LogType.S3ACCESS);
      assertThat(sink.sources().get(1).path("@timestamp").asText())
          .isEqualTo("2026-11-27T12:00:39Z");
    }
  }

  @Test
  void route53ResolverQueryLogsInS3() {
    String key =
        ServiceLogDelivery.resolverKey("123456789012", "vpc-0a1b2c3d4e5f67890", TIME, "71584702");
    byte[] object =
        CloudWatchLogsDelivery.gzip(
            ServiceLogDelivery.lines(
                ServiceLogDelivery.resolverQuery(
                    "2026-11-27T12:00:29Z", "shop.example.com.", "10.0.0.10", 51092),
                ServiceLogDelivery.resolverQuery(
                    "2026-11-27T12:00:30Z", "evil.example.", "10.0.0.11", 51093)));

    CollectingSink sink = read(object, key);

    assertThat(sink.documents).hasSize(2).allMatch(d -> d.type() == LogType.ROUTE53RESOLVER);
    assertThat(sink.sources().get(1).path("query_name").asText()).isEqualTo("evil.example.");
    assertThat(sink.sources().get(1).path("source").path("ip").asText()).isEqualTo("10.0.0.11");
  }

  // Query logging to a CloudWatch Logs group (then Vigil's subscription), and to a Firehose stream
  // whose records carry no delimiter
  // (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-query-logs-choosing-target-resource.html).
  @Test
  void route53ResolverQueryLogsThroughCloudWatchLogsAndFirehose() {
    Payload payload =
        new Payload(
            "123456789012",
            "/aws/route53/resolver-queries",
            "vpc-0a1b2c3d4e5f67890_i-0d15cd0d3f6fb0c31",
            "vigil-default-cwl",
            List.of(
                new LogEvent(
                    "37535271653213296718939488346498457513316411426939961360",
                    MILLIS,
                    ServiceLogDelivery.resolverQuery(
                        "2026-11-27T12:00:00Z", "shop.example.com.", "10.0.0.10", 51092))));
    String cwlKey =
        CloudWatchLogsDelivery.firehoseKey(
            "cloudwatch/",
            "vigil-default-cwl",
            TIME,
            "9a9b9c9d-1e2f-4a3b-8c4d-5e6f7a8b9c0d",
            UNCOMPRESSED);
    String firehoseKey =
        CloudWatchLogsDelivery.firehoseKey(
            "dns/", "resolver-queries", TIME, "8a8b8c8d-1e2f-4a3b-8c4d-5e6f7a8b9c0d", GZIP);

    CollectingSink viaLogs =
        read(CloudWatchLogsDelivery.firehoseObject(UNCOMPRESSED, payload.json()), cwlKey);
    CollectingSink viaFirehose =
        read(
            CloudWatchLogsDelivery.gzip(
                ServiceLogDelivery.concatenated(
                    ServiceLogDelivery.resolverQuery(
                        "2026-11-27T12:00:01Z", "a.example.", "10.0.0.12", 1),
                    ServiceLogDelivery.resolverQuery(
                        "2026-11-27T12:00:02Z", "b.example.", "10.0.0.13", 2))),
            firehoseKey);

    assertThat(viaLogs.documents)
        .singleElement()
        .satisfies(d -> assertThat(d.type()).isEqualTo(LogType.ROUTE53RESOLVER));
    assertThat(viaFirehose.sources())
        .extracting(d -> d.path("query_name").asText())
        .containsExactly("a.example.", "b.example.");
    assertThat(viaFirehose.documents).allMatch(d -> d.type() == LogType.ROUTE53RESOLVER);
  }
}

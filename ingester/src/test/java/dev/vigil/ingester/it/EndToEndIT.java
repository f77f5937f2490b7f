package dev.vigil.ingester.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.vigil.ingester.support.SharedTestData;
import dev.vigil.parts.MotoServer;
import dev.vigil.parts.OpenSearchNode;
import dev.vigil.parts.RealParts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged ingester, configured by env vars, against moto (real S3 → SQS notifications) and
 * OpenSearch: each log type arrives exactly as {@code vigil parse} parses the same object — same
 * indices, ids and sources, nothing more.
 */
class EndToEndIT {
  private static final String PREFIX = "e2e";
  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  private static AwsSetup aws;
  private static OpenSearchNode openSearch;
  private static IngesterProcess ingester;

  @BeforeAll
  static void start() {
    MotoServer moto = RealParts.moto();
    openSearch = RealParts.openSearch();
    aws = new AwsSetup(moto, "e2e", Duration.ofSeconds(30));
    Map<String, String> props = new HashMap<>(aws.ingesterProperties());
    props.put("vigil.ingester.opensearch.endpoint", openSearch.uri().toString());
    props.put("vigil.ingester.index-prefix", PREFIX);
    props.put("vigil.ingester.receive.wait-time", "1s");
    props.put("vigil.ingester.bulk.flush-interval", "200ms");
    ingester = IngesterProcess.start("ingester-e2e", props, "-Xmx256m").awaitReady(TIMEOUT);
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

  @Test
  void cloudTrailJsonGzAnnouncedByS3IsSearchableExactlyAsParsed() {
    String key =
        "AWSLogs/123456789012/CloudTrail/us-east-1/2026/11/27/"
            + "123456789012_CloudTrail_us-east-1_20261127T1005Z_e2e.json.gz";
    byte[] object =
        gzip(SharedTestData.bytes("centralized-logging-with-opensearch/cloudtrail/cloudtrail.log"));

    aws.put(key, object);

    assertArrivesExactly(key, object, 4);
    assertThat(
            ingester.metric(
                "vigil_ingester_objects_total", "type=\"cloudtrail\"", "outcome=\"indexed\""))
        .isEqualTo(1);
  }

  @Test
  void vpcFlowObjectWithACustomHeaderIsSearchableExactlyAsParsed() {
    String key =
        "AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/11/27/"
            + "123456789012_vpcflowlogs_us-east-1_fl-0123456789abcdef0_20261127T1005Z_e2e.log.gz";
    byte[] object =
        gzip(
            SharedTestData.bytes(
                "awsdocs-vpc-user-guide/vpcflow/custom-nat-gateway-no-version.log"));

    aws.put(key, object);

    assertArrivesExactly(key, object, 6);
  }

  @Test
  void wafFirehoseObjectIsSearchableExactlyAsParsed() {
    // Firehose concatenates the records of a buffer without separators and names the object after
    // the delivery stream.
    String concatenated =
        new String(
                SharedTestData.bytes("centralized-logging-with-opensearch/waf/waf.log"),
                StandardCharsets.UTF_8)
            .lines()
            .filter(l -> !l.isBlank())
            .collect(Collectors.joining());
    String key =
        "firehose/waf/2026/11/27/10/aws-waf-logs-vigil-1-2026-11-27-10-00-00-0b3c7e1a-e2e.gz";
    byte[] object = gzip(concatenated.getBytes(StandardCharsets.UTF_8));

    aws.put(key, object);

    assertArrivesExactly(key, object, 2);
  }

  @Test
  void securityHubEventBridgePayloadIsSearchableExactlyAsParsed() {
    String key =
        "eventbridge/securityhub/2026/11/27/10/vigil-findings-1-2026-11-27-10-00-00-e2e.gz";
    byte[] object =
        gzip(
            SharedTestData.bytes(
                "automated-security-response-on-aws/securityhub-asff/eventbridge/"
                    + "source__playbooks__AFSBP__test__test_data__afsbp_rds6.json"));

    aws.put(key, object);

    // The finding's per-update document and its latest state.
    assertArrivesExactly(key, object, 2);
  }

  @Test
  void objectsAnnouncedThroughSnsAndEventBridgeEnvelopesAreIngestedToo() throws IOException {
    // Put with the notification going nowhere we care about, then announce it the other ways.
    String snsKey = "AWSLogs/123456789012/CloudTrail/us-east-1/2026/11/28/sns wrapped+1.json.gz";
    String ebKey = "AWSLogs/123456789012/CloudTrail/us-east-1/2026/11/28/event bridge.json.gz";
    byte[] sns =
        gzip(
            dev.vigil.testing.SyntheticCloudTrail.object(
                    40, 21, java.time.Instant.parse("2026-11-28T01:00:00Z"))
                .readAllBytes());
    byte[] eb =
        gzip(
            dev.vigil.testing.SyntheticCloudTrail.object(
                    30, 22, java.time.Instant.parse("2026-11-28T02:00:00Z"))
                .readAllBytes());
    aws.s3.putObject(
        p -> p.bucket(aws.bucket).key(snsKey),
        software.amazon.awssdk.core.sync.RequestBody.fromBytes(sns));
    aws.s3.putObject(
        p -> p.bucket(aws.bucket).key(ebKey),
        software.amazon.awssdk.core.sync.RequestBody.fromBytes(eb));

    String s3Event =
        "{\"Records\":[{\"eventSource\":\"aws:s3\",\"eventName\":\"ObjectCreated:Put\",\"s3\":{\"bucket\":{\"name\":\""
            + aws.bucket
            + "\"},\"object\":{\"key\":\""
            + java.net.URLEncoder.encode(snsKey, StandardCharsets.UTF_8)
            + "\",\"size\":1}}}]}";
    aws.send(
        "{\"Type\":\"Notification\",\"MessageId\":\"e2e\",\"TopicArn\":\"arn:aws:sns:us-east-1:123456789012:logs\","
            + "\"Message\":"
            + TextNode.valueOf(s3Event)
            + "}");
    aws.send(
        "{\"version\":\"0\",\"id\":\"e2e\",\"detail-type\":\"Object Created\",\"source\":\"aws.s3\","
            + "\"account\":\"123456789012\",\"region\":\"us-east-1\",\"detail\":{\"bucket\":{\"name\":\""
            + aws.bucket
            + "\"},\"object\":{\"key\":\""
            + java.net.URLEncoder.encode(ebKey, StandardCharsets.UTF_8)
            + "\",\"size\":1},\"reason\":\"PutObject\"}}");

    assertArrivesExactly(snsKey, sns, 40);
    assertArrivesExactly(ebKey, eb, 30);
  }

  /** The documents of {@code key} in OpenSearch are exactly the parser's, sources included. */
  private static void assertArrivesExactly(String key, byte[] object, int expectedCount) {
    Map<String, JsonNode> expected = Documents.expected(PREFIX, aws.bucket, key, object);
    assertThat(expected.keySet()).as("parser output for %s", key).hasSize(expectedCount);
    await()
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(500))
        .until(() -> ofKey(key).size() >= expected.size());
    Map<String, JsonNode> actual = ofKey(key);
    assertThat(actual.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
    expected.forEach((where, source) -> assertThat(actual.get(where)).as(where).isEqualTo(source));
  }

  private static Map<String, JsonNode> ofKey(String key) {
    return Documents.all(openSearch, PREFIX + "-*", true).entrySet().stream()
        .filter(e -> key.equals(e.getValue().path("vigil").path("s3").path("key").asText()))
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
  }

  static byte[] gzip(byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(content);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}

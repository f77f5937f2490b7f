package dev.vigil.ingester.it;

import static dev.vigil.testing.CloudWatchLogsDelivery.Compression.GZIP;
import static dev.vigil.testing.CloudWatchLogsDelivery.Compression.UNCOMPRESSED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.core.LogType;
import dev.vigil.core.parse.DocumentIds;
import dev.vigil.core.parse.ObjectRef;
import dev.vigil.parts.MotoServer;
import dev.vigil.parts.OpenSearchNode;
import dev.vigil.parts.RealParts;
import dev.vigil.testing.CloudWatchLogsDelivery;
import dev.vigil.testing.CloudWatchLogsDelivery.Compression;
import dev.vigil.testing.CloudWatchLogsDelivery.LogEvent;
import dev.vigil.testing.CloudWatchLogsDelivery.Payload;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CloudWatch Logs subscriptions as AWS delivers them — built from the documented formats by {@link
 * CloudWatchLogsDelivery} (each test names the page), never from what the emulator's Firehose
 * writes — uploaded to S3 (moto) under the keys Firehose writes, announced through the bucket's
 * real S3 → SQS notification, and read by the packaged ingester, configured as the operator
 * configures it for a {@code cloudwatch} LogSource, into OpenSearch. Each test checks the exact
 * document ids and contents; control messages are neither indexed nor dead-lettered.
 */
class CloudWatchLogsDeliveryIT {
  private static final String PREFIX = "cwl";
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final Instant DELIVERED = Instant.parse("2026-11-27T12:05:09Z");
  private static final Payload APP =
      new Payload(
          "123456789012",
          "/aws/lambda/checkout",
          "2026/11/27/[$LATEST]94fa867e5374431291a7fc14e2f56ae7",
          "vigil-default-cwl",
          List.of(
              new LogEvent(
                  "37535271653213296718939488346498457513316411426939961344",
                  1795780800000L,
                  "START RequestId: 6234bffe-149a-b642-81ff-2e8e376d8aff Version: $LATEST"),
              new LogEvent(
                  "37535271653213296718939488346498457513316411426939961345",
                  1795780800046L,
                  "REPORT RequestId: 6234bffe-149a-b642-81ff-2e8e376d8aff\tDuration: 46.84 ms")));
  private static final Payload API =
      new Payload(
          "210987654321",
          "api-gateway-access",
          "stream-2",
          "vigil-default-cwl",
          List.of(
              new LogEvent(
                  "37535271653213296718939488346498457513316411426939961346",
                  1795867201000L,
                  "{\"requestId\":\"c6af9ac6-7b61-11e6-9a41-93e8deadbeef\",\"status\":\"403\"}")));

  private static AwsSetup aws;
  private static OpenSearchNode openSearch;
  private static IngesterProcess ingester;
  private static int uploads;
  // Records a test deliberately makes unreadable; every other one must reach OpenSearch.
  private static int expectedDeadLetters;

  @BeforeAll
  static void start() {
    MotoServer moto = RealParts.moto();
    openSearch = RealParts.openSearch();
    aws = new AwsSetup(moto, "cwl-delivery", Duration.ofSeconds(30));
    Map<String, String> props = new HashMap<>(aws.ingesterProperties());
    props.put("vigil.ingester.opensearch.endpoint", openSearch.uri().toString());
    props.put("vigil.ingester.index-prefix", PREFIX);
    // As the operator configures the ingester of a LogSource with logType cloudwatch.
    props.put("vigil.ingester.queues.logs.log-type", "cloudwatch");
    props.put("vigil.ingester.receive.wait-time", "1s");
    props.put("vigil.ingester.bulk.flush-interval", "200ms");
    ingester = IngesterProcess.start("ingester-cwl", props, "-Xmx256m").awaitReady(TIMEOUT);
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

  /**
   * Every object was read to the end, and nothing of it (control messages least) dead-lettered but
   * what a test made unreadable on purpose.
   */
  @AfterEach
  void nothingElseDeadLettered() {
    awaitEveryObjectRead();
    assertThat(aws.deadLetterKeys()).hasSize(expectedDeadLetters);
    assertThat(ingester.metric("vigil_ingester_records_failed_total"))
        .isEqualTo(expectedDeadLetters);
  }

  // Firehose with GZIP compression (what Vigil provisioned before): CloudWatch Logs' gzip records
  // (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/SubscriptionFilters.html),
  // concatenated (https://docs.aws.amazon.com/firehose/latest/dev/basic-deliver.html) and gzipped
  // again, under <prefix>YYYY/MM/dd/HH/<stream>-<version>-<time>-<uuid>.gz
  // (https://docs.aws.amazon.com/firehose/latest/dev/s3-object-name.html).
  @Test
  void gzipFirehoseObjectOfGzipRecordsIsIndexedEventByEvent() {
    String key = firehoseKey(GZIP, "6f1c0a7e-1b1e-4c55-8f0e-5a3c1d2b9e01");
    put(
        key,
        CloudWatchLogsDelivery.firehoseObject(
            GZIP, CloudWatchLogsDelivery.controlMessage(), APP.json(), API.json()));

    assertEnvelopedEvents(key);
  }

  // What Vigil provisions now: no second compression, the gzip records back to back.
  @Test
  void uncompressedFirehoseObjectIsIndexedEventByEvent() {
    String key = firehoseKey(UNCOMPRESSED, "0d7a3b5c-2e4f-4a6b-8c9d-1e2f3a4b5c6d");
    put(
        key,
        CloudWatchLogsDelivery.firehoseObject(
            UNCOMPRESSED, APP.json(), CloudWatchLogsDelivery.controlMessage(), API.json()));

    assertEnvelopedEvents(key);
  }

  // Decompression on, message extraction off, newline delimiter, GZIP
  // (https://docs.aws.amazon.com/firehose/latest/dev/writing-with-cloudwatch-logs.html).
  @Test
  void firehoseDecompressionOutputIsIndexedEventByEvent() {
    String key = firehoseKey(GZIP, "9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d");
    put(
        key,
        CloudWatchLogsDelivery.firehoseDecompressed(
            GZIP, true, APP.json(), CloudWatchLogsDelivery.controlMessage(), API.json()));

    assertEnvelopedEvents(key);
  }

  // Decompression and message extraction on: the messages only, one per line
  // (https://docs.aws.amazon.com/firehose/latest/dev/Message_extraction.html).
  @Test
  void extractedMessagesAreIndexedWithFirehosesDeliveryTime() {
    String key = firehoseKey(UNCOMPRESSED, "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d");
    put(
        key,
        CloudWatchLogsDelivery.firehoseExtracted(
            UNCOMPRESSED,
            List.of(
                APP.events().get(0).message(),
                CloudWatchLogsDelivery.CONTROL_MESSAGE_TEXT,
                API.events().get(0).message())));

    DocumentIds ids = new DocumentIds();
    ObjectRef origin = new ObjectRef(aws.bucket, key);
    Map<String, JsonNode> actual = awaitDocuments(key, 2);
    String first = "cwl-cloudwatch-2026.11.27/" + ids.positional(LogType.CLOUDWATCH, origin, 1);
    String third = "cwl-cloudwatch-2026.11.27/" + ids.positional(LogType.CLOUDWATCH, origin, 3);
    assertThat(actual.keySet()).containsExactlyInAnyOrder(first, third);
    assertThat(actual.get(first).path("message").asText()).isEqualTo(APP.events().get(0).message());
    assertThat(actual.get(first).path("@timestamp").asText()).isEqualTo("2026-11-27T12:05:09Z");
    assertThat(actual.get(third).path("json").path("status").asText()).isEqualTo("403");
    assertThat(actual.get(third).has("logGroup")).as("extraction drops the envelope").isFalse();
  }

  // A Lambda function subscribed to the log group that archives its events to S3
  // (https://docs.aws.amazon.com/lambda/latest/dev/services-cloudwatchlogs.html), and one reading
  // the subscription's Kinesis data stream
  // (https://docs.aws.amazon.com/lambda/latest/dev/with-kinesis.html).
  @Test
  void lambdaAndKinesisEventsAreIndexedEventByEvent() {
    String lambdaKey = "lambda-events/2026/11/27/cwl-event-1.json";
    String kinesisKey = "kinesis-events/2026/11/27/cwl-records-1.json";
    put(lambdaKey, CloudWatchLogsDelivery.lambdaEvent(APP.json()));
    put(
        kinesisKey,
        CloudWatchLogsDelivery.kinesisLambdaEvent(
            "arn:aws:kinesis:us-east-1:123456789012:stream/vigil-cwl",
            CloudWatchLogsDelivery.controlMessage(),
            API.json()));

    assertThat(awaitDocuments(lambdaKey, 2).keySet())
        .containsExactlyInAnyOrder(
            "cwl-cloudwatch-2026.11.27/" + APP.events().get(0).id(),
            "cwl-cloudwatch-2026.11.27/" + APP.events().get(1).id());
    Map<String, JsonNode> kinesis = awaitDocuments(kinesisKey, 1);
    assertThat(kinesis.keySet())
        .containsExactly("cwl-cloudwatch-2026.11.28/" + API.events().get(0).id());
    assertThat(kinesis.values().iterator().next().path("cloud").path("account").path("id").asText())
        .isEqualTo("210987654321");
  }

  // A log event's time re-exported as ISO-8601 text is read; one that is no time at all is
  // dead-lettered with the reason, its neighbours indexed.
  @Test
  void isoTimesAreReadAndAnUnreadableTimeIsDeadLetteredWithItsReason() {
    String key = firehoseKey(UNCOMPRESSED, "7e7e7e7e-1111-4222-8333-444455556666");
    String payload =
        "{\"messageType\":\"DATA_MESSAGE\",\"owner\":\"123456789012\",\"logGroup\":\"app\","
            + "\"logStream\":\"s\",\"subscriptionFilters\":[\"vigil-default-cwl\"],\"logEvents\":["
            + "{\"id\":\"iso-1\",\"timestamp\":\"2026-11-27T12:00:00.046Z\",\"message\":\"a\"},"
            + "{\"id\":\"bad-2\",\"timestamp\":\"teatime\",\"message\":\"b\"}]}";
    put(
        key,
        CloudWatchLogsDelivery.firehoseObject(
            UNCOMPRESSED, payload.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    expectedDeadLetters = 1;

    assertThat(awaitDocuments(key, 1).keySet()).containsExactly("cwl-cloudwatch-2026.11.27/iso-1");
    awaitEveryObjectRead();
    String letter = aws.deadLetterObject(aws.deadLetterKeys().get(0));
    assertThat(letter)
        .contains(key)
        .contains(
            "log event timestamp must be epoch milliseconds or an ISO-8601 time, found a string"
                + " 'teatime'");
  }

  // The control message CloudWatch Logs sends when the subscription is made can be the only record
  // of a Firehose buffer.
  @Test
  void objectHoldingOnlyAControlMessageIsReadAndLeavesNothing() {
    String key = firehoseKey(UNCOMPRESSED, "c0c0c0c0-1111-4222-8333-444455556666");
    put(
        key,
        CloudWatchLogsDelivery.firehoseObject(
            UNCOMPRESSED, CloudWatchLogsDelivery.controlMessage()));

    awaitEveryObjectRead();
    assertThat(ofKey(key)).isEmpty();
  }

  private static void assertEnvelopedEvents(String key) {
    Map<String, JsonNode> actual = awaitDocuments(key, 3);
    Map<String, Object[]> expected = new LinkedHashMap<>();
    for (Payload payload : List.of(APP, API)) {
      for (LogEvent event : payload.events()) {
        String day = Instant.ofEpochMilli(event.timestamp()).toString().substring(0, 10);
        expected.put(
            "cwl-cloudwatch-" + day.replace('-', '.') + "/" + event.id(),
            new Object[] {payload, event});
      }
    }
    assertThat(actual.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
    expected.forEach(
        (where, pair) -> {
          Payload payload = (Payload) pair[0];
          LogEvent event = (LogEvent) pair[1];
          JsonNode doc = actual.get(where);
          assertThat(doc.path("message").asText()).as(where).isEqualTo(event.message());
          assertThat(doc.path("timestamp").asLong()).as(where).isEqualTo(event.timestamp());
          assertThat(doc.path("@timestamp").asText())
              .as(where)
              .isEqualTo(Instant.ofEpochMilli(event.timestamp()).toString());
          assertThat(doc.path("logGroup").asText()).as(where).isEqualTo(payload.logGroup());
          assertThat(doc.path("logStream").asText()).as(where).isEqualTo(payload.logStream());
          assertThat(doc.path("cloud").path("account").path("id").asText())
              .as(where)
              .isEqualTo(payload.owner());
          assertThat(doc.path("vigil").path("s3").path("key").asText()).isEqualTo(key);
        });
  }

  private static void awaitEveryObjectRead() {
    await()
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(300))
        .until(
            () ->
                aws.messagesLeft() == 0
                    && ingester.metric("vigil_ingester_objects_total", "type=\"cloudwatch\"")
                        >= uploads);
  }

  private static String firehoseKey(Compression compression, String uuid) {
    return CloudWatchLogsDelivery.firehoseKey(
        "cloudwatch/", "vigil-default-cwl", DELIVERED, uuid, compression);
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

  /** "index/id" to source of the documents of one object (a plain search: polled often). */
  private static Map<String, JsonNode> ofKey(String key) {
    JsonNode hits =
        Documents.search(
                openSearch,
                PREFIX + "-*",
                "{\"size\":100,\"query\":{\"term\":{\"vigil.s3.key\":"
                    + com.fasterxml.jackson.databind.node.TextNode.valueOf(key)
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

package dev.vigil.core.parse;

import static dev.vigil.testing.CloudWatchLogsDelivery.Compression.GZIP;
import static dev.vigil.testing.CloudWatchLogsDelivery.Compression.UNCOMPRESSED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.vigil.core.LogType;
import dev.vigil.testing.CloudWatchLogsDelivery;
import dev.vigil.testing.CloudWatchLogsDelivery.Compression;
import dev.vigil.testing.CloudWatchLogsDelivery.LogEvent;
import dev.vigil.testing.CloudWatchLogsDelivery.Payload;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every way a CloudWatch Logs subscription reaches S3 or a Lambda event, as AWS documents the bytes
 * (see {@link CloudWatchLogsDelivery} for the pages), read by the parser Vigil runs.
 */
class CloudWatchLogsDeliveryPathsTest {
  private static final Instant DELIVERED = Instant.parse("2026-11-27T12:05:09Z");
  private static final Payload APP =
      new Payload(
          "123456789012",
          "/aws/lambda/checkout",
          "2026/11/27/[$LATEST]94fa867e5374431291a7fc14e2f56ae7",
          "vigil-cwl",
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
          "123456789012",
          "api-gateway-access",
          "stream-2",
          "vigil-cwl",
          List.of(
              new LogEvent(
                  "37535271653213296718939488346498457513316411426939961346",
                  1795780801000L,
                  "{\"requestId\":\"c6af9ac6-7b61-11e6-9a41-93e8deadbeef\",\"status\":\"403\"}")));
  private static final List<String> IDS =
      List.of(
          "37535271653213296718939488346498457513316411426939961344",
          "37535271653213296718939488346498457513316411426939961345",
          "37535271653213296718939488346498457513316411426939961346");

  // Firehose to S3 with GZIP compression: CloudWatch Logs' gzip records, concatenated, gzipped
  // again (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/SubscriptionFilters.html,
  // https://docs.aws.amazon.com/firehose/latest/dev/basic-deliver.html).
  @Test
  void gzipFirehoseObjectOfGzipRecordsIsReadThroughBothLayers() {
    byte[] object =
        CloudWatchLogsDelivery.firehoseObject(
            GZIP, CloudWatchLogsDelivery.controlMessage(), APP.json(), API.json());

    CollectingSink sink = parse(object, key(GZIP), null);

    assertEnvelopedDocuments(sink);
    assertThat(sink.skipped).containsExactly("CloudWatch Logs control message");
  }

  @Test
  void uncompressedFirehoseObjectIsTheConcatenatedGzipRecords() {
    byte[] object =
        CloudWatchLogsDelivery.firehoseObject(
            UNCOMPRESSED, APP.json(), CloudWatchLogsDelivery.controlMessage(), API.json());

    CollectingSink sink = parse(object, key(UNCOMPRESSED), LogType.CLOUDWATCH);

    assertEnvelopedDocuments(sink);
    assertThat(sink.skipped).containsExactly("CloudWatch Logs control message");
  }

  // Decompression on, message extraction off
  // (https://docs.aws.amazon.com/firehose/latest/dev/writing-with-cloudwatch-logs.html), with and
  // without the newline delimiter processor
  // (https://docs.aws.amazon.com/firehose/latest/APIReference/API_Processor.html).
  @Test
  void firehoseDecompressionOutputIsReadWithOrWithoutNewlinesAndCompression() {
    for (Compression compression : Compression.values()) {
      for (boolean newline : List.of(true, false)) {
        byte[] object =
            CloudWatchLogsDelivery.firehoseDecompressed(
                compression,
                newline,
                APP.json(),
                CloudWatchLogsDelivery.controlMessage(),
                API.json());

        CollectingSink sink = parse(object, key(compression), null);

        assertEnvelopedDocuments(sink);
        assertThat(sink.skipped).hasSize(1);
      }
    }
  }

  // Decompression and message extraction on: only the messages
  // (https://docs.aws.amazon.com/firehose/latest/dev/Message_extraction.html).
  @Test
  void extractedMessagesGetTheDeliveryTimeAndEmbeddedRecordsTheirOwnType() {
    String key = key(GZIP);
    byte[] object =
        CloudWatchLogsDelivery.firehoseExtracted(
            GZIP,
            List.of(
                APP.events().get(0).message(),
                CloudWatchLogsDelivery.CONTROL_MESSAGE_TEXT,
                CLOUDTRAIL_EVENT,
                API.events().get(0).message()));

    CollectingSink sink = parse(object, key, LogType.CLOUDWATCH);

    assertThat(sink.rejections).isEmpty();
    assertThat(sink.skipped).containsExactly("CloudWatch Logs control message");
    DocumentIds ids = new DocumentIds();
    ObjectRef origin = new ObjectRef("logs", key);
    assertThat(sink.documents)
        .extracting(ParsedDocument::type, ParsedDocument::id, ParsedDocument::timestamp)
        .containsExactly(
            tuple(
                LogType.CLOUDWATCH,
                ids.positional(LogType.CLOUDWATCH, origin, 1),
                Instant.parse("2026-11-27T12:05:09Z")),
            tuple(
                LogType.CLOUDTRAIL,
                "3e1f8c1b-6c2a-4f3e-9a57-0c5f3b7f2d11",
                Instant.parse("2026-11-27T12:01:00Z")),
            tuple(
                LogType.CLOUDWATCH,
                ids.positional(LogType.CLOUDWATCH, origin, 4),
                Instant.parse("2026-11-27T12:05:09Z")));
    assertThat(sink.sources().get(0).get("message").asText())
        .isEqualTo(APP.events().get(0).message());
    assertThat(sink.sources().get(2).at("/json/status").asText()).isEqualTo("403");
  }

  @Test
  void payloadAndExtractedMessagesAreToldApartByTheEnvelopesOwnFields() {
    // The Lambda documentation's payload order puts owner, logGroup… before logEvents.
    String payload =
        "{\"owner\":\"123456789012\",\"logGroup\":\"g\",\"logStream\":\"s\","
            + "\"subscriptionFilters\":[\"f\"],\"logEvents\":[{\"id\":\"e1\","
            + "\"timestamp\":1795780800000,\"message\":\"m\"}],\"messageType\":\"DATA_MESSAGE\"}";
    String structuredLog = "{\"owner\":\"bob\",\"level\":\"info\",\"msg\":\"paid\"}";

    CollectingSink enveloped =
        parse(payload.getBytes(StandardCharsets.UTF_8), key(UNCOMPRESSED), LogType.CLOUDWATCH);
    CollectingSink extracted =
        parse(
            CloudWatchLogsDelivery.firehoseExtracted(UNCOMPRESSED, List.of(structuredLog, "text")),
            key(UNCOMPRESSED),
            LogType.CLOUDWATCH);

    assertThat(enveloped.rejections).isEmpty();
    assertThat(enveloped.documents).extracting(ParsedDocument::id).containsExactly("e1");
    assertThat(extracted.rejections).isEmpty();
    assertThat(extracted.sources())
        .extracting(d -> d.get("message").asText())
        .containsExactly(structuredLog, "text");
    assertThat(extracted.sources().get(0).at("/json/owner").asText()).isEqualTo("bob");
  }

  @Test
  void extractedMessagesOutsideAFirehoseObjectNameAreRejectedForWantOfATime() {
    byte[] object = CloudWatchLogsDelivery.firehoseExtracted(UNCOMPRESSED, List.of("just text"));

    CollectingSink sink = parse(object, "exports/messages.txt", LogType.CLOUDWATCH);

    assertThat(sink.documents).isEmpty();
    assertThat(sink.rejections)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.record()).isEqualTo(1);
              assertThat(r.reason()).contains("has no time").contains("not a Firehose object name");
            });
  }

  // https://docs.aws.amazon.com/lambda/latest/dev/services-cloudwatchlogs.html
  @Test
  void lambdaEventIsReadAndItsControlMessageSkipped() {
    CollectingSink data =
        parse(CloudWatchLogsDelivery.lambdaEvent(APP.json()), "lambda/event.json", null);
    CollectingSink control =
        parse(
            CloudWatchLogsDelivery.lambdaEvent(CloudWatchLogsDelivery.controlMessage()),
            "lambda/control.json",
            null);

    assertThat(data.rejections).isEmpty();
    assertThat(data.documents)
        .extracting(ParsedDocument::id)
        .containsExactlyElementsOf(IDS.subList(0, 2));
    assertThat(control.documents).isEmpty();
    assertThat(control.rejections).isEmpty();
    assertThat(control.skipped).containsExactly("CloudWatch Logs control message");
  }

  // https://docs.aws.amazon.com/lambda/latest/dev/with-kinesis.html and the get-records output of
  // https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/SubscriptionFilters.html
  @Test
  void kinesisRecordsAreReadAsLambdaSeesThemAndAsGetRecordsPrintsThem() {
    byte[] lambda =
        CloudWatchLogsDelivery.kinesisLambdaEvent(
            "arn:aws:kinesis:us-east-1:123456789012:stream/vigil-cwl",
            APP.json(),
            CloudWatchLogsDelivery.controlMessage(),
            API.json());
    byte[] getRecords =
        CloudWatchLogsDelivery.kinesisGetRecords(
            APP.json(), CloudWatchLogsDelivery.controlMessage(), API.json());

    for (byte[] object : List.of(lambda, getRecords)) {
      CollectingSink sink = parse(object, "kinesis/records.json", LogType.CLOUDWATCH);
      assertEnvelopedDocuments(sink);
      assertThat(sink.skipped).containsExactly("CloudWatch Logs control message");
    }
  }

  @Test
  void gzipInsideGzipIsOpenedOnceMoreButNoDeeper() throws IOException {
    byte[] plain = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
    byte[] twice = Gzip.gzip(Gzip.concatenatedMembers(plain, plain));
    byte[] thrice = Gzip.gzip(Gzip.gzip(Gzip.gzip(plain)));

    try (var in = Decompression.open(new ByteArrayInputStream(twice))) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
          .isEqualTo("{\"a\":1}{\"a\":1}");
    }
    try (var in = Decompression.open(new ByteArrayInputStream(thrice))) {
      assertThat(in.readAllBytes()).isEqualTo(Gzip.gzip(plain));
    }
  }

  private static void assertEnvelopedDocuments(CollectingSink sink) {
    assertThat(sink.rejections).isEmpty();
    assertThat(sink.documents)
        .extracting(ParsedDocument::type, ParsedDocument::id)
        .containsExactly(
            tuple(LogType.CLOUDWATCH, IDS.get(0)),
            tuple(LogType.CLOUDWATCH, IDS.get(1)),
            tuple(LogType.CLOUDWATCH, IDS.get(2)));
    assertThat(sink.sources())
        .extracting(
            d -> d.get("logGroup").asText(),
            d -> d.get("message").asText(),
            d -> d.get("timestamp").asLong())
        .containsExactly(
            tuple(APP.logGroup(), APP.events().get(0).message(), 1795780800000L),
            tuple(APP.logGroup(), APP.events().get(1).message(), 1795780800046L),
            tuple(API.logGroup(), API.events().get(0).message(), 1795780801000L));
  }

  private static String key(Compression compression) {
    return CloudWatchLogsDelivery.firehoseKey(
        "cwl/", "vigil-cwl", DELIVERED, "0b3c7e1a-5d2f-4c1e-9a8b-2f6d1e0c9b7a", compression);
  }

  private static CollectingSink parse(byte[] object, String key, LogType type) {
    return CollectingSink.parse(object, new ObjectRef("logs", key), type);
  }

  // A CloudTrail event as CloudTrail writes it to CloudWatch Logs, one event per log event
  // (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html).
  private static final String CLOUDTRAIL_EVENT =
      "{\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":\"IAMUser\","
          + "\"principalId\":\"AIDAEXAMPLE\",\"arn\":\"arn:aws:iam::123456789012:user/alice\","
          + "\"accountId\":\"123456789012\",\"userName\":\"alice\"},"
          + "\"eventTime\":\"2026-11-27T12:01:00Z\",\"eventSource\":\"iam.amazonaws.com\","
          + "\"eventName\":\"CreateUser\",\"awsRegion\":\"us-east-1\","
          + "\"sourceIPAddress\":\"198.51.100.7\",\"userAgent\":\"aws-cli/2.15.0\","
          + "\"requestParameters\":{\"userName\":\"mallory\"},\"responseElements\":null,"
          + "\"requestID\":\"9f7c2b4e-1d3a-4e5f-8a6b-7c8d9e0f1a2b\","
          + "\"eventID\":\"3e1f8c1b-6c2a-4f3e-9a57-0c5f3b7f2d11\",\"readOnly\":false,"
          + "\"eventType\":\"AwsApiCall\",\"managementEvent\":true,"
          + "\"recipientAccountId\":\"123456789012\",\"eventCategory\":\"Management\"}";
}

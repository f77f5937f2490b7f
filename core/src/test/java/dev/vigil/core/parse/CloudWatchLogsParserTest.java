package dev.vigil.core.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.core.LogType;
import dev.vigil.core.TestData;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class CloudWatchLogsParserTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String GO_EVENT = "aws-lambda-go/cloudwatch-logs/cloudwatch-logs-event.json";
  private static final String GO_EXPECTED =
      "aws-lambda-go/cloudwatch-logs/cloudwatch-logs-event.expected.json";
  private static final String POLICY_LEVEL =
      "powertools-lambda-python/cloudwatch-logs/cloudWatchLogEventWithPolicyLevel.json";
  private static final String KINESIS =
      "powertools-lambda-python/cloudwatch-logs/kinesisStreamCloudWatchLogsEvent.json";
  private static final String DATA_PREPPER =
      "data-prepper/cloudwatch-logs/cloudwatch-logs-sample.json";
  private static final String CLOUDTRAIL =
      "centralized-logging-with-opensearch/cloudtrail/cloudtrail.log";
  private static final String SECURITYHUB_EVENT =
      "automated-security-response-on-aws/securityhub-asff/eventbridge/"
          + "source__layer__test__test_json_data__afsbp-ec2.7.json";
  private static final String GUARDDUTY =
      "aws-samples-guardduty-automated-response/guardduty/guardduty_iam_event.json";
  private static final String WAF = "centralized-logging-with-opensearch/waf/waf.log";
  private static final ObjectRef KEY =
      new ObjectRef("logs", "cwl/2026/11/27/12/vigil-cwl-1-2026-11-27-12-00-00-abcd.gz");

  @Test
  void lambdaEventGivesTheDocumentsItsDecodedPayloadHolds() throws IOException {
    CollectingSink sink = CollectingSink.parse(TestData.bytes(GO_EVENT), KEY, null);

    assertThat(sink.rejections).isEmpty();
    JsonNode payload =
        JSON.readTree(TestData.bytes(GO_EXPECTED)).at("/decoded_by_helper/0/payload");
    assertThat(sink.documents).hasSize(payload.get("logEvents").size());
    // (The Go test's own expected value spells the second message "[ERROR], Second…"; the data
    // decodes to "[ERROR] Second…", as the helper's decode shows.)
    for (int i = 0; i < sink.documents.size(); i++) {
      ParsedDocument document = sink.documents.get(i);
      JsonNode event = payload.get("logEvents").get(i);
      JsonNode doc = CollectingSink.tree(document);
      assertThat(document.type()).isEqualTo(LogType.CLOUDWATCH);
      assertThat(document.id()).isEqualTo(event.get("id").asText());
      assertThat(doc.get("message")).isEqualTo(event.get("message"));
      assertThat(doc.get("timestamp")).isEqualTo(event.get("timestamp"));
      for (String field : List.of("owner", "logGroup", "logStream", "subscriptionFilters")) {
        assertThat(doc.get(field)).as(field).isEqualTo(payload.get(field));
      }
      assertThat(doc.at("/cloud/account/id").asText()).isEqualTo("123456789123");
    }
    JsonNode first = sink.sources().get(0);
    assertThat(first.at("/@timestamp").asText()).isEqualTo("2015-08-24T19:03:07Z");
    assertThat(first.at("/event/kind").asText()).isEqualTo("event");
    assertThat(first.has("json")).isFalse();
    assertThat(sink.documents.get(0).index()).isEqualTo("vigil-cloudwatch-2015.08.24");
  }

  @Test
  void zlibPayloadKeepsItsPolicyLevel() {
    CollectingSink wrapped = CollectingSink.parse(TestData.bytes(POLICY_LEVEL), KEY, null);
    CollectingSink bare = CollectingSink.parse(zlibPayload(POLICY_LEVEL), KEY, null);

    for (CollectingSink sink : List.of(wrapped, bare)) {
      assertThat(sink.rejections).isEmpty();
      assertThat(sink.sources())
          .extracting(d -> d.get("policyLevel").asText())
          .containsExactly("ACCOUNT_LEVEL_POLICY", "ACCOUNT_LEVEL_POLICY");
    }
  }

  @Test
  void kinesisEventCarryingTwoPayloadsIsReadWhenTheTypeIsNamed() {
    CollectingSink sink = CollectingSink.parse(TestData.bytes(KINESIS), KEY, LogType.CLOUDWATCH);
    assertThat(sink.rejections).isEmpty();
    assertThat(sink.documents).hasSize(6);
    assertThat(sink.sources().get(0).get("message").asText()).startsWith("START RequestId:");
    assertThat(sink.sources().get(0).at("/cloud/account/id").asText()).isEqualTo("231436140809");
  }

  @Test
  void firehoseConcatenationOfPayloadsIsReadWithOrWithoutGzipMembers() {
    byte[] first = compact(DATA_PREPPER);
    byte[] second = decodedPayload(GO_EVENT);
    byte[] plain = concat(first, second);

    for (byte[] object :
        List.of(plain, Gzip.gzip(plain), Gzip.concatenatedMembers(first, second))) {
      CollectingSink sink = CollectingSink.parse(object, KEY, null);
      assertThat(sink.rejections).isEmpty();
      assertThat(sink.documents)
          .extracting(ParsedDocument::type, d -> CollectingSink.tree(d).get("logGroup").asText())
          .containsExactly(
              tuple(LogType.CLOUDWATCH, "CloudTrail/logs"),
              tuple(LogType.CLOUDWATCH, "CloudTrail/logs"),
              tuple(LogType.CLOUDWATCH, "CloudTrail/logs"),
              tuple(LogType.CLOUDWATCH, "testLogGroup"),
              tuple(LogType.CLOUDWATCH, "testLogGroup"));
    }
  }

  @Test
  void cutOffJsonMessagesStayText() {
    // The sample's CloudTrail events were cut short upstream: not JSON, so kept as text.
    CollectingSink sink = CollectingSink.parse(TestData.bytes(DATA_PREPPER), KEY, null);
    assertThat(sink.rejections).isEmpty();
    assertThat(sink.documents).hasSize(3);
    JsonNode doc = sink.sources().get(0);
    assertThat(doc.get("message").asText())
        .isEqualTo("{\"eventVersion\":\"1.01\",\"userIdentity\":{\"type\":\"Root\"}");
    assertThat(doc.has("json")).isFalse();
    assertThat(sink.documents.get(0).id())
        .isEqualTo("31953106606966983378809025079804211143289615424298221568");
  }

  @Test
  void cloudTrailEventsDeliveredThroughCloudWatchLogsBecomeCloudTrailDocuments()
      throws IOException {
    JsonNode records = JSON.readTree(TestData.bytes(CLOUDTRAIL)).get("Records");
    ArrayNode events = JSON.createArrayNode();
    for (int i = 0; i < records.size(); i++) {
      events.add(logEvent("e" + i, 1646146814000L + i, records.get(i).toString()));
    }
    events.add(logEvent("text", 1646146815000L, "plain text line"));
    CollectingSink sink = parsePayload(payload("aws-cloudtrail-logs-1234", events));

    assertThat(sink.rejections).isEmpty();
    assertThat(sink.documents)
        .extracting(ParsedDocument::type)
        .containsExactly(
            LogType.CLOUDTRAIL,
            LogType.CLOUDTRAIL,
            LogType.CLOUDTRAIL,
            LogType.CLOUDTRAIL,
            LogType.CLOUDWATCH);
    ParsedDocument trail = sink.documents.get(0);
    assertThat(trail.id()).isEqualTo("1209c7a7-55ca-4fe5-995d-cff1fde7318a");
    assertThat(trail.index()).isEqualTo("vigil-cloudtrail-2022.03.01");
    JsonNode doc = CollectingSink.tree(trail);
    assertThat(doc.at("/eventName").asText()).isEqualTo("DescribeInstances");
    assertThat(doc.at("/vigil/log_type").asText()).isEqualTo("cloudtrail");
    assertThat(doc.at("/vigil/cloudwatch/logGroup").asText()).isEqualTo("aws-cloudtrail-logs-1234");
    assertThat(doc.at("/vigil/cloudwatch/logStream").asText()).isEqualTo("stream-1");
    assertThat(doc.at("/vigil/cloudwatch/owner").asText()).isEqualTo("123456789012");
    assertThat(doc.at("/vigil/cloudwatch/logEventId").asText()).isEqualTo("e0");
    // The cloudwatch document after them carries no such envelope.
    assertThat(sink.sources().get(4).at("/vigil/cloudwatch").isMissingNode()).isTrue();
    assertThat(sink.sources().get(4).get("message").asText()).isEqualTo("plain text line");
  }

  @Test
  void findingsAndWafRecordsInMessagesGoToTheirOwnTypes() throws IOException {
    String wafLine =
        new String(TestData.bytes(WAF), StandardCharsets.UTF_8).lines().findFirst().orElseThrow();
    String guardDutyEvent =
        "{\"version\":\"0\",\"detail-type\":\"GuardDuty Finding\",\"source\":\"aws.guardduty\","
            + "\"detail\":"
            + JSON.readTree(TestData.bytes(GUARDDUTY))
            + "}";
    ArrayNode events = JSON.createArrayNode();
    events.add(logEvent("1", 1L, JSON.readTree(TestData.bytes(SECURITYHUB_EVENT)).toString()));
    events.add(logEvent("2", 2L, guardDutyEvent));
    events.add(logEvent("3", 3L, wafLine));
    CollectingSink sink = parsePayload(payload("/aws/events/findings", events));

    assertThat(sink.rejections).isEmpty();
    assertThat(sink.documents)
        .extracting(ParsedDocument::type)
        .containsExactly(LogType.SECURITYHUB, LogType.GUARDDUTY, LogType.WAF);
    assertThat(sink.sources())
        .extracting(d -> d.at("/vigil/cloudwatch/logGroup").asText())
        .containsOnly("/aws/events/findings");
  }

  @Test
  void wafRecordsWithoutRequestIdInDifferentEventsGetDistinctIds() {
    String record =
        "{\"timestamp\":1679548657700,\"webaclId\":\"x\",\"action\":\"BLOCK\",\"httpRequest\":{}}";
    ArrayNode events = JSON.createArrayNode();
    events.add(logEvent("1", 1L, record));
    events.add(logEvent("2", 2L, record));
    CollectingSink sink = parsePayload(payload("aws-waf-logs-acl", events));

    assertThat(sink.documents).extracting(ParsedDocument::type).containsOnly(LogType.WAF);
    assertThat(sink.documents).extracting(ParsedDocument::id).doesNotHaveDuplicates();
  }

  @Test
  void jsonMessageOfNoKnownTypeIsKeptAsAnObject() {
    String structured =
        "{\"level\":\"INFO\",\"message\":\"order placed\",\"order\":{\"id\":42,\"items\":[1,2]}}";
    ArrayNode events = JSON.createArrayNode();
    events.add(logEvent("1", 1L, structured + "\n"));
    JsonNode doc = parsePayload(payload("/aws/lambda/orders", events)).sources().get(0);

    assertThat(doc.at("/json/order/id").asInt()).isEqualTo(42);
    assertThat(doc.at("/json/level").asText()).isEqualTo("INFO");
    assertThat(doc.get("message").asText()).isEqualTo(structured + "\n");
  }

  @Test
  void messageItsTypesParserRejectsIsKeptAsACloudWatchDocumentSayingWhy() {
    String noTime =
        "{\"eventVersion\":\"1.08\",\"eventID\":\"x\",\"eventSource\":\"iam.amazonaws.com\"}";
    ArrayNode events = JSON.createArrayNode();
    events.add(logEvent("1", 1L, noTime));
    CollectingSink sink = parsePayload(payload("aws-cloudtrail-logs", events));

    assertThat(sink.rejections).isEmpty();
    JsonNode doc = sink.sources().get(0);
    assertThat(sink.documents.get(0).type()).isEqualTo(LogType.CLOUDWATCH);
    assertThat(doc.get("embedded_type").asText()).isEqualTo("cloudtrail");
    assertThat(doc.get("embedded_error").asText()).contains("eventTime is missing");
    assertThat(doc.at("/json/eventID").asText()).isEqualTo("x");
  }

  @Test
  void partlyBadMessageKeepsItsGoodRecordsAndNamesTheOuterEventInTheRejection() {
    String good =
        "{\"timestamp\":1679548657700,\"webaclId\":\"x\",\"httpRequest\":{\"requestId\":\"r1\"}}";
    String bad =
        "{\"timestamp\":\"soon\",\"webaclId\":\"x\",\"httpRequest\":{\"requestId\":\"r2\"}}";
    ArrayNode events = JSON.createArrayNode();
    events.add(logEvent("first", 1L, "hello"));
    events.add(logEvent("second", 2L, "[" + good + "," + bad + "]"));
    CollectingSink sink = parsePayload(payload("aws-waf-logs-acl", events));

    assertThat(sink.documents).extracting(ParsedDocument::id).containsExactly("first", "r1");
    assertThat(sink.rejections)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.record()).isEqualTo(2);
              assertThat(r.byteOffset()).isPositive();
              assertThat(r.reason())
                  .startsWith("message of log event second, its record 2 at byte")
                  .endsWith(
                      "timestamp must be epoch milliseconds or an ISO-8601 time, found a string 'soon'");
            });
  }

  @Test
  void controlMessageIsSkipped() {
    ObjectNode control = payload("testLogGroup", JSON.createArrayNode());
    control.put("messageType", "CONTROL_MESSAGE");
    ((ArrayNode) control.get("logEvents"))
        .add(logEvent("", 1L, "CWL CONTROL MESSAGE: Checking health of destination Firehose."));
    CollectingSink sink = parsePayload(control);
    assertThat(sink.documents).isEmpty();
    assertThat(sink.rejections).isEmpty();
    assertThat(sink.skipped).containsExactly("CloudWatch Logs control message");
  }

  @Test
  void badPayloadsAndEventsAreRejectedAndTheGoodOnesKept() {
    ObjectNode noEvents = payload("g", JSON.createArrayNode());
    noEvents.remove("logEvents");
    ArrayNode events = JSON.createArrayNode();
    events.add(logEvent("ok1", 1L, "a"));
    ObjectNode badTime = logEvent("bad", 2L, "b");
    badTime.put("timestamp", "noon");
    events.add(badTime);
    events.add(JSON.getNodeFactory().textNode("not an event"));
    ObjectNode noMessage = logEvent("bad2", 3L, "c");
    noMessage.remove("message");
    events.add(noMessage);
    events.add(logEvent("ok2", 4L, "d"));
    String good = payload("g", events).toString();
    String cut = good.substring(0, good.length() / 2);
    String text = noEvents + "\n" + good + "\n" + cut + "\n" + new String(compact(DATA_PREPPER));
    CollectingSink sink =
        CollectingSink.parse(text.getBytes(StandardCharsets.UTF_8), KEY, LogType.CLOUDWATCH);

    assertThat(sink.documents).hasSize(5);
    assertThat(sink.rejections)
        .extracting(Rejection::record, Rejection::reason)
        .satisfiesExactly(
            r ->
                assertThat(r)
                    .isEqualTo(tuple(1L, "CloudWatch Logs payload has no logEvents array")),
            r ->
                assertThat(r)
                    .isEqualTo(
                        tuple(
                            3L,
                            "log event timestamp must be epoch milliseconds or an ISO-8601 time, found a string 'noon'")),
            r ->
                assertThat(r)
                    .isEqualTo(tuple(4L, "log event must be a JSON object, found a string")),
            r -> assertThat(r).isEqualTo(tuple(5L, "log event has no message")),
            r ->
                assertThat(r.toList().get(1).toString())
                    .contains("malformed JSON")
                    .contains("(the damaged log event); reading resumed at byte "));
    assertThat(sink.rejections.get(1).byteOffset())
        .isEqualTo(noEvents.toString().length() + 1 + good.indexOf("{\"id\":\"bad\""));
  }

  @Test
  void damagedLogEventCostsOnlyItselfAndTheEventsAfterItKeepTheirPayloadsFields() {
    ArrayNode events = JSON.createArrayNode();
    events.add(logEvent("e1", 1L, "a"));
    events.add(logEvent("e2", 2L, "b"));
    events.add(logEvent("e3", 3L, "c"));
    String good = payload("orders", events).toString();
    String damaged = good.replace("\"id\":\"e2\"", "\"id\"\"e2\"");
    CollectingSink sink =
        CollectingSink.parse(damaged.getBytes(StandardCharsets.UTF_8), KEY, LogType.CLOUDWATCH);

    assertThat(sink.sources())
        .extracting(d -> d.get("id").asText(), d -> d.get("logGroup").asText())
        .containsExactly(tuple("e1", "orders"), tuple("e3", "orders"));
    assertThat(sink.rejections)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.record()).isEqualTo(2);
              assertThat(r.byteOffset()).isEqualTo(damaged.indexOf("{\"id\"\"e2\""));
              assertThat(r.skippedBytes())
                  .isEqualTo(damaged.indexOf("{\"id\":\"e3\"") - r.byteOffset());
              assertThat(r.skippedEvents()).isEqualTo(1);
              assertThat(r.reason()).contains("(the damaged log event)");
            });
  }

  @Test
  void lambdaEventWithDataThatIsNotBase64IsRejected() {
    CollectingSink sink =
        CollectingSink.parse(
            "{\"awslogs\":{\"data\":\"@@@\"}}".getBytes(StandardCharsets.UTF_8), KEY, null);
    assertThat(sink.documents).isEmpty();
    assertThat(sink.rejections)
        .singleElement()
        .satisfies(r -> assertThat(r.reason()).startsWith("data is not base64"));
  }

  private static ObjectNode payload(String logGroup, ArrayNode events) {
    ObjectNode payload = JSON.createObjectNode();
    payload.put("messageType", "DATA_MESSAGE");
    payload.put("owner", "123456789012");
    payload.put("logGroup", logGroup);
    payload.put("logStream", "stream-1");
    payload.putArray("subscriptionFilters").add("to-firehose");
    payload.set("logEvents", events);
    return payload;
  }

  private static ObjectNode logEvent(String id, long timestamp, String message) {
    ObjectNode event = JSON.createObjectNode();
    event.put("id", id);
    event.put("timestamp", timestamp);
    event.put("message", message);
    return event;
  }

  private static CollectingSink parsePayload(ObjectNode payload) {
    return CollectingSink.parse(
        Gzip.gzip(payload.toString().getBytes(StandardCharsets.UTF_8)), KEY, null);
  }

  private static byte[] compact(String path) {
    try {
      return JSON.writeValueAsBytes(JSON.readTree(TestData.bytes(path)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The compressed payload inside a Lambda event, as it is (gzip or zlib). */
  private static byte[] compressedPayload(String path) {
    try {
      return Base64.getDecoder()
          .decode(JSON.readTree(TestData.bytes(path)).at("/awslogs/data").asText());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] zlibPayload(String path) {
    byte[] payload = compressedPayload(path);
    assertThat(Decompression.sniff(payload[0], payload[1])).isEqualTo(Decompression.Format.ZLIB);
    return payload;
  }

  private static byte[] decodedPayload(String path) {
    try (var in = Decompression.open(new ByteArrayInputStream(compressedPayload(path)))) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] both = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }
}

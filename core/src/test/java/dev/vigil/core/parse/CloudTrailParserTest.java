package dev.vigil.core.parse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.core.LogType;
import dev.vigil.core.TestData;
import dev.vigil.core.parse.types.CloudTrailParser;
import dev.vigil.core.rules.FieldTypes;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CloudTrailParserTest {
  private static final String S3_OBJECT =
      "centralized-logging-with-opensearch/cloudtrail/cloudtrail.log";
  private static final String NDJSON =
      "otrf-security-datasets/cloudtrail/ec2_proxy_s3_exfiltration_2020-09-14011940.json";
  private static final ObjectRef KEY =
      new ObjectRef("logs", "AWSLogs/123456789012/CloudTrail/ap-south-1/2022/03/01/a.json.gz");

  @Test
  void gzippedRecordsObjectGivesOneDocumentPerEvent() {
    CollectingSink sink = CollectingSink.parse(Gzip.gzip(TestData.bytes(S3_OBJECT)), KEY, null);

    assertThat(sink.rejections).isEmpty();
    assertThat(sink.documents).hasSize(4);
    ParsedDocument first = sink.documents.get(0);
    assertThat(first.id()).isEqualTo("1209c7a7-55ca-4fe5-995d-cff1fde7318a");
    assertThat(first.index()).isEqualTo("vigil-cloudtrail-2022.03.01");
    JsonNode doc = CollectingSink.tree(first);
    assertThat(doc.at("/@timestamp").asText()).isEqualTo("2022-03-01T15:00:14Z");
    assertThat(doc.at("/event/outcome").asText()).isEqualTo("success");
    assertThat(doc.at("/user/name").asText()).isEqualTo("StateManagerService");
    // event.provider/action/id, cloud.account.id, cloud.region and user_agent.original are field
    // aliases of the CloudTrail mapping: the document holds only the fields they read.
    assertThat(doc.at("/event").fieldNames()).toIterable().containsExactly("kind", "outcome");
    assertThat(doc.at("/cloud").fieldNames()).toIterable().containsExactly("provider");
    assertThat(doc.has("user_agent")).isFalse();
    FieldTypes mapping = FieldTypes.of(LogType.CLOUDTRAIL);
    assertThat(doc.at("/" + mapping.resolve("event.provider")).asText())
        .isEqualTo("ec2.amazonaws.com");
    assertThat(doc.at("/" + mapping.resolve("event.action")).asText())
        .isEqualTo("DescribeInstances");
    assertThat(doc.at("/" + mapping.resolve("cloud.account.id")).asText())
        .isEqualTo("123456789012");
    assertThat(doc.at("/" + mapping.resolve("cloud.region")).asText()).isEqualTo("ap-south-1");
    assertThat(doc.at("/" + mapping.resolve("user_agent.original")).asText())
        .isEqualTo("ssm.amazonaws.com");
    // A service name in sourceIPAddress is not an IP: no source.ip, the raw field stays.
    assertThat(doc.has("source")).isFalse();
    assertThat(doc.at("/sourceIPAddress").asText()).isEqualTo("ssm.amazonaws.com");
    assertThat(doc.at("/vigil/log_type").asText()).isEqualTo("cloudtrail");
    assertThat(doc.at("/vigil/s3/key").asText()).isEqualTo(KEY.key());
    // The record's own fields are all kept, nested as they were.
    assertThat(doc.at("/userIdentity/sessionContext/sessionIssuer/userName").asText())
        .isEqualTo("AWSServiceRoleForAmazonSSM");
    assertThat(doc.at("/requestParameters/maxResults").asInt()).isEqualTo(50);
  }

  @Test
  void newlineDelimitedEventsWithForeignTimestampFieldAreKeptUnderAnotherName() {
    CollectingSink sink =
        CollectingSink.parse(TestData.bytes(NDJSON), ObjectRef.file(NDJSON), LogType.CLOUDTRAIL);

    assertThat(sink.rejections).isEmpty();
    assertThat(sink.documents).hasSize(103);
    // Logstash renamed eventTime to @timestamp: that becomes the event time, and the shipper's
    // field survives renamed.
    JsonNode doc = sink.sources().get(0);
    assertThat(doc.has("eventTime")).isFalse();
    assertThat(doc.at("/original_@timestamp").asText()).isEqualTo("2020-09-14T00:44:23.000Z");
    assertThat(doc.at("/@timestamp").asText()).isEqualTo("2020-09-14T00:44:23.000Z");
    assertThat(sink.documents.get(0).index()).isEqualTo("vigil-cloudtrail-2020.09.14");
    assertThat(sink.documents).extracting(ParsedDocument::id).doesNotHaveDuplicates();
  }

  @Test
  void bareArrayOfEventsIsAccepted() {
    String array =
        "[" + event("e1", "2026-11-27T01:02:03Z") + "," + event("e2", "2026-11-28T00:00:00Z") + "]";
    CollectingSink sink = parseText(array);
    assertThat(sink.documents).extracting(ParsedDocument::id).containsExactly("e1", "e2");
    assertThat(sink.documents)
        .extracting(ParsedDocument::index)
        .containsExactly("vigil-cloudtrail-2026.11.27", "vigil-cloudtrail-2026.11.28");
  }

  @Test
  void prettyPrintedEventBecomesOneLineDocumentWithItsFieldsIntact() {
    String pretty =
        "{\"Records\": [\n  {\n    \"eventID\": \"p1\",\n    \"eventTime\": \"2026-11-27T01:02:03Z\",\r\n"
            + "    \"requestParameters\": {\"bucketName\": \"a b\"}\n  }\n]}";
    ParsedDocument doc = parseText(pretty).documents.get(0);
    assertThat(doc.sourceAsString()).doesNotContain("\n").doesNotContain("\r");
    JsonNode tree = CollectingSink.tree(doc);
    assertThat(tree.at("/requestParameters/bucketName").asText()).isEqualTo("a b");
    assertThat(tree.at("/aws/request/bucketName").asText()).isEqualTo("a b");
    assertThat(tree.at("/@timestamp").asText()).isEqualTo("2026-11-27T01:02:03Z");
  }

  @Test
  void eventWhoseOnlyLineBreakFollowsItsOpeningBraceBecomesOneLineDocument() {
    // The break lies between the brace and the first field: the event's lines are counted from the
    // brace, not from the first field.
    String text =
        "[{\n\"eventID\": \"p2\", \"eventTime\": \"2026-11-27T01:02:03Z\"},\r\n"
            + "{\"eventID\": \"p3\", \"eventTime\": \"2026-11-27T01:02:04Z\"}]";
    List<ParsedDocument> docs = parseText(text).documents;
    assertThat(docs).hasSize(2);
    assertThat(docs.get(0).sourceAsString()).doesNotContain("\n").doesNotContain("\r");
    assertThat(CollectingSink.tree(docs.get(0)).at("/eventID").asText()).isEqualTo("p2");
  }

  @Test
  void fastSplicingPathAndSlowCopyingPathProduceTheSameDocuments() throws Exception {
    byte[] synthetic =
        dev.vigil.testing.SyntheticCloudTrail.object(
                2000, 7, java.time.Instant.parse("2026-11-27T00:00:00Z"))
            .readAllBytes();
    for (byte[] input :
        List.of(synthetic, TestData.bytes(S3_OBJECT), TestData.bytes(NDJSON), unusualEvents())) {
      List<ParsedDocument> fast = parseWith(new CloudTrailParser(), input);
      List<ParsedDocument> slow = parseWith(CloudTrailParser.copyingEveryEvent(), input);
      assertThat(fast).hasSameSizeAs(slow).isNotEmpty();
      for (int i = 0; i < fast.size(); i++) {
        assertThat(CollectingSink.tree(fast.get(i)))
            .as("document %d", i)
            .isEqualTo(CollectingSink.tree(slow.get(i)));
        assertThat(fast.get(i).id()).isEqualTo(slow.get(i).id());
        assertThat(fast.get(i).index()).isEqualTo(slow.get(i).index());
      }
    }
  }

  /**
   * Valid events the fast path must read as the slow one does: escaped names and values, non-ASCII
   * text, a number and a null where strings are expected, and an event far larger than a read.
   */
  private static byte[] unusualEvents() {
    String escapedNames =
        "{\"event\\u0054ime\":\"2026-11-27T01:00:00Z\",\"eventID\":\"u1\",\"userIdentity\":"
            + "{\"type\":\"IAMUser\",\"user\\u004eame\":\"b\\u00f6b\"},\"userAgent\":\"a \\\"quoted\\\" agent\"}";
    String nonAscii =
        "{\"eventTime\":\"2026-11-27T01:00:01Z\",\"eventID\":\"u2\",\"eventName\":\"Puté中\","
            + "\"userIdentity\":{\"type\":\"AssumedRole\",\"arn\":\"arn:aws:sts::1:assumed-role/r/sé\"}}";
    String oddTypes =
        "{\"eventTime\":\"2026-11-27T01:00:02Z\",\"eventID\":\"u3\",\"recipientAccountId\":123456789012,"
            + "\"errorCode\":null,\"awsRegion\":[\"us-east-1\"],\"requestParameters\":{\"bucketName\":7}}";
    String huge =
        "{\"eventTime\":\"2026-11-27T01:00:03Z\",\"eventID\":\"u4\",\"requestParameters\":{\"policy\":\""
            + "x\\n".repeat(400_000)
            + "\",\"bucketName\":\"b\"},\"sourceIPAddress\":\"198.51.100.7\"}";
    return ("{\"Records\":[" + String.join(",\n", escapedNames, nonAscii, oddTypes, huge) + "]}")
        .getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void malformedValueDeepInsideAnEventIsReportedAndEarlierEventsKept() {
    String broken = event("e2", "2026-11-27T01:02:04Z").replace("\"IAMUser\"", "{\"a\":[tru]}");
    CollectingSink sink =
        parseText("{\"Records\":[" + event("e1", "2026-11-27T01:02:03Z") + ",\n" + broken + "]}");
    assertThat(sink.documents).extracting(ParsedDocument::id).containsExactly("e1");
    assertThat(sink.rejections)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.record()).isEqualTo(2);
              assertThat(r.reason()).contains("malformed JSON").contains("line 2");
            });
  }

  private static List<ParsedDocument> parseWith(CloudTrailParser parser, byte[] input)
      throws Exception {
    CollectingSink sink = new CollectingSink();
    new ObjectParser(IndexNaming.defaults(), List.of(parser))
        .parse(new java.io.ByteArrayInputStream(input), KEY, LogType.CLOUDTRAIL, sink);
    assertThat(sink.rejections).isEmpty();
    return sink.documents;
  }

  @Test
  void digestFileIsSkippedNotIndexed() {
    String digest =
        "{\"awsAccountId\":\"123456789012\",\"digestStartTime\":\"2026-11-27T00:00:00Z\",\"logFiles\":[]}";
    CollectingSink sink =
        CollectingSink.parse(
            digest.getBytes(StandardCharsets.UTF_8),
            new ObjectRef(
                "b", "AWSLogs/123456789012/CloudTrail-Digest/us-east-1/2026/11/27/x.json.gz"),
            null);
    assertThat(sink.documents).isEmpty();
    assertThat(sink.rejections).isEmpty();
    assertThat(sink.skipped).containsExactly("CloudTrail digest file");
  }

  @Test
  void eventWithoutTimeIsRejectedAndItsNeighboursKept() {
    String records =
        "{\"Records\":["
            + event("e1", "2026-11-27T01:02:03Z")
            + ",{\"eventID\":\"e2\",\"eventName\":\"X\"},"
            + event("e3", "2026-11-27T01:02:04Z")
            + "]}";
    CollectingSink sink = parseText(records);
    assertThat(sink.documents).extracting(ParsedDocument::id).containsExactly("e1", "e3");
    assertThat(sink.rejections)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.record()).isEqualTo(2);
              assertThat(r.reason()).contains("eventTime is missing");
              assertThat(r.byteOffset()).isPositive();
            });
  }

  @Test
  void jsonCutInHalfKeepsEveryCompleteEventBeforeTheCut() {
    String whole =
        "{\"Records\":["
            + event("e1", "2026-11-27T01:02:03Z")
            + ","
            + event("e2", "2026-11-27T01:02:04Z")
            + "]}";
    String cut = whole.substring(0, whole.indexOf("e2") + 10);
    CollectingSink sink = parseText(cut);
    assertThat(sink.documents).extracting(ParsedDocument::id).containsExactly("e1");
    assertThat(sink.rejections)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.record()).isEqualTo(2);
              assertThat(r.reason()).contains("malformed JSON");
            });
  }

  @Test
  void truncatedGzipKeepsWhatWasReadAndReportsTheDamage() {
    StringBuilder many = new StringBuilder("{\"Records\":[");
    for (int i = 0; i < 2000; i++) {
      many.append(i == 0 ? "" : ",").append(event("e" + i, "2026-11-27T01:02:03Z"));
    }
    byte[] gz = Gzip.gzip(many.append("]}").toString().getBytes(StandardCharsets.UTF_8));
    CollectingSink sink = CollectingSink.parse(Arrays.copyOf(gz, gz.length / 2), KEY, null);
    assertThat(sink.documents).isNotEmpty().hasSizeLessThan(2000);
    assertThat(sink.rejections)
        .singleElement()
        .satisfies(r -> assertThat(r.reason()).contains("damaged"));
  }

  @Test
  void promotesRequestParametersRulesGroupBy() {
    String runInstances =
        "{\"eventID\":\"r1\",\"eventTime\":\"2026-11-27T01:02:03Z\",\"eventName\":\"RunInstances\","
            + "\"requestParameters\":{\"instanceType\":\"p4d.24xlarge\",\"blockDeviceMapping\":{}},"
            + "\"errorCode\":\"Client.UnauthorizedOperation\"}";
    JsonNode doc = parseText(runInstances).sources().get(0);
    assertThat(doc.at("/aws/request/instanceType").asText()).isEqualTo("p4d.24xlarge");
    assertThat(doc.at("/event/outcome").asText()).isEqualTo("failure");
  }

  @Test
  void userNameFallsBackFromUserToSessionToRootToService() {
    assertThat(CloudTrailParser.userName(java.util.Map.of("userName", "alice"))).isEqualTo("alice");
    assertThat(
            CloudTrailParser.userName(
                java.util.Map.of("type", "Root", "arn", "arn:aws:iam::1:root")))
        .isEqualTo("root");
    assertThat(
            CloudTrailParser.userName(
                java.util.Map.of("arn", "arn:aws:sts::1:assumed-role/Admin/bob")))
        .isEqualTo("bob");
    assertThat(CloudTrailParser.userName(java.util.Map.of("invokedBy", "ssm.amazonaws.com")))
        .isEqualTo("ssm.amazonaws.com");
  }

  private static CollectingSink parseText(String text) {
    return CollectingSink.parse(text.getBytes(StandardCharsets.UTF_8), KEY, LogType.CLOUDTRAIL);
  }

  static String event(String id, String time) {
    return "{\"eventVersion\":\"1.08\",\"eventID\":\""
        + id
        + "\",\"eventTime\":\""
        + time
        + "\",\"eventSource\":\"s3.amazonaws.com\",\"eventName\":\"GetObject\",\"awsRegion\":\"us-east-1\","
        + "\"sourceIPAddress\":\"203.0.113.9\",\"userIdentity\":{\"type\":\"IAMUser\",\"userName\":\"alice\"}}";
  }

  @Test
  void aBareEventNotesItsMembersWhateverItsFirstNameIs() throws Exception {
    // As CloudWatch Logs delivers CloudTrail: one event per root, its first name read to tell the
    // root's shape. A first name no rule reads (eventVersion) leaves the noted members complete; a
    // dotted one may stand for a wanted path, so it does not.
    String[] wanted = {"eventName"};
    assertThat(
            bareMembers(
                "{\"eventVersion\":\"1.08\",\"eventName\":\"StopLogging\",\"eventTime\":\"2026-11-27T10:00:00Z\"}",
                wanted))
        .isEqualTo("complete, 1 noted");
    assertThat(
            bareMembers(
                "{\"eventName\":\"StopLogging\",\"eventVersion\":\"1.08\",\"eventTime\":\"2026-11-27T10:00:00Z\"}",
                wanted))
        .isEqualTo("complete, 1 noted");
    assertThat(
            bareMembers(
                "{\"event.name\":\"x\",\"eventName\":\"StopLogging\",\"eventTime\":\"2026-11-27T10:00:00Z\"}",
                wanted))
        .startsWith("incomplete");
  }

  private static String bareMembers(String event, String[] wanted) throws Exception {
    List<String> seen = new java.util.ArrayList<>();
    ObjectParser.standard()
        .parse(
            new java.io.ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)),
            KEY,
            LogType.CLOUDTRAIL,
            new DocumentSink() {
              @Override
              public void document(ParsedDocument document) {
                Members members = document.members();
                seen.add(
                    (members.complete() ? "complete" : "incomplete")
                        + ", "
                        + members.count()
                        + " noted");
              }

              @Override
              public void rejected(Rejection rejection) {
                seen.add("rejected: " + rejection);
              }

              @Override
              public String[] memberNames(LogType type) {
                return wanted;
              }
            });
    assertThat(seen).hasSize(1);
    return seen.get(0);
  }
}

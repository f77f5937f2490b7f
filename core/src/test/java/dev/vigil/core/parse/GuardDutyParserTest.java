package dev.vigil.core.parse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.core.LogType;
import dev.vigil.core.TestData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class GuardDutyParserTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DIR = "aws-samples-guardduty-automated-response/guardduty/";
  private static final String EC2 = DIR + "guardduty_ec2_event.json";
  private static final String IAM = DIR + "guardduty_iam_event.json";
  private static final String S3 = DIR + "guardduty_s3_event.json";
  private static final ObjectRef EXPORT_KEY =
      new ObjectRef(
          "logs", "AWSLogs/123456789012/GuardDuty/us-east-1/2022/01/13/5f1c-4a2b.jsonl.gz");

  @Test
  void bareFindingGetsEcsAndPromotedFields() {
    CollectingSink sink = CollectingSink.parse(TestData.bytes(IAM), EXPORT_KEY, null);

    assertThat(sink.rejections).isEmpty();
    ParsedDocument document = sink.documents.get(0);
    assertThat(document.type()).isEqualTo(LogType.GUARDDUTY);
    assertThat(document.index()).isEqualTo("vigil-guardduty-2022.01.13");
    JsonNode doc = CollectingSink.tree(document);
    assertThat(doc.at("/@timestamp").asText()).isEqualTo("2022-01-13T00:00:47.427Z");
    assertThat(doc.at("/event/kind").asText()).isEqualTo("alert");
    assertThat(doc.at("/event/action").asText())
        .isEqualTo("Recon:IAMUser/MaliciousIPCaller.Custom");
    assertThat(doc.at("/event/severity").asInt()).isEqualTo(50);
    assertThat(doc.at("/cloud/account/id").asText()).isEqualTo("123456789012");
    assertThat(doc.at("/cloud/region").asText()).isEqualTo("us-east-1");
    assertThat(doc.at("/source/ip").asText()).isEqualTo("198.51.100.0");
    assertThat(doc.at("/source/geo/country_name").asText())
        .isEqualTo("GeneratedFindingCountryName");
    assertThat(doc.at("/user/name").asText()).isEqualTo("GeneratedFindingUserName");
    assertThat(doc.at("/aws/guardduty/type").asText())
        .isEqualTo("Recon:IAMUser/MaliciousIPCaller.Custom");
    assertThat(doc.at("/aws/guardduty/threat_purpose").asText()).isEqualTo("Recon");
    assertThat(doc.at("/aws/guardduty/severity_label").asText()).isEqualTo("MEDIUM");
    assertThat(doc.at("/aws/guardduty/resource_type").asText()).isEqualTo("AccessKey");
    assertThat(doc.at("/aws/guardduty/action_type").asText()).isEqualTo("AWS_API_CALL");
    assertThat(doc.at("/service/additionalInfo/apiCalls/0/name").asText())
        .isEqualTo("GeneratedFindingAPIName1");
  }

  @Test
  void outboundConnectionPutsTheRemoteHostAsDestination() {
    JsonNode doc = CollectingSink.parse(TestData.bytes(EC2), EXPORT_KEY, null).sources().get(0);
    assertThat(doc.at("/destination/ip").asText()).isEqualTo("0.0.0.0");
    assertThat(doc.at("/destination/port").asInt()).isEqualTo(22);
    assertThat(doc.has("source")).isFalse();
    assertThat(doc.at("/related/ip/0").asText()).isEqualTo("0.0.0.0");
    assertThat(doc.at("/aws/guardduty/instance_id").asText()).isEqualTo("i-05746eb48123455e0");
    assertThat(doc.at("/aws/guardduty/action_type").asText()).isEqualTo("NETWORK_CONNECTION");
  }

  @Test
  void eventBridgeEventArrayAndNewlineDelimitedFindingsAreAllRead() throws IOException {
    String ec2 = line(EC2);
    String iam = line(IAM);
    String s3 = line(S3);
    String event =
        "{\"version\":\"0\",\"id\":\"e1\",\"detail-type\":\"GuardDuty Finding\",\"source\":\"aws.guardduty\","
            + "\"account\":\"123456789012\",\"time\":\"2022-01-13T00:00:48Z\",\"region\":\"us-east-1\","
            + "\"resources\":[],\"detail\":"
            + s3
            + "}";
    String text = event + "\n[" + ec2 + "," + iam + "]\n" + iam + "\n";
    CollectingSink sink = parseText(text);

    assertThat(sink.rejections).isEmpty();
    assertThat(sink.documents).hasSize(4);
    assertThat(sink.sources().get(0).at("/aws/guardduty/resource_type").asText())
        .isEqualTo("S3Bucket");
    // The same finding delivered twice gets the same id: the second overwrites the first.
    assertThat(sink.documents.get(2).id()).isEqualTo(sink.documents.get(3).id());
    assertThat(sink.documents.get(1).id()).isNotEqualTo(sink.documents.get(2).id());
  }

  @Test
  void damagedEventAmongFirehoseConcatenatedEventsCostsOnlyItself() throws IOException {
    // EventBridge -> Firehose -> S3 writes the events back to back, with no delimiter.
    String ec2 = eventBridge("e1", line(EC2));
    String iam = eventBridge("e2", line(IAM));
    String s3 = eventBridge("e3", line(S3));
    String broken = iam.replace("\"severity\":", "\"severity\"");
    CollectingSink sink = parseText(ec2 + broken + s3 + ec2.substring(0, 200));

    assertThat(sink.sources())
        .extracting(d -> d.at("/aws/guardduty/resource_type").asText())
        .containsExactly("Instance", "S3Bucket");
    assertThat(sink.rejections)
        .extracting(Rejection::reason)
        .satisfiesExactly(
            r -> assertThat(r).contains("malformed JSON").contains("reading resumed on line 1"),
            r -> assertThat(r).contains("malformed JSON").contains("nothing readable follows"));
  }

  private static String eventBridge(String id, String finding) {
    return "{\"version\":\"0\",\"id\":\""
        + id
        + "\",\"detail-type\":\"GuardDuty Finding\",\"source\":\"aws.guardduty\","
        + "\"account\":\"123456789012\",\"time\":\"2022-01-13T00:00:48Z\",\"region\":\"us-east-1\","
        + "\"resources\":[],\"detail\":"
        + finding
        + "}";
  }

  @Test
  void badFindingsAreRejectedAndTheGoodOnesKept() throws IOException {
    ObjectNode good = (ObjectNode) JSON.readTree(TestData.bytes(IAM));
    ObjectNode noId = good.deepCopy();
    noId.remove("id");
    ObjectNode badTime = good.deepCopy();
    badTime.put("updatedAt", "last tuesday");
    ObjectNode badSeverity = good.deepCopy();
    badSeverity.put("severity", "high");
    String otherEvent =
        "{\"detail-type\":\"EC2 Instance State-change Notification\",\"detail\":{\"state\":\"stopped\"}}";
    String text =
        String.join(
            "\n",
            good.toString(),
            noId.toString(),
            badTime.toString(),
            badSeverity.toString(),
            otherEvent,
            "{\"detail-type\":\"GuardDuty Finding\"}",
            good.toString().substring(0, 100),
            line(S3));
    CollectingSink sink = parseText(text);

    assertThat(sink.documents).hasSize(2);
    assertThat(sink.rejections)
        .extracting(Rejection::record)
        .containsExactly(2L, 3L, 4L, 5L, 6L, 7L);
    assertThat(sink.rejections)
        .extracting(Rejection::reason)
        .satisfiesExactly(
            r -> assertThat(r).isEqualTo("not a valid GuardDuty finding: id is missing"),
            r -> assertThat(r).contains("updatedAt must be an ISO-8601 time, found 'last tuesday'"),
            r -> assertThat(r).contains("severity must be a number, found a string"),
            r ->
                assertThat(r)
                    .isEqualTo(
                        "EventBridge event of detail-type 'EC2 Instance State-change Notification'"
                            + " is not a GuardDuty finding"),
            r ->
                assertThat(r)
                    .isEqualTo("EventBridge event has no detail (detail-type 'GuardDuty Finding')"),
            r -> assertThat(r).contains("malformed JSON").contains("line 7"));
  }

  @Test
  void gzippedExportIsRead() throws IOException {
    byte[] jsonl = (line(EC2) + "\n" + line(IAM) + "\n").getBytes(StandardCharsets.UTF_8);
    CollectingSink sink = CollectingSink.parse(Gzip.gzip(jsonl), EXPORT_KEY, null);
    assertThat(sink.rejections).isEmpty();
    assertThat(sink.documents).hasSize(2);
  }

  // A finding id is unique within its detector, one per account and Region
  // (https://docs.aws.amazon.com/guardduty/latest/APIReference/API_Finding.html): the latest state
  // is kept per account, Region and id, ordered by updatedAt.
  @Test
  void theLatestStateOfAFindingIsKeptPerAccountRegionAndIdOrderedByUpdatedAt() throws IOException {
    ObjectNode finding = (ObjectNode) JSON.readTree(TestData.bytes(IAM));
    ObjectNode later = finding.deepCopy().put("updatedAt", "2030-01-02T03:04:05.678Z");
    ObjectNode elsewhere = finding.deepCopy().put("region", "eu-west-1");

    var documents = parseText(finding + "\n" + later + "\n" + elsewhere).documents;

    assertThat(documents).hasSize(3);
    assertThat(documents.get(0).latest().index()).isEqualTo("vigil-latest-guardduty");
    assertThat(documents.get(1).latest().id()).isEqualTo(documents.get(0).latest().id());
    assertThat(documents.get(2).latest().id()).isNotEqualTo(documents.get(0).latest().id());
    assertThat(documents.get(1).latest().version())
        .isEqualTo(java.time.Instant.parse("2030-01-02T03:04:05.678Z").toEpochMilli());
  }

  private static String line(String path) throws IOException {
    return JSON.readTree(TestData.bytes(path)).toString();
  }

  private static CollectingSink parseText(String text) {
    return CollectingSink.parse(
        text.getBytes(StandardCharsets.UTF_8), EXPORT_KEY, LogType.GUARDDUTY);
  }
}

package dev.vigil.core.parse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.core.LogType;
import dev.vigil.core.TestData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class SecurityHubParserTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DIR = "automated-security-response-on-aws/securityhub-asff/";
  private static final String EC2_1 = DIR + "bare/afsbp-ec2.1.json";
  private static final String MULTI_SELECT =
      DIR + "eventbridge/source__layer__test__test_json_data__CIS_1-6-multi-select.json";
  private static final String IMPORTED =
      DIR + "eventbridge/source__layer__test__test_json_data__afsbp-ec2.7.json";
  private static final ObjectRef KEY = new ObjectRef("logs", "findings/2026/11/27/batch-1.json.gz");

  @Test
  void everySampleFindingBecomesOneDocument() throws IOException {
    long findings = 0;
    long documents = 0;
    for (Path file : samples()) {
      CollectingSink sink =
          CollectingSink.parse(Files.readAllBytes(file), ObjectRef.file(file.toString()), null);
      assertThat(sink.rejections).as(file.toString()).isEmpty();
      assertThat(sink.documents)
          .as(file.toString())
          .isNotEmpty()
          .extracting(ParsedDocument::type)
          .containsOnly(LogType.SECURITYHUB);
      JsonNode sample = JSON.readTree(file.toFile());
      findings += sample.has("detail") ? sample.at("/detail/findings").size() : 1;
      documents += sink.documents.size();
    }
    assertThat(documents).isEqualTo(findings).isEqualTo(84);
  }

  @Test
  void bareFindingGetsEcsAndPromotedFields() {
    CollectingSink sink = CollectingSink.parse(TestData.bytes(EC2_1), KEY, LogType.SECURITYHUB);

    ParsedDocument document = sink.documents.get(0);
    assertThat(document.index()).isEqualTo("vigil-securityhub-2021.02.17");
    JsonNode doc = CollectingSink.tree(document);
    assertThat(doc.at("/@timestamp").asText()).isEqualTo("2021-02-17T12:55:31.491Z");
    assertThat(doc.at("/event/kind").asText()).isEqualTo("alert");
    assertThat(doc.at("/event/severity").asInt()).isEqualTo(90);
    assertThat(doc.at("/event/action").asText()).startsWith("EC2.1 EBS snapshots should not be");
    assertThat(doc.at("/event/provider").asText()).isEqualTo("Security Hub");
    assertThat(doc.at("/cloud/account/id").asText()).isEqualTo("111111111111");
    assertThat(doc.at("/cloud/region").asText()).isEqualTo("us-east-1"); // from ProductArn
    assertThat(doc.at("/aws/securityhub/severity_label").asText()).isEqualTo("CRITICAL");
    assertThat(doc.at("/aws/securityhub/compliance_status").asText()).isEqualTo("FAILED");
    assertThat(doc.at("/aws/securityhub/control_id").asText()).isEqualTo("EC2.1");
    assertThat(doc.at("/aws/securityhub/product_name").asText()).isEqualTo("Security Hub");
    assertThat(doc.at("/aws/securityhub/generator_id").asText())
        .isEqualTo("aws-foundational-security-best-practices/v/1.0.0/EC2.1");
    assertThat(doc.at("/aws/securityhub/resource_types").toString()).isEqualTo("[\"AwsAccount\"]");
    assertThat(doc.at("/aws/securityhub/workflow_status").asText()).isEqualTo("NEW");
    // The finding is kept whole.
    assertThat(doc.at("/ProductFields/aws~1securityhub~1annotation").asText())
        .isEqualTo("Public Amazon EBS Snapshots: 2");
  }

  @Test
  void resourceDetailsAreKeptForTheFlatObjectField() {
    JsonNode doc =
        CollectingSink.parse(
                TestData.bytes(DIR + "bare/afsbp-rds.1.json"), KEY, LogType.SECURITYHUB)
            .sources()
            .get(0);
    assertThat(doc.at("/Resources/0/Details/AwsRdsDbClusterSnapshot/Engine").asText())
        .isEqualTo("aurora-mysql");
    assertThat(doc.at("/aws/securityhub/resource_types/0").asText())
        .isEqualTo("AwsRdsDbClusterSnapshot");
  }

  @Test
  void eventBridgeEventGivesADocumentPerFindingWithCisRuleIdAsControl() {
    CollectingSink sink = CollectingSink.parse(TestData.bytes(MULTI_SELECT), KEY, null);

    assertThat(sink.rejections).isEmpty();
    assertThat(sink.documents).hasSize(2);
    assertThat(sink.documents).extracting(ParsedDocument::id).doesNotHaveDuplicates();
    assertThat(sink.sources())
        .extracting(d -> d.at("/aws/securityhub/control_id").asText())
        .containsOnly("1.6");
  }

  @Test
  void idChangesWithUpdatedAtAndStaysForTheSameUpdate() throws IOException {
    ObjectNode finding = (ObjectNode) JSON.readTree(TestData.bytes(EC2_1));
    String first = parseText(finding.toString()).documents.get(0).id();
    String again = parseText(finding.toString()).documents.get(0).id();
    finding.put("UpdatedAt", "2021-02-18T08:00:00.000Z");
    ParsedDocument updated = parseText(finding.toString()).documents.get(0);

    assertThat(again).isEqualTo(first);
    assertThat(updated.id()).isNotEqualTo(first);
    assertThat(updated.index()).isEqualTo("vigil-securityhub-2021.02.18");
  }

  @Test
  void findingsArrayKeepsGoodFindingsAroundOneMissingRequiredFields() throws IOException {
    ObjectNode good = (ObjectNode) JSON.readTree(TestData.bytes(EC2_1));
    ObjectNode bad = good.deepCopy();
    bad.remove("Id");
    bad.remove("UpdatedAt");
    bad.remove("CreatedAt");
    ObjectNode wrongType = good.deepCopy();
    wrongType.put("AwsAccountId", 111111111111L);
    ObjectNode other = good.deepCopy();
    other.put("Id", "another");
    String body =
        "{\"Findings\":[" + good + "," + bad + "," + wrongType + ",\"text\"," + other + "]}";
    CollectingSink sink = parseText(body);

    assertThat(sink.documents).hasSize(2);
    assertThat(sink.rejections).extracting(Rejection::record).containsExactly(2L, 3L, 4L);
    assertThat(sink.rejections.get(0).reason())
        .isEqualTo("not a valid ASFF finding: Id is missing; UpdatedAt (or CreatedAt) is missing");
    assertThat(sink.rejections.get(1).reason())
        .contains("AwsAccountId must be a string, found a number");
    assertThat(sink.rejections.get(2).reason())
        .isEqualTo("finding must be a JSON object, found a string");
    assertThat(sink.rejections).allSatisfy(r -> assertThat(r.byteOffset()).isPositive());
  }

  @Test
  void envelopeWithoutFindingsIsRejectedAndTheNextEnvelopeKept() throws IOException {
    ObjectNode envelope = (ObjectNode) JSON.readTree(TestData.bytes(IMPORTED));
    ObjectNode missing = envelope.deepCopy();
    ((ObjectNode) missing.get("detail")).remove("findings");
    ObjectNode notArray = envelope.deepCopy();
    ((ObjectNode) notArray.get("detail")).put("findings", "none");
    // Firehose concatenates EventBridge events without a delimiter.
    CollectingSink sink = parseText(missing.toString() + notArray + envelope);

    assertThat(sink.documents).hasSize(1);
    assertThat(sink.rejections)
        .extracting(Rejection::record, Rejection::reason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                1L,
                "EventBridge event has no detail.findings array"
                    + " (detail-type 'Security Hub Findings - Imported')"),
            org.assertj.core.groups.Tuple.tuple(
                2L,
                "EventBridge event's detail.findings must be an array of findings, found a string"
                    + " (detail-type 'Security Hub Findings - Imported')"));
    assertThat(sink.rejections.get(1).byteOffset()).isEqualTo(missing.toString().length());
  }

  @Test
  void eventCutInHalfKeepsTheEventsBeforeAndAfterIt() throws IOException {
    String envelope = JSON.readTree(TestData.bytes(IMPORTED)).toString();
    String text =
        envelope + "\n" + envelope.substring(0, envelope.length() / 2) + "\n" + multiSelectLine();
    CollectingSink sink = parseText(text);

    assertThat(sink.documents).hasSize(3);
    assertThat(sink.rejections)
        .singleElement()
        .satisfies(
            r -> {
              // The cut finding costs only its own bytes, up to the next event.
              assertThat(r.record()).isEqualTo(2);
              assertThat(r.byteOffset()).isGreaterThan(envelope.length() + 1);
              assertThat(r.skippedEvents()).isEqualTo(1);
              assertThat(r.reason())
                  .contains("malformed JSON")
                  .contains(
                      "(the damaged finding); reading resumed at byte "
                          + (text.length() - multiSelectLine().length()));
            });
  }

  @Test
  void gzippedArrayOfFindingsIsRead() throws IOException {
    String array = "[" + JSON.readTree(TestData.bytes(EC2_1)) + "," + bareLine("cis-15.json") + "]";
    CollectingSink sink =
        CollectingSink.parse(Gzip.gzip(array.getBytes(StandardCharsets.UTF_8)), KEY, null);
    assertThat(sink.rejections).isEmpty();
    assertThat(sink.documents).hasSize(2);
  }

  @Test
  void severityLabelIsDerivedWhenOnlyNormalizedIsGiven() throws IOException {
    ObjectNode finding = (ObjectNode) JSON.readTree(TestData.bytes(EC2_1));
    ((ObjectNode) finding.get("Severity")).remove("Label");
    ((ObjectNode) finding.get("Severity")).put("Normalized", 45);
    JsonNode doc = parseText(finding.toString()).sources().get(0);
    assertThat(doc.at("/aws/securityhub/severity_label").asText()).isEqualTo("MEDIUM");
    assertThat(doc.at("/event/severity").asInt()).isEqualTo(45);
  }

  // A finding is identified by ProductArn and Id together
  // (https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_AwsSecurityFindingIdentifier.html);
  // its updates are ordered by ProcessedAt, which a workflow change moves and UpdatedAt does not
  // (https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_BatchUpdateFindings.html).
  @Test
  void everyUpdateOfAFindingKeepsItsLatestStateUnderOneIdOrderedByProcessedAt() throws IOException {
    ObjectNode finding = (ObjectNode) JSON.readTree(TestData.bytes(EC2_1));
    finding.put("UpdatedAt", "2026-11-27T10:00:00Z");
    finding.remove("ProcessedAt");
    ObjectNode resolved = finding.deepCopy().put("ProcessedAt", "2026-11-27T10:20:00.5Z");
    resolved.putObject("Workflow").put("Status", "RESOLVED");
    ObjectNode otherProduct =
        finding
            .deepCopy()
            .put("ProductArn", "arn:aws:securityhub:us-east-1::product/aws/inspector");

    List<ParsedDocument> documents =
        parseText(finding + "\n" + resolved + "\n" + otherProduct).documents;

    ParsedDocument.Latest first = documents.get(0).latest();
    ParsedDocument.Latest second = documents.get(1).latest();
    assertThat(first.index()).isEqualTo("vigil-latest-securityhub");
    assertThat(second.id()).isEqualTo(first.id());
    assertThat(documents.get(2).latest().id()).isNotEqualTo(first.id());
    assertThat(first.version())
        .isEqualTo(java.time.Instant.parse("2026-11-27T10:00:00Z").toEpochMilli());
    assertThat(second.version())
        .isEqualTo(java.time.Instant.parse("2026-11-27T10:20:00.5Z").toEpochMilli());
    // Per update, the history keeps its own documents as before.
    assertThat(documents.get(0).index()).isEqualTo("vigil-securityhub-2026.11.27");
  }

  // BatchUpdateFindings leaves UpdatedAt as it was and Security Hub sends the changed finding as a
  // "Security Hub Findings - Imported" event
  // (https://docs.aws.amazon.com/securityhub/latest/userguide/finding-update-batchupdatefindings.html):
  // the suppression made today is a new history document timed when Security Hub processed it.
  @Test
  void aWorkflowChangeIsAHistoryDocumentOfItsOwnTimedWhenSecurityHubProcessedIt()
      throws IOException {
    ObjectNode finding = (ObjectNode) JSON.readTree(TestData.bytes(EC2_1));
    finding.put("UpdatedAt", "2026-11-20T10:00:00Z");
    finding.put("ProcessedAt", "2026-11-20T10:00:02.5Z");
    ObjectNode suppressed = finding.deepCopy().put("ProcessedAt", "2026-11-27T09:58:50Z");
    suppressed.putObject("Workflow").put("Status", "SUPPRESSED");

    CollectingSink sink = parseText(finding + "\n" + suppressed);

    assertThat(sink.documents.get(1).id()).isNotEqualTo(sink.documents.get(0).id());
    assertThat(sink.documents.get(1).index()).isEqualTo("vigil-securityhub-2026.11.27");
    assertThat(sink.sources().get(1).at("/@timestamp").asText()).isEqualTo("2026-11-27T09:58:50Z");
    assertThat(sink.sources().get(1).at("/UpdatedAt").asText()).isEqualTo("2026-11-20T10:00:00Z");
    assertThat(sink.documents.get(1).latest().version())
        .isEqualTo(java.time.Instant.parse("2026-11-27T09:58:50Z").toEpochMilli());
    // A ProcessedAt that is not a time leaves the document timed by UpdatedAt, not rejected.
    finding.put("ProcessedAt", "soon");
    assertThat(parseText(finding.toString()).sources().get(0).at("/@timestamp").asText())
        .isEqualTo("2026-11-20T10:00:00Z");
  }

  private static String multiSelectLine() throws IOException {
    return JSON.readTree(TestData.bytes(MULTI_SELECT)).toString();
  }

  private static String bareLine(String name) throws IOException {
    return JSON.readTree(TestData.bytes(DIR + "bare/" + name)).toString();
  }

  private static List<Path> samples() {
    try (Stream<Path> bare = Files.list(TestData.path(DIR + "bare"));
        Stream<Path> wrapped = Files.list(TestData.path(DIR + "eventbridge"))) {
      return Stream.concat(bare, wrapped).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static CollectingSink parseText(String text) {
    return CollectingSink.parse(text.getBytes(StandardCharsets.UTF_8), KEY, LogType.SECURITYHUB);
  }
}

package dev.vigil.core.parse.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.core.LogType;
import dev.vigil.core.TestData;
import dev.vigil.core.parse.CollectingSink;
import dev.vigil.core.parse.Gzip;
import dev.vigil.core.parse.ObjectRef;
import dev.vigil.core.parse.ParsedDocument;
import dev.vigil.core.parse.UnreadableInputException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VpcFlowParserTest {
  private static final String DOCS = "awsdocs-vpc-user-guide/vpcflow/";
  private static final String CENTRALIZED =
      "centralized-logging-with-opensearch/vpcflow/vpcflow.log";
  private static final ObjectRef KEY =
      new ObjectRef(
          "flow-bucket",
          "AWSLogs/123456789012/vpcflowlogs/us-east-1/2022/05/04/"
              + "123456789012_vpcflowlogs_us-east-1_fl-0123456789abcdef0_20220504T0640Z_3a9dfd9d.log.gz");
  private static final String HEADER_V2 =
      "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n";

  @Test
  void gzippedS3ObjectWithNodataRowsGivesADocumentPerRecord() {
    CollectingSink sink = CollectingSink.parse(Gzip.gzip(TestData.bytes(CENTRALIZED)), KEY, null);

    assertThat(sink.rejections).isEmpty();
    assertThat(sink.documents).hasSize(17);
    List<JsonNode> docs = sink.sources();
    // NODATA rows are kept with the fields they have: no addresses, no outcome.
    JsonNode nodata = docs.get(0);
    assertThat(nodata.at("/log_status").asText()).isEqualTo("NODATA");
    assertThat(nodata.has("srcaddr")).isFalse();
    assertThat(nodata.has("action")).isFalse();
    assertThat(nodata.has("source")).isFalse();
    assertThat(nodata.at("/event/outcome").isMissingNode()).isTrue();
    assertThat(nodata.at("/@timestamp").asText()).isEqualTo("2022-05-04T06:41:38Z");
    // The upstream test expects 10 records with traffic; the other 7 are NODATA.
    assertThat(docs).filteredOn(d -> d.has("source")).hasSize(10);

    JsonNode udp = docs.get(3);
    assertThat(udp.at("/srcport").isIntegralNumber()).isTrue();
    assertThat(udp.at("/srcport").asInt()).isEqualTo(52284);
    assertThat(udp.at("/protocol").asInt()).isEqualTo(17);
    assertThat(udp.at("/bytes").asLong()).isEqualTo(147);
    assertThat(udp.at("/start").asLong()).isEqualTo(1651646509L);
    assertThat(udp.at("/account_id").asText()).isEqualTo("123456789012");
    assertThat(udp.at("/interface_id").asText()).isEqualTo("eni-0b7ee7497ac15992e");
    assertThat(udp.at("/source/ip").asText()).isEqualTo("205.185.127.13");
    assertThat(udp.at("/source/port").asInt()).isEqualTo(52284);
    assertThat(udp.at("/destination/ip").asText()).isEqualTo("10.255.1.170");
    assertThat(udp.at("/destination/port").asInt()).isEqualTo(9034);
    assertThat(udp.at("/network/transport").asText()).isEqualTo("udp");
    assertThat(udp.at("/network/iana_number").asText()).isEqualTo("17");
    assertThat(udp.at("/network/bytes").asLong()).isEqualTo(147);
    assertThat(udp.at("/network/packets").asLong()).isEqualTo(1);
    assertThat(udp.at("/event/kind").asText()).isEqualTo("event");
    assertThat(udp.at("/event/category").asText()).isEqualTo("network");
    assertThat(udp.at("/event/action").asText()).isEqualTo("allowed");
    assertThat(udp.at("/event/outcome").asText()).isEqualTo("success");
    assertThat(udp.at("/event/type").toString()).isEqualTo("[\"connection\",\"allowed\"]");
    assertThat(udp.at("/cloud/account/id").asText()).isEqualTo("123456789012");
    assertThat(udp.at("/cloud/region").asText()).isEqualTo("us-east-1"); // from the key
    assertThat(udp.at("/related/ip").toString()).isEqualTo("[\"205.185.127.13\",\"10.255.1.170\"]");
    assertThat(udp.at("/@timestamp").asText()).isEqualTo("2022-05-04T06:41:49Z");
    assertThat(sink.documents.get(3).index()).isEqualTo("vigil-vpcflow-2022.05.04");
  }

  @Test
  void documentedDefaultFormatRecordsIncludingRejectIcmpIpv6AndSkipdata() {
    CollectingSink sink = parseFile(DOCS + "v2-default.log");

    assertThat(sink.rejections).isEmpty();
    List<JsonNode> docs = sink.sources();
    assertThat(docs).hasSize(7);
    assertThat(docs.get(1).at("/action").asText()).isEqualTo("REJECT");
    assertThat(docs.get(1).at("/event/outcome").asText()).isEqualTo("failure");
    assertThat(docs.get(1).at("/event/action").asText()).isEqualTo("denied");
    assertThat(docs.get(1).at("/event/type").toString()).isEqualTo("[\"connection\",\"denied\"]");
    assertThat(docs.get(3).at("/log_status").asText()).isEqualTo("SKIPDATA");
    assertThat(docs.get(3).at("/interface_id").asText()).isEqualTo("eni-11111111aaaaaaaaa");
    assertThat(docs.get(4).at("/network/transport").asText()).isEqualTo("icmp");
    assertThat(docs.get(6).at("/source/ip").asText())
        .isEqualTo("2001:db8:1234:a100:8d6e:3477:df66:f105");
  }

  @Test
  void customFieldOrderIsTakenFromTheHeaderAndRunsOfSpacesSeparateFields() {
    // This v3 header puts bytes before packets; the last line has a double space as published.
    CollectingSink sink = parseFile(DOCS + "v3-tcp-flag-sequence.log");

    assertThat(sink.rejections).isEmpty();
    List<JsonNode> docs = sink.sources();
    assertThat(docs).hasSize(8);
    JsonNode first = docs.get(0);
    assertThat(first.at("/bytes").asLong()).isEqualTo(568);
    assertThat(first.at("/packets").asLong()).isEqualTo(8);
    assertThat(first.at("/network/bytes").asLong()).isEqualTo(568);
    assertThat(first.at("/network/packets").asLong()).isEqualTo(8);
    assertThat(first.at("/tcp_flags").asInt()).isEqualTo(2);
    assertThat(first.at("/vpc_id").asText()).isEqualTo("vpc-abcdefab012345678");
    assertThat(first.at("/subnet_id").asText()).isEqualTo("subnet-aaaaaaaa012345678");
    assertThat(first.at("/instance_id").asText()).isEqualTo("i-01234567890123456");
    assertThat(first.at("/pkt_srcaddr").asText()).isEqualTo("52.213.180.42");
    assertThat(first.at("/type").asText()).isEqualTo("IPv4");
    assertThat(first.at("/network/type").asText()).isEqualTo("ipv4");
    JsonNode doubleSpaced = docs.get(7);
    assertThat(doubleSpaced.at("/dstport").asInt()).isEqualTo(43638);
    assertThat(doubleSpaced.at("/pkt_srcaddr").asText()).isEqualTo("10.0.0.62");
    assertThat(doubleSpaced.at("/tcp_flags").asInt()).isEqualTo(19);
  }

  @Test
  void version5FieldsAndTheRecordsOwnRegionWinOverTheKey() {
    CollectingSink sink = parseFile(DOCS + "v5-traffic-path-flow-direction.log");

    assertThat(sink.rejections).isEmpty();
    List<JsonNode> docs = sink.sources();
    assertThat(docs).hasSize(2);
    JsonNode ingress = docs.get(0);
    assertThat(ingress.at("/region").asText()).isEqualTo("ap-southeast-2");
    assertThat(ingress.at("/cloud/region").asText()).isEqualTo("ap-southeast-2");
    assertThat(ingress.at("/az_id").asText()).isEqualTo("apse2-az3");
    assertThat(ingress.at("/pkt_src_aws_service").asText()).isEqualTo("S3");
    assertThat(ingress.has("pkt_dst_aws_service")).isFalse();
    assertThat(ingress.has("traffic_path")).isFalse();
    assertThat(ingress.has("sublocation_type")).isFalse();
    assertThat(ingress.at("/flow_direction").asText()).isEqualTo("ingress");
    assertThat(ingress.at("/network/direction").asText()).isEqualTo("ingress");
    JsonNode egress = docs.get(1);
    assertThat(egress.at("/traffic_path").isIntegralNumber()).isTrue();
    assertThat(egress.at("/traffic_path").asInt()).isEqualTo(8);
    assertThat(egress.at("/network/direction").asText()).isEqualTo("egress");
    assertThat(egress.at("/network/transport").asText()).isEqualTo("tcp");
  }

  @Test
  void recordsWithoutStartOrEndAreTimedByTheDeliveryTimeInTheKey() {
    CollectingSink sink = parseFile(DOCS + "v3-transit-gateway.log");

    assertThat(sink.rejections).isEmpty();
    assertThat(sink.documents).hasSize(4);
    JsonNode doc = sink.sources().get(2);
    assertThat(doc.at("/@timestamp").asText()).isEqualTo("2022-05-04T06:40:00Z");
    assertThat(doc.has("instance_id")).isFalse();
    assertThat(doc.at("/pkt_srcaddr").asText()).isEqualTo("10.20.33.164");
    assertThat(doc.at("/related/ip").toString())
        .isEqualTo("[\"10.40.1.175\",\"10.40.2.236\",\"10.20.33.164\"]");
  }

  @Test
  void recordsWithNoTimeAnywhereAreRejectedNamingTheReason() {
    String nat = DOCS + "custom-nat-gateway-no-version.log";
    CollectingSink sink = CollectingSink.parse(TestData.bytes(nat), ObjectRef.file(nat), null);

    assertThat(sink.documents).isEmpty();
    assertThat(sink.rejections).hasSize(6);
    assertThat(sink.rejections.get(0).record()).isEqualTo(2);
    assertThat(sink.rejections.get(0).reason()).contains("no start or end");
  }

  @Test
  void customFormatWithoutVersionFieldIsDetectedByContentAndKeepsEveryField() {
    String nat = DOCS + "custom-nat-gateway-no-version.log";
    CollectingSink sink = CollectingSink.parse(TestData.bytes(nat), KEY, null);

    assertThat(sink.rejections).isEmpty();
    assertThat(sink.documents).hasSize(6);
    JsonNode last = sink.sources().get(5);
    assertThat(last.at("/instance_id").asText()).isEqualTo("i-01234567890123456");
    assertThat(last.at("/pkt_dstaddr").asText()).isEqualTo("10.0.1.5");
    assertThat(last.has("version")).isFalse();
  }

  @Test
  void lineWithTheWrongNumberOfFieldsIsRejectedAndItsNeighboursKept() {
    String good1 =
        "2 123456789010 eni-1 10.0.0.1 10.0.0.2 1 2 6 3 4 1418530010 1418530070 ACCEPT OK\n";
    String bad = "2 123456789010 eni-1 10.0.0.1 10.0.0.2 1 2 6 3 1418530010 1418530070 ACCEPT OK\n";
    String good2 =
        "2 123456789010 eni-1 10.0.0.3 10.0.0.4 1 2 6 3 4 1418530011 1418530070 ACCEPT OK\n";
    CollectingSink sink = parseText(HEADER_V2 + good1 + bad + good2);

    assertThat(sink.sources())
        .extracting(d -> d.at("/srcaddr").asText())
        .containsExactly("10.0.0.1", "10.0.0.3");
    assertThat(sink.rejections)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.record()).isEqualTo(3);
              assertThat(r.byteOffset()).isEqualTo(HEADER_V2.length() + good1.length());
              assertThat(r.reason()).contains("expected 14 fields").contains("found 13");
            });
  }

  @Test
  void nonNumericValueInANumericFieldIsRejectedNamingTheField() {
    String bad =
        "2 123456789010 eni-1 10.0.0.1 10.0.0.2 1 2 6 3 4 14185x0010 1418530070 ACCEPT OK\n";
    String good =
        "2 123456789010 eni-1 10.0.0.3 10.0.0.4 1 2 6 3 4 1418530011 1418530070 ACCEPT OK\n";
    CollectingSink sink = parseText(HEADER_V2 + bad + good);

    assertThat(sink.documents).hasSize(1);
    assertThat(sink.rejections)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.record()).isEqualTo(2);
              assertThat(r.byteOffset()).isEqualTo(HEADER_V2.length());
              assertThat(r.reason()).contains("start").contains("14185x0010");
            });
  }

  @Test
  void startInMillisecondsIsRejectedInsteadOfDatingTheRecordInTheFarFuture() {
    String millis =
        "2 123456789010 eni-1 10.0.0.1 10.0.0.2 1 2 6 3 4 1418530010000 1418530070 ACCEPT OK\n";
    CollectingSink sink = parseText(HEADER_V2 + millis);

    assertThat(sink.documents).isEmpty();
    assertThat(sink.rejections)
        .singleElement()
        .satisfies(
            r ->
                assertThat(r.reason())
                    .isEqualTo("field start is 1418530010000, not a Unix time in seconds"));
  }

  @Test
  void headerlessObjectIsReadAsTheDefaultFormatOnlyWhenItsFirstLineIsOne() {
    String v2 =
        "2 123456789010 eni-1 10.0.0.1 10.0.0.2 1 2 6 3 4 1418530010 1418530070 ACCEPT OK\n";
    CollectingSink assumed = parseText(v2 + v2);
    assertThat(assumed.rejections).isEmpty();
    assertThat(assumed.documents).hasSize(2);
    assertThat(assumed.sources().get(0).at("/dstport").asInt()).isEqualTo(2);

    // Fourteen fields, but not the v2 layout (a custom format): refuse rather than guess.
    String custom = "vpc-1 subnet-1 i-1 eni-1 123456789010 IPv4 10.0.0.1 10.0.0.2 1 2 6 3 4 OK\n";
    CollectingSink refused = parseText(custom + custom);
    assertThat(refused.documents).isEmpty();
    assertThat(refused.rejections)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.record()).isEqualTo(1);
              assertThat(r.reason()).contains("no header line").contains("14 fields");
            });
  }

  @Test
  void unknownHeaderNamesAreKeptAsFieldsWithUnderscores() {
    String text =
        "version srcaddr some-future-field start log-status\n"
            + "11 10.0.0.1 xyz-42 1418530010 OK\n"
            + "11 10.0.0.1 - 1418530010 OK\n";
    List<JsonNode> docs = parseText(text).sources();

    assertThat(docs).hasSize(2);
    assertThat(docs.get(0).at("/some_future_field").asText()).isEqualTo("xyz-42");
    assertThat(docs.get(0).at("/version").asInt()).isEqualTo(11);
    assertThat(docs.get(1).has("some_future_field")).isFalse();
  }

  @Test
  void repeatedHeaderNameDoesNotRepeatAJsonKey() {
    List<JsonNode> docs =
        parseText("version srcaddr start srcaddr\n2 10.0.0.1 1418530010 10.0.0.2\n").sources();

    assertThat(docs.get(0).at("/srcaddr").asText()).isEqualTo("10.0.0.1");
    assertThat(docs.get(0).at("/srcaddr_4").asText()).isEqualTo("10.0.0.2");
  }

  @Test
  void laterHeaderLineSwitchesTheFormatOfConcatenatedObjects() {
    String text =
        HEADER_V2
            + "2 123456789010 eni-1 10.0.0.1 10.0.0.2 1 2 6 3 4 1418530010 1418530070 ACCEPT OK\n"
            + "version start srcaddr action\n"
            + "5 1418530099 10.9.9.9 REJECT\n";
    CollectingSink sink = parseText(text);

    assertThat(sink.rejections).isEmpty();
    assertThat(sink.sources())
        .extracting(d -> d.at("/source/ip").asText())
        .containsExactly("10.0.0.1", "10.9.9.9");
  }

  @Test
  void windowsLineEndingsAndAMissingFinalNewlineAreAccepted() {
    String text =
        HEADER_V2.replace("\n", "\r\n")
            + "2 123456789010 eni-1 10.0.0.1 10.0.0.2 1 2 6 3 4 1418530010 1418530070 ACCEPT OK\r\n"
            + "2 123456789010 eni-1 10.0.0.3 10.0.0.4 1 2 6 3 4 1418530010 1418530070 REJECT OK";
    CollectingSink sink = parseText(text);

    assertThat(sink.rejections).isEmpty();
    assertThat(sink.sources())
        .extracting(d -> d.at("/log_status").asText())
        .containsExactly("OK", "OK");
  }

  @Test
  void damagedParquetObjectIsRefusedWithAReasonInsteadOfGarbage() {
    byte[] parquet = "PAR1\u0015\u0000\u0015binary".getBytes(StandardCharsets.ISO_8859_1);
    // The whole object is unreadable (an object dead letter), not a record of garbage.
    assertThatThrownBy(() -> CollectingSink.parse(parquet, KEY, null))
        .hasCauseInstanceOf(UnreadableInputException.class)
        .hasMessageContaining("unreadable Parquet: not a whole Parquet file");
  }

  @Test
  void documentIdsArePositionalStableAndDistinct() {
    byte[] raw = TestData.bytes(CENTRALIZED);
    List<String> first =
        CollectingSink.parse(raw, KEY, null).documents.stream().map(ParsedDocument::id).toList();
    List<String> again =
        CollectingSink.parse(raw, KEY, null).documents.stream().map(ParsedDocument::id).toList();
    List<String> otherKey =
        CollectingSink.parse(
                raw, new ObjectRef("flow-bucket", KEY.key() + ".copy"), LogType.VPCFLOW)
            .documents
            .stream()
            .map(ParsedDocument::id)
            .toList();

    assertThat(first).hasSize(17).doesNotHaveDuplicates().isEqualTo(again);
    assertThat(otherKey).doesNotContainAnyElementsOf(first);
  }

  @Test
  void truncatedGzipKeepsTheRecordsBeforeTheDamage() {
    StringBuilder text = new StringBuilder(HEADER_V2);
    for (int i = 0; i < 5000; i++) {
      text.append("2 123456789010 eni-1 10.0.0.1 10.0.0.2 ")
          .append(i)
          .append(" 2 6 3 4 1418530010 1418530070 ACCEPT OK\n");
    }
    byte[] gz = Gzip.gzip(text.toString().getBytes(StandardCharsets.UTF_8));
    CollectingSink sink = CollectingSink.parse(Arrays.copyOf(gz, gz.length / 2), KEY, null);

    assertThat(sink.documents).isNotEmpty().hasSizeLessThan(5000);
    assertThat(sink.rejections)
        .singleElement()
        .satisfies(r -> assertThat(r.reason()).contains("damaged"));
  }

  /**
   * opensearch-catalog's sample documents keep their raw line in {@code body}. Half of them carry
   * parsed fields of another record (an egress REJECT with 440 bytes) than their body says; those
   * are an upstream inconsistency, so only the pairs whose parsed action matches their body are
   * compared, on every field both have.
   */
  @Test
  void agreesWithOpenSearchCatalogParsedDocumentsOnSharedFields() throws Exception {
    JsonNode samples =
        new ObjectMapper().readTree(TestData.bytes("opensearch-catalog/vpcflow/sample.json"));
    int compared = 0;
    for (JsonNode sample : samples) {
      String body = sample.at("/body").asText();
      JsonNode parsed = sample.at("/aws/vpc");
      if (!body.split(" ")[12].equals(parsed.at("/action").asText())) {
        continue;
      }
      JsonNode mine = parseText(body + "\n").sources().get(0);
      for (String field : VpcFlowParser.DEFAULT_V2) {
        assertThat(mine.at("/" + field.replace('-', '_')).asText())
            .as(field)
            .isEqualTo(parsed.get(field).asText());
      }
      assertThat(mine.at("/cloud/account/id").asText())
          .isEqualTo(sample.at("/cloud/account/id").asText());
      assertThat(mine.at("/source/ip").asText())
          .isEqualTo(sample.at("/communication/source/address").asText());
      assertThat(mine.at("/source/port").asInt())
          .isEqualTo(sample.at("/communication/source/port").asInt());
      assertThat(mine.at("/destination/ip").asText())
          .isEqualTo(sample.at("/communication/destination/address").asText());
      assertThat(mine.at("/destination/port").asInt())
          .isEqualTo(sample.at("/communication/destination/port").asInt());
      assertThat(mine.at("/network/bytes").asLong())
          .isEqualTo(sample.at("/communication/source/bytes").asLong());
      assertThat(mine.at("/network/packets").asLong())
          .isEqualTo(sample.at("/communication/source/packets").asLong());
      compared++;
    }
    assertThat(compared).isEqualTo(11);
  }

  /** Data Prepper's VPC_FLOW_LOG grok keeps "-" as a value; Vigil leaves such fields out. */
  @Test
  void agreesWithDataPrepperGrokPairsOnSharedFields() throws Exception {
    JsonNode pairs =
        new ObjectMapper().readTree(TestData.bytes("data-prepper/grok-pairs/aws_grok_pairs.json"));
    List<String> inputs = new ArrayList<>();
    for (JsonNode pair : pairs.get("pairs")) {
      if (!pair.get("grok_pattern").asText().equals("%{VPC_FLOW_LOG}")) {
        continue;
      }
      inputs.add(pair.get("input").asText());
      JsonNode mine = parseText(HEADER_V2 + pair.get("input").asText() + "\n").sources().get(0);
      for (Map.Entry<String, JsonNode> expected : pair.get("expected").properties()) {
        String field = expected.getKey().replace('-', '_');
        if (expected.getValue().asText().equals("-")) {
          assertThat(mine.has(field)).as(field).isFalse();
        } else {
          assertThat(mine.at("/" + field).asText())
              .as(field)
              .isEqualTo(expected.getValue().asText());
        }
      }
    }
    assertThat(inputs).hasSize(2);
  }

  private static CollectingSink parseFile(String relative) {
    return CollectingSink.parse(TestData.bytes(relative), KEY, null);
  }

  private static CollectingSink parseText(String text) {
    return CollectingSink.parse(text.getBytes(StandardCharsets.UTF_8), KEY, LogType.VPCFLOW);
  }
}

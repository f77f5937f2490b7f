package dev.vigil.core.parse.types;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.core.LogType;
import dev.vigil.core.TestData;
import dev.vigil.core.parse.CollectingSink;
import dev.vigil.core.parse.Gzip;
import dev.vigil.core.parse.LogTypeDetector;
import dev.vigil.core.parse.ObjectRef;
import dev.vigil.core.parse.ParsedDocument;
import dev.vigil.core.parse.Rejection;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The shared test data has one real Resolver record (OpenSearch Security Analytics' DNS sample,
 * pretty-printed). The one-object-per-line form Resolver writes to S3 is built here from the
 * documented fields (AWS docs, "Values that appear in resolver query logs").
 */
class Route53ResolverParserTest {
  private static final String SAMPLE =
      "opensearch-security-analytics/route53-resolver/dns-sample.json";
  private static final ObjectRef KEY =
      new ObjectRef(
          "dns-logs",
          "AWSLogs/111122223333/vpcdnsquerylogs/vpc-0123456789abcdef0/2021/10/14/"
              + "vpcdnsquerylogs_111122223333_20211014T1405Z_abc.log.gz");

  private static String record(String name, String time, String srcaddr) {
    return "{\"version\":\"1.100000\",\"account_id\":\"111122223333\",\"region\":\"us-west-2\","
        + "\"vpc_id\":\"vpc-0123456789abcdef0\",\"query_timestamp\":\""
        + time
        + "\",\"query_name\":\""
        + name
        + "\",\"query_type\":\"A\",\"query_class\":\"IN\",\"rcode\":\"NOERROR\","
        + "\"answers\":[{\"Rdata\":\"192.0.2.44\",\"Type\":\"A\",\"Class\":\"IN\"},"
        + "{\"Rdata\":\"alias.example.com.\",\"Type\":\"CNAME\",\"Class\":\"IN\"}],"
        + "\"srcaddr\":\""
        + srcaddr
        + "\",\"srcport\":\"58938\",\"transport\":\"UDP\","
        + "\"srcids\":{\"instance\":\"i-0123456789abcdef0\"}}";
  }

  private static final String R1 = record("www.example.com.", "2021-10-14T14:06:10Z", "10.0.0.154");
  private static final String R2 = record("api.example.org.", "2021-10-14T14:06:11Z", "10.0.0.155");
  private static final String R3 = record("db.example.net.", "2021-10-14T14:06:12Z", "10.0.0.156");

  @Test
  void gzippedOneRecordPerLineObjectGivesADocumentPerQuery() {
    String text = R1 + "\n" + R2 + "\n\n" + R3 + "\n";
    CollectingSink sink =
        CollectingSink.parse(Gzip.gzip(text.getBytes(StandardCharsets.UTF_8)), KEY, null);

    assertThat(sink.rejections).isEmpty();
    assertThat(sink.documents).hasSize(3);
    assertThat(sink.documents).extracting(ParsedDocument::id).doesNotHaveDuplicates();
    assertThat(sink.documents.get(0).index()).isEqualTo("vigil-route53resolver-2021.10.14");
    JsonNode doc = sink.sources().get(0);
    assertThat(doc.at("/@timestamp").asText()).isEqualTo("2021-10-14T14:06:10Z");
    assertThat(doc.at("/query_name").asText()).isEqualTo("www.example.com.");
    assertThat(doc.at("/query_type").asText()).isEqualTo("A");
    assertThat(doc.at("/rcode").asText()).isEqualTo("NOERROR");
    assertThat(doc.at("/answers/1/Rdata").asText()).isEqualTo("alias.example.com.");
    assertThat(doc.at("/srcids/instance").asText()).isEqualTo("i-0123456789abcdef0");
    assertThat(doc.at("/srcport").asText()).isEqualTo("58938");
    assertThat(doc.at("/source/ip").asText()).isEqualTo("10.0.0.154");
    assertThat(doc.at("/source/port").asInt()).isEqualTo(58938);
    assertThat(doc.at("/cloud/account/id").asText()).isEqualTo("111122223333");
    assertThat(doc.at("/cloud/region").asText()).isEqualTo("us-west-2");
    assertThat(doc.at("/network/transport").asText()).isEqualTo("udp");
    assertThat(doc.at("/network/protocol").asText()).isEqualTo("dns");
    assertThat(doc.at("/event/kind").asText()).isEqualTo("event");
    assertThat(doc.at("/event/category").asText()).isEqualTo("network");
    assertThat(doc.at("/event/type").toString()).isEqualTo("[\"protocol\"]");
    // The querying host and every address answered (not the CNAME) are related IPs.
    assertThat(doc.at("/related/ip").toString()).isEqualTo("[\"10.0.0.154\",\"192.0.2.44\"]");
    assertThat(sink.documents.get(2).id())
        .isEqualTo(
            new dev.vigil.core.parse.DocumentIds()
                .positional(LogType.ROUTE53RESOLVER, KEY, 4)); // line 4: the blank line counts
  }

  @Test
  void prettyPrintedRecordWithDnsFirewallFieldsIsReadToo() {
    CollectingSink sink =
        CollectingSink.parse(TestData.bytes(SAMPLE), ObjectRef.file(SAMPLE), null);

    assertThat(sink.rejections).isEmpty();
    JsonNode doc = sink.sources().get(0);
    assertThat(sink.documents).hasSize(1);
    assertThat(doc.at("/@timestamp").asText()).isEqualTo("2022-10-13T21:02:36Z");
    assertThat(doc.at("/firewall_rule_action").asText()).isEqualTo("ALERT");
    assertThat(doc.at("/event/type").toString()).isEqualTo("[\"protocol\",\"allowed\"]");
    assertThat(doc.at("/srcids/resolver_endpoint").asText()).isEqualTo("rslvr-in-0000000000000000");
    assertThat(doc.at("/source/ip").asText()).isEqualTo("10.200.21.100");
    assertThat(doc.at("/related/ip").toString()).isEqualTo("[\"10.200.21.100\",\"127.0.0.62\"]");
  }

  @Test
  void arrayOfRecordsIsReadAsAStream() {
    String blocked = R2.replace("\"srcids\"", "\"firewall_rule_action\":\"BLOCK\",\"srcids\"");
    CollectingSink sink = parseText("[\n" + R1 + ",\n" + blocked + "\n]\n");

    assertThat(sink.rejections).isEmpty();
    assertThat(sink.sources())
        .extracting(d -> d.at("/event/type").toString())
        .containsExactly("[\"protocol\"]", "[\"protocol\",\"denied\"]");
  }

  @Test
  void badLinesAreRejectedWithTheirNumberAndOffsetAndTheRestKept() {
    String malformed = R2.substring(0, R2.length() - 20) + "\n"; // cut off mid-record
    String noTime = R2.replace("\"query_timestamp\":\"2021-10-14T14:06:11Z\",", "") + "\n";
    String badTime = R2.replace("2021-10-14T14:06:11Z", "14/Oct/2021 14:06") + "\n";
    String notObject = "[1,2]\n";
    String two = R1 + " " + R1 + "\n";
    String good = R1 + "\n";
    String text = good + malformed + good + noTime + badTime + notObject + two + R3 + "\n";
    CollectingSink sink = parseText(text);

    assertThat(sink.sources())
        .extracting(d -> d.at("/query_name").asText())
        .containsExactly("www.example.com.", "www.example.com.", "db.example.net.");
    List<Rejection> rejections = sink.rejections;
    assertThat(rejections).extracting(Rejection::record).containsExactly(2L, 4L, 5L, 6L, 7L);
    assertThat(rejections.get(0).byteOffset()).isEqualTo(good.length());
    assertThat(rejections.get(1).byteOffset())
        .isEqualTo(good.length() + malformed.length() + good.length());
    assertThat(rejections.get(0).reason()).contains("malformed JSON");
    assertThat(rejections.get(1).reason()).contains("query_timestamp is missing");
    assertThat(rejections.get(2).reason()).contains("14/Oct/2021 14:06").contains("ISO-8601");
    assertThat(rejections.get(3).reason()).contains("expected a JSON object");
    assertThat(rejections.get(4).reason()).contains("more than one JSON value");
  }

  @Test
  void brokenStreamFormKeepsTheRecordsBeforeTheDamage() {
    String text = "[\n" + R1 + ",\n" + R2 + ",\n" + R3.substring(0, 50);
    CollectingSink sink = parseText(text);

    assertThat(sink.documents).hasSize(2);
    assertThat(sink.rejections)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.record()).isEqualTo(3);
              assertThat(r.reason()).contains("malformed JSON");
            });
  }

  @Test
  void detectedByKeyAndByContent() {
    assertThat(LogTypeDetector.fromKey(KEY.key())).contains(LogType.ROUTE53RESOLVER);
    assertThat(LogTypeDetector.fromContent(R1 + "\n" + R2)).contains(LogType.ROUTE53RESOLVER);
    assertThat(
            LogTypeDetector.fromContent(new String(TestData.bytes(SAMPLE), StandardCharsets.UTF_8)))
        .contains(LogType.ROUTE53RESOLVER);
  }

  /**
   * OpenSearch Security Analytics' dns log type maps Resolver's raw fields by name: every one the
   * sample record has must be in the document under the same name.
   */
  @Test
  void rawFieldsAreWhereSecurityAnalyticsDnsMappingExpectsThem() throws Exception {
    JsonNode mapping =
        new ObjectMapper()
            .readTree(
                TestData.bytes("opensearch-security-analytics/field-mappings/dns_logtype.json"));
    JsonNode raw = new ObjectMapper().readTree(TestData.bytes(SAMPLE));
    JsonNode doc =
        CollectingSink.parse(TestData.bytes(SAMPLE), ObjectRef.file(SAMPLE), null).sources().get(0);
    int checked = 0;
    for (JsonNode field : mapping.get("mappings")) {
      String pointer = "/" + field.get("raw_field").asText().replace("[]", "/0").replace('.', '/');
      if (raw.at(pointer).isMissingNode()) {
        continue; // a field of another DNS source
      }
      assertThat(doc.at(pointer)).as(pointer).isEqualTo(raw.at(pointer));
      checked++;
    }
    assertThat(checked).isGreaterThanOrEqualTo(18);
  }

  private static CollectingSink parseText(String text) {
    return CollectingSink.parse(
        text.getBytes(StandardCharsets.UTF_8), KEY, LogType.ROUTE53RESOLVER);
  }
}

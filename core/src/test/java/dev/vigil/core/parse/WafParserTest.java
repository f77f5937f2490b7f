package dev.vigil.core.parse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.core.LogType;
import dev.vigil.core.TestData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WafParserTest {
  private static final String CATALOG_RAW = "opensearch-catalog/waf/raw.log";
  private static final String CATALOG_PARSED = "opensearch-catalog/waf/samples.json";
  private static final String APPSYNC = "centralized-logging-with-opensearch/waf/waf.log";
  private static final String PRETTY = "opensearch-security-analytics/waf/waf-sample.json";
  private static final ObjectRef FIREHOSE_KEY =
      new ObjectRef("logs", "2023/03/23/05/aws-waf-logs-cf-1-2023-03-23-05-17-37-abcd.gz");

  @Test
  void firehoseObjectGivesOneDocumentPerLineWithEcsFields() {
    CollectingSink sink =
        CollectingSink.parse(Gzip.gzip(TestData.bytes(CATALOG_RAW)), FIREHOSE_KEY, null);

    assertThat(sink.rejections).isEmpty();
    assertThat(sink.documents).hasSize(38);
    assertThat(sink.documents).extracting(ParsedDocument::type).containsOnly(LogType.WAF);
    ParsedDocument first = sink.documents.get(0);
    assertThat(first.id()).isEqualTo("a8i7U3kgh9ZgC-i_-vuB9ycuY1yXZA2C93SommMJO-NSZ8w1EfbQTA==");
    assertThat(first.index()).isEqualTo("vigil-waf-2023.03.23");
    JsonNode doc = CollectingSink.tree(first);
    assertThat(doc.at("/@timestamp").asText()).isEqualTo("2023-03-23T05:17:37.700Z");
    assertThat(doc.at("/event/kind").asText()).isEqualTo("event");
    assertThat(doc.at("/event/category").asText()).isEqualTo("web");
    assertThat(doc.at("/event/action").asText()).isEqualTo("ALLOW");
    assertThat(doc.at("/event/outcome").asText()).isEqualTo("success");
    assertThat(doc.at("/source/ip").asText()).isEqualTo("13.248.48.3");
    assertThat(doc.at("/source/geo/country_iso_code").asText()).isEqualTo("HK");
    assertThat(doc.at("/user_agent/original").asText()).startsWith("Mozilla/5.0 (Macintosh;");
    assertThat(doc.at("/cloud/account/id").asText()).isEqualTo("347283850106");
    assertThat(doc.at("/cloud/region").asText()).isEqualTo("us-east-1");
    assertThat(doc.at("/aws/waf/webacl_name").asText()).isEqualTo("test-cf");
    assertThat(doc.at("/aws/waf/webacl_scope").asText()).isEqualTo("global");
    assertThat(doc.at("/aws/waf/terminating_rule_id").asText()).isEqualTo("Default_Action");
    assertThat(doc.at("/aws/waf/action").asText()).isEqualTo("ALLOW");
    assertThat(doc.at("/vigil/log_type").asText()).isEqualTo("waf");
    // The record itself is kept whole, nested as it was.
    assertThat(doc.at("/timestamp").asLong()).isEqualTo(1679548657700L);
    assertThat(doc.at("/ruleGroupList/2/ruleGroupId").asText())
        .isEqualTo("AWS#AWSManagedRulesCommonRuleSet");
    assertThat(doc.at("/httpRequest/headers/0/name").asText()).isEqualTo("host");
  }

  @Test
  void documentsAgreeWithTheCatalogsParsedSamplesOnEveryFieldTheyShare() throws IOException {
    CollectingSink sink =
        CollectingSink.parse(TestData.bytes(CATALOG_RAW), FIREHOSE_KEY, LogType.WAF);
    Map<String, JsonNode> byRequestId = new HashMap<>();
    for (JsonNode doc : sink.sources()) {
      byRequestId.put(doc.at("/httpRequest/requestId").asText(), doc);
    }
    JsonNode samples = new ObjectMapper().readTree(TestData.bytes(CATALOG_PARSED));
    assertThat(samples).hasSize(38);
    List<String> compared = new ArrayList<>();
    for (JsonNode sample : samples) {
      JsonNode waf = sample.at("/aws/waf");
      JsonNode doc = byRequestId.get(waf.at("/httpRequest/requestId").asText());
      assertThat(doc).as("document for %s", waf.at("/httpRequest/requestId")).isNotNull();
      // The catalog masked characters of account ids and host names with '*' and moved the event
      // time and the cloud.* fields to other values, so those are compared with the mask only.
      for (Iterator<Map.Entry<String, JsonNode>> it = waf.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        assertMatches(field.getKey(), field.getValue(), doc.get(field.getKey()), compared);
      }
      assertThat(sample.at("/event/result").asText()).isEqualTo("ACCEPT");
      assertThat(doc.at("/event/outcome").asText()).isEqualTo("success");
      assertThat(doc.at("/cloud/provider").asText())
          .isEqualTo(sample.at("/cloud/provider").asText());
    }
    assertThat(compared)
        .contains(
            "action",
            "terminatingRuleId",
            "ruleGroupList",
            "httpRequest.clientIp",
            "httpRequest.headers",
            "webaclId");
  }

  /** Equal, except that a '*' in the sample's strings stands for any one character. */
  private static void assertMatches(
      String path, JsonNode sample, JsonNode actual, List<String> compared) {
    assertThat(actual).as(path).isNotNull();
    if (sample.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = sample.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        assertMatches(
            path + "." + field.getKey(), field.getValue(), actual.get(field.getKey()), compared);
      }
    } else if (sample.isArray()) {
      assertThat(actual.size()).as(path).isEqualTo(sample.size());
      for (int i = 0; i < sample.size(); i++) {
        assertMatches(path + "[" + i + "]", sample.get(i), actual.get(i), new ArrayList<>());
      }
    } else if (sample.isTextual() && sample.asText().contains("*")) {
      String masked = sample.asText();
      String text = actual.asText();
      assertThat(text.length()).as(path).isEqualTo(masked.length());
      for (int i = 0; i < masked.length(); i++) {
        if (masked.charAt(i) != '*') {
          assertThat(text.charAt(i)).as(path + " at " + i).isEqualTo(masked.charAt(i));
        }
      }
    } else if (path.equals("webaclId")) {
      // Masked differently: another account id in the same ARN.
      assertThat(actual.asText().replaceAll(":\\d{12}:", ":*:"))
          .isEqualTo(sample.asText().replaceAll(":\\d{12}:", ":*:"));
    } else {
      assertThat(actual).as(path).isEqualTo(sample);
    }
    compared.add(path);
  }

  @Test
  void appSyncRecordsFromARegionalWebAclTakeAccountAndRegionFromItsArn() {
    CollectingSink sink = CollectingSink.parse(TestData.bytes(APPSYNC), FIREHOSE_KEY, null);

    assertThat(sink.rejections).isEmpty();
    assertThat(sink.documents).hasSize(2);
    JsonNode doc = sink.sources().get(0);
    assertThat(doc.at("/cloud/account/id").asText()).isEqualTo("123456789012");
    assertThat(doc.at("/cloud/region").asText()).isEqualTo("eu-west-1");
    assertThat(doc.at("/aws/waf/webacl_name").asText()).isEqualTo("test-graphql");
    assertThat(doc.at("/aws/waf/webacl_scope").asText()).isEqualTo("regional");
    assertThat(doc.at("/source/ip").asText()).isEqualTo("101.93.195.253");
    assertThat(doc.at("/user_agent/original").asText()).contains("Chrome/99.0.4844.83");
    assertThat(sink.documents.get(0).id()).isEqualTo("a16c2d17-b6a8-4822-9183-ad84a184107c");
  }

  @Test
  void prettyPrintedBlockedRecordWithoutArnOrClientIpIsStillADocument() {
    CollectingSink sink = CollectingSink.parse(TestData.bytes(PRETTY), FIREHOSE_KEY, null);

    assertThat(sink.rejections).isEmpty();
    JsonNode doc = sink.sources().get(0);
    assertThat(doc.at("/event/action").asText()).isEqualTo("BLOCK");
    assertThat(doc.at("/event/outcome").asText()).isEqualTo("failure");
    assertThat(doc.at("/event/type").toString()).isEqualTo("[\"access\",\"denied\"]");
    // The header is spelled "User-agent" here.
    assertThat(doc.at("/user_agent/original").asText()).startsWith("Mozilla/5.0 (X11; Linux");
    assertThat(doc.has("source")).isFalse();
    assertThat(doc.at("/cloud/account").isMissingNode()).isTrue();
    assertThat(doc.at("/responseCodeSent").asInt()).isEqualTo(403);
  }

  @Test
  void malformedLineIsRejectedWithItsPositionAndTheOtherLinesKept() {
    List<String> lines = lines();
    String second = lines.get(1);
    lines.set(1, second.substring(0, second.length() / 2)); // cut in half
    String text = String.join("\n", lines) + "\n";
    CollectingSink sink = parseText(text);

    assertThat(sink.documents).hasSize(37);
    assertThat(sink.rejections)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.record()).isEqualTo(2);
              assertThat(r.byteOffset()).isEqualTo(lines.get(0).length() + 1);
              assertThat(r.reason()).contains("line 2").contains("resumed on line 3");
            });
    // The records after the broken one keep their numbers and ids.
    assertThat(sink.documents.get(1).id())
        .isEqualTo(tree(lines.get(2)).at("/httpRequest/requestId").asText());
  }

  @Test
  void recordsWithWrongTypesAreRejectedAndTheirNeighboursKept() {
    List<String> lines = lines().subList(0, 4);
    String text =
        lines.get(0)
            + "\n"
            + lines.get(1).replace("\"timestamp\":1679548655120", "\"timestamp\":\"yesterday\"")
            + "\n"
            + "[1,2]\n"
            + lines.get(2).replaceFirst("\"timestamp\":\\d+,", "")
            + "\n"
            + lines.get(3)
            + "\n";
    CollectingSink sink = parseText(text);

    assertThat(sink.documents).hasSize(2);
    assertThat(sink.rejections)
        .extracting(Rejection::record, Rejection::reason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                2L,
                "timestamp must be epoch milliseconds or an ISO-8601 time, found a string 'yesterday'"),
            org.assertj.core.groups.Tuple.tuple(
                3L, "expected a WAF log record (a JSON object) but found a number"),
            org.assertj.core.groups.Tuple.tuple(
                4L, "expected a WAF log record (a JSON object) but found a number"),
            org.assertj.core.groups.Tuple.tuple(5L, "timestamp is missing"));
  }

  @Test
  void recordsConcatenatedWithoutNewlinesAreAllRead() {
    CollectingSink sink = parseText(String.join("", lines()));
    assertThat(sink.rejections).isEmpty();
    assertThat(sink.documents).hasSize(38);
  }

  @Test
  void severalGzipMembersAreReadAsOneStream() {
    List<String> lines = lines();
    byte[] gz =
        Gzip.concatenatedMembers(
            (String.join("\n", lines.subList(0, 20)) + "\n").getBytes(StandardCharsets.UTF_8),
            String.join("\n", lines.subList(20, 38)).getBytes(StandardCharsets.UTF_8));
    CollectingSink sink = CollectingSink.parse(gz, FIREHOSE_KEY, null);
    assertThat(sink.rejections).isEmpty();
    assertThat(sink.documents).hasSize(38);
  }

  @Test
  void truncatedGzipKeepsTheRecordsBeforeTheDamage() {
    StringBuilder many = new StringBuilder();
    for (int i = 0; i < 50; i++) {
      for (String line : lines()) {
        many.append(line.replace("\"requestId\":\"", "\"requestId\":\"" + i + "-")).append('\n');
      }
    }
    byte[] gz = Gzip.gzip(many.toString().getBytes(StandardCharsets.UTF_8));
    CollectingSink sink =
        CollectingSink.parse(java.util.Arrays.copyOf(gz, gz.length / 2), FIREHOSE_KEY, null);
    assertThat(sink.documents).isNotEmpty().hasSizeLessThan(50 * 38);
    assertThat(sink.rejections)
        .singleElement()
        .satisfies(r -> assertThat(r.reason()).contains("damaged"));
  }

  @Test
  void jsonArrayOfRecordsIsAccepted() {
    List<String> lines = lines();
    CollectingSink sink = parseText("[" + lines.get(0) + "," + lines.get(1) + "]");
    assertThat(sink.rejections).isEmpty();
    assertThat(sink.documents).hasSize(2);
  }

  @Test
  void recordWithoutRequestIdGetsADistinctPositionalId() {
    String record = "{\"timestamp\":1679548657700,\"action\":\"BLOCK\",\"httpRequest\":{}}";
    CollectingSink sink = parseText(record + "\n" + record + "\n");
    assertThat(sink.documents).hasSize(2);
    assertThat(sink.documents).extracting(ParsedDocument::id).doesNotHaveDuplicates();
    assertThat(sink.documents.get(0).id()).hasSize(22);
  }

  private static List<String> lines() {
    List<String> lines =
        new ArrayList<>(
            new String(TestData.bytes(CATALOG_RAW), StandardCharsets.UTF_8).lines().toList());
    lines.removeIf(String::isBlank);
    assertThat(lines).hasSize(38);
    return lines;
  }

  private static JsonNode tree(String json) {
    try {
      return new ObjectMapper().readTree(json);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static CollectingSink parseText(String text) {
    return CollectingSink.parse(text.getBytes(StandardCharsets.UTF_8), FIREHOSE_KEY, LogType.WAF);
  }
}

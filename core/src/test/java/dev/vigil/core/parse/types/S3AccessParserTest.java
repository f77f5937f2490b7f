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
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class S3AccessParserTest {
  private static final String CENTRALIZED = "centralized-logging-with-opensearch/s3-access/s3.log";
  private static final String CATALOG = "opensearch-catalog/s3-access/raw.log";
  // S3 names its log objects <prefix>YYYY-mm-DD-HH-MM-SS-<unique id>: detected by the key.
  private static final ObjectRef KEY =
      new ObjectRef("access-logs", "s3/test-bucket/2021-12-13-09-30-01-5C1A1B2C3D4E5F60");

  /** The first record of the AWS documentation's example, with every field up to source region. */
  private static final String DOCS_LINE =
      "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be amzn-s3-demo-bucket1"
          + " [06/Feb/2019:00:00:38 +0000] 192.0.2.3 79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"
          + " 3E57427F3EXAMPLE REST.GET.VERSIONING - \"GET /amzn-s3-demo-bucket1?versioning HTTP/1.1\" 200 - 113 - 7 -"
          + " \"-\" \"S3Console/0.4\" - s9lzHYrFp76ZVxRcpX9+5cjAnEH2ROuNkd2BHfIa6UkFVdtjf5mKR3/eTPFvsiP/XV/VLi31234="
          + " SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader amzn-s3-demo-bucket1.s3.us-west-1.amazonaws.com TLSV1.2"
          + " arn:aws:s3:us-west-1:123456789012:accesspoint/example-AP Yes us-east-1";

  @Test
  void gzippedObjectDetectedByItsKeyGivesADocumentPerRequest() {
    CollectingSink sink = CollectingSink.parse(Gzip.gzip(TestData.bytes(CENTRALIZED)), KEY, null);

    assertThat(sink.rejections).isEmpty();
    assertThat(sink.documents).hasSize(6);
    assertThat(sink.documents).extracting(ParsedDocument::id).doesNotHaveDuplicates();
    assertThat(sink.documents.get(0).index()).isEqualTo("vigil-s3access-2021.12.13");
    List<JsonNode> docs = sink.sources();
    JsonNode doc = docs.get(0);
    assertThat(doc.at("/@timestamp").asText()).isEqualTo("2021-12-13T09:29:20Z");
    assertThat(doc.at("/bucket").asText()).isEqualTo("test-bucket");
    assertThat(doc.at("/remote_ip").asText()).isEqualTo("34.244.155.5");
    assertThat(doc.at("/operation").asText()).isEqualTo("REST.PUT.OBJECT");
    assertThat(doc.at("/key").asText()).isEqualTo("static/js/25.6f6494d3.chunk.js.map");
    assertThat(doc.at("/request_uri").asText())
        .isEqualTo("PUT /static/js/25.6f6494d3.chunk.js.map HTTP/1.1");
    assertThat(doc.at("/http_status").isInt()).isTrue();
    assertThat(doc.at("/object_size").asLong()).isEqualTo(2900);
    assertThat(doc.at("/total_time").asLong()).isEqualTo(601);
    assertThat(doc.has("bytes_sent")).isFalse();
    assertThat(doc.has("referer")).isFalse();
    assertThat(doc.has("acl_required")).isFalse();
    assertThat(docs.get(1).at("/acl_required").asText()).isEqualTo("Yes");
    assertThat(doc.at("/tls_version").asText()).isEqualTo("TLSv1.2");
    assertThat(doc.at("/source/ip").asText()).isEqualTo("34.244.155.5");
    assertThat(doc.at("/user/name").asText())
        .isEqualTo("LogHub-CustomCDKBucketDeployment8693BB64968944B69A-7yeIY6G7pM1E");
    assertThat(doc.at("/related/user").toString())
        .contains("arn:aws:sts::123456789012:assumed-role/");
    assertThat(doc.at("/event/action").asText()).isEqualTo("REST.PUT.OBJECT");
    assertThat(doc.at("/event/outcome").asText()).isEqualTo("success");
    assertThat(doc.at("/event/id").asText()).isEqualTo("MWDFHJFSJ46E6XAJ");
    assertThat(doc.at("/http/request/method").asText()).isEqualTo("PUT");
    assertThat(doc.at("/http/response/status_code").asInt()).isEqualTo(200);
    assertThat(doc.at("/url/path").asText()).isEqualTo("/static/js/25.6f6494d3.chunk.js.map");
    assertThat(doc.at("/url/domain").asText()).isEqualTo("test-bucket.s3.eu-west-1.amazonaws.com");
    assertThat(doc.at("/user_agent/original").asText()).startsWith("aws-cli/1.18.198");
    assertThat(doc.at("/cloud/region").asText()).isEqualTo("eu-west-1");
  }

  @Test
  void everyFieldOfTheCurrentFormatAndTheSourceRegion() {
    JsonNode doc = parseText(DOCS_LINE + "\n").sources().get(0);

    assertThat(doc.at("/access_point_arn").asText())
        .isEqualTo("arn:aws:s3:us-west-1:123456789012:accesspoint/example-AP");
    assertThat(doc.at("/acl_required").asText()).isEqualTo("Yes");
    assertThat(doc.at("/source_region").asText()).isEqualTo("us-east-1");
    assertThat(doc.at("/cloud/region").asText())
        .isEqualTo("us-west-1"); // the bucket's, not the caller's
    assertThat(doc.at("/url/query").asText()).isEqualTo("versioning");
    assertThat(doc.at("/user/name").asText())
        .isEqualTo("79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be");
    assertThat(doc.has("extra_fields")).isFalse();
  }

  @Test
  void olderShorterLinesAndNewerLongerLinesAreBothAccepted() {
    String original = DOCS_LINE.substring(0, DOCS_LINE.indexOf(" s9lz"));
    String future = DOCS_LINE + " something-new \"and more\"";
    CollectingSink sink = parseText(original + " \n" + future + "\n");

    assertThat(sink.rejections).isEmpty();
    assertThat(sink.sources().get(0).at("/http_status").asInt()).isEqualTo(200);
    assertThat(sink.sources().get(0).has("host_id")).isFalse();
    assertThat(sink.sources().get(1).at("/extra_fields").toString())
        .isEqualTo("[\"something-new\",\"and more\"]");
  }

  @Test
  void dateBasedPartitionedKeyGivesTheSourceAccountAndRegion() {
    ObjectRef partitioned =
        new ObjectRef(
            "access-logs",
            "logs/210987654321/eu-central-1/my-bucket/2019/02/06/2019-02-06-00-00-38-5C1A1B2C3D4E5F60");
    assertThat(LogTypeDetector.fromKey(partitioned.key())).contains(LogType.S3ACCESS);
    JsonNode doc =
        CollectingSink.parse((DOCS_LINE + "\n").getBytes(StandardCharsets.UTF_8), partitioned, null)
            .sources()
            .get(0);

    assertThat(doc.at("/cloud/account/id").asText()).isEqualTo("210987654321");
    assertThat(doc.at("/cloud/region").asText()).isEqualTo("eu-central-1");
  }

  @Test
  void badLinesAreRejectedWithTheirNumberAndOffsetAndTheRestKept() {
    String good = DOCS_LINE + "\n";
    String tooShort = DOCS_LINE.substring(0, DOCS_LINE.indexOf(" 200 ")) + "\n";
    String unterminated = DOCS_LINE.substring(0, DOCS_LINE.indexOf("S3Console") + 5) + "\n";
    String quoteMissing = DOCS_LINE.replace("versioning HTTP/1.1\"", "versioning HTTP/1.1") + "\n";
    String badTime = DOCS_LINE.replace("06/Feb/2019:00:00:38", "31/Feb/2019:00:00:38") + "\n";
    String badBracket = DOCS_LINE.replace("+0000]", "+0000") + "\n";
    String badNumber = DOCS_LINE.replace(" 113 ", " 11x3 ") + "\n";
    String text =
        good
            + tooShort
            + unterminated
            + good
            + quoteMissing
            + badTime
            + badBracket
            + badNumber
            + good;
    CollectingSink sink = parseText(text);

    assertThat(sink.documents).hasSize(3);
    assertThat(sink.rejections)
        .extracting(Rejection::record)
        .containsExactly(2L, 3L, 5L, 6L, 7L, 8L);
    assertThat(sink.rejections.get(0).byteOffset()).isEqualTo(good.length());
    assertThat(sink.rejections.get(1).byteOffset()).isEqualTo(good.length() + tooShort.length());
    assertThat(sink.rejections.get(0).reason())
        .contains("expected at least 18 fields")
        .contains("found 9");
    assertThat(sink.rejections.get(1).reason()).contains("unterminated quote in field 17");
    assertThat(sink.rejections.get(2).reason()).contains("shifted");
    assertThat(sink.rejections.get(3).reason()).contains("31/Feb/2019:00:00:38 +0000");
    assertThat(sink.rejections.get(4).reason()).contains("unterminated '['");
    assertThat(sink.rejections.get(5).reason()).contains("bytes_sent").contains("11x3");
  }

  @Test
  void contentIsDetectedWithoutAKey() {
    assertThat(LogTypeDetector.fromContent(text(CENTRALIZED))).contains(LogType.S3ACCESS);
    assertThat(LogTypeDetector.fromContent(DOCS_LINE)).contains(LogType.S3ACCESS);
    CollectingSink sink =
        CollectingSink.parse(TestData.bytes(CATALOG), ObjectRef.file(CATALOG), null);
    assertThat(sink.rejections).isEmpty();
    assertThat(sink.documents).hasSize(18);
  }

  @Test
  void requesterShortNames() {
    assertThat(S3AccessParser.userName("arn:aws:iam::123456789012:user/alice")).isEqualTo("alice");
    assertThat(S3AccessParser.userName("arn:aws:sts::1:assumed-role/Admin/bob")).isEqualTo("bob");
    assertThat(S3AccessParser.userName("arn:aws:iam::123456789012:root")).isEqualTo("root");
    assertThat(S3AccessParser.userName("svc:s3.amazonaws.com")).isEqualTo("svc:s3.amazonaws.com");
    assertThat(S3AccessParser.userName(null)).isNull();
  }

  /**
   * opensearch-catalog's sample documents keep their raw line in {@code body}. Their parsed {@code
   * remote_ip}, {@code object_size} and {@code referrer} contradict that same body (every sample
   * has remote_ip 48.129.58.200, an object size for a bucket listing, and a quoted "-"), and the
   * host fields come from elsewhere, so those are not compared. One body has the time 13:55:60,
   * which Vigil rejects.
   */
  @Test
  void agreesWithOpenSearchCatalogParsedDocumentsOnSharedFields() throws Exception {
    JsonNode samples =
        new ObjectMapper().readTree(TestData.bytes("opensearch-catalog/s3-access/sample.json"));
    Set<String> contradicted =
        Set.of(
            "remote_ip",
            "object_size",
            "referrer",
            "host_id",
            "signature_version",
            "cipher_suite",
            "authentication_type",
            "host_header",
            "tls_version");
    int compared = 0;
    int rejected = 0;
    for (JsonNode sample : samples) {
      CollectingSink sink = parseText(sample.at("/body").asText() + "\n");
      if (!sink.rejections.isEmpty()) {
        assertThat(sink.rejections.get(0).reason()).contains("13:55:60");
        rejected++;
        continue;
      }
      JsonNode mine = sink.sources().get(0);
      for (Map.Entry<String, JsonNode> field : sample.at("/aws/s3").properties()) {
        if (contradicted.contains(field.getKey())) {
          continue;
        }
        String expected = field.getValue().asText();
        JsonNode actual =
            field.getKey().equals("user_agent")
                ? mine.at("/user_agent/original")
                : mine.get(field.getKey());
        if (expected.equals("-")) {
          assertThat(actual).as(field.getKey()).isNull();
        } else {
          assertThat(actual).as(field.getKey()).isNotNull();
          assertThat(actual.asText()).as(field.getKey()).isEqualTo(expected);
        }
      }
      compared++;
    }
    assertThat(compared).isEqualTo(4);
    assertThat(rejected).isEqualTo(1);
  }

  @Test
  void agreesWithDataPrepperS3GrokPairOnSharedFields() {
    DateTimeFormatter clf =
        DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.UTC);
    Map<String, Function<JsonNode, String>> translations =
        Map.ofEntries(
            Map.entry("timestamp", d -> clf.format(Instant.parse(d.at("/@timestamp").asText()))),
            Map.entry("owner", d -> GrokPairs.text(d, "/bucket_owner")),
            Map.entry("clientip", d -> GrokPairs.text(d, "/remote_ip")),
            Map.entry("response", d -> GrokPairs.text(d, "/http_status")),
            Map.entry("verb", d -> GrokPairs.text(d, "/http/request/method")),
            Map.entry("request", d -> GrokPairs.text(d, "/url/original")),
            Map.entry("httpversion", d -> GrokPairs.text(d, "/http/version")),
            Map.entry("agent", d -> GrokPairs.text(d, "/user_agent/original")),
            Map.entry("referrer", d -> GrokPairs.text(d, "/referer")),
            Map.entry("request_time_ms", d -> GrokPairs.text(d, "/total_time")));
    List<JsonNode> pairs = GrokPairs.of("%{S3_ACCESS_LOG}");
    assertThat(pairs).hasSize(1);
    CollectingSink sink = parseText(pairs.get(0).get("input").asText() + "\n");
    assertThat(sink.rejections).isEmpty();
    GrokPairs.assertAgrees(pairs.get(0).get("expected"), sink.sources().get(0), translations);
  }

  /**
   * The Requester field per the documented format: the canonical user id, or "-" for an
   * unauthenticated request, and for IAM identities their ARN with the account (Amazon S3 User
   * Guide, "Amazon S3 server access log format"). Only an IAM or STS ARN names an account.
   */
  @Test
  void theRequestersAccountIsTakenFromAnIamOrStsArnOnly() {
    Map<String, String> accountByRequester =
        Map.of(
            "arn:aws:iam::111122223333:user/alice", "111122223333",
            "arn:aws:sts::444455556666:assumed-role/reader/i-0abc", "444455556666",
            "arn:aws:iam::999988887777:root", "999988887777",
            "arn:aws-cn:iam::123456789012:user/ops", "123456789012");
    accountByRequester.forEach(
        (requester, account) -> {
          JsonNode doc = parseText(withRequester(requester) + "\n").sources().get(0);
          assertThat(doc.at("/requester").asText()).isEqualTo(requester);
          assertThat(doc.at("/aws/s3access/requester_account_id").asText())
              .as(requester)
              .isEqualTo(account);
        });
    for (String none :
        List.of(
            "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be",
            "-",
            "arn:aws:s3:us-west-1:123456789012:accesspoint/example-AP",
            "arn:aws:iam::12345:user/short")) {
      JsonNode doc = parseText(withRequester(none) + "\n").sources().get(0);
      assertThat(doc.at("/aws/s3access").isMissingNode()).as(none).isTrue();
      assertThat(doc.at("/vigil/requester").isMissingNode()).as(none).isTrue();
    }
  }

  private static String withRequester(String requester) {
    String canonical =
        " 192.0.2.3 79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be ";
    assertThat(DOCS_LINE).contains(canonical);
    return DOCS_LINE.replace(canonical, " 192.0.2.3 " + requester + " ");
  }

  private static String text(String file) {
    return new String(TestData.bytes(file), StandardCharsets.UTF_8);
  }

  private static CollectingSink parseText(String text) {
    return CollectingSink.parse(text.getBytes(StandardCharsets.UTF_8), KEY, LogType.S3ACCESS);
  }
}

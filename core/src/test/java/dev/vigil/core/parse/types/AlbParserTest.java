package dev.vigil.core.parse.types;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.core.LogType;
import dev.vigil.core.TestData;
import dev.vigil.core.parse.CollectingSink;
import dev.vigil.core.parse.Gzip;
import dev.vigil.core.parse.ObjectRef;
import dev.vigil.core.parse.ParsedDocument;
import dev.vigil.core.parse.Rejection;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class AlbParserTest {
  private static final String CATALOG = "opensearch-catalog/alb/raw.log";
  private static final String CENTRALIZED_GZ = "centralized-logging-with-opensearch/alb/elb.log.gz";
  private static final String MICROBATCH_GZ =
      "centralized-logging-with-opensearch/alb/microbatch-alb.log.gz";
  private static final ObjectRef KEY =
      new ObjectRef(
          "elb-logs",
          "AWSLogs/123456789012/elasticloadbalancing/us-west-2/2022/07/05/"
              + "123456789012_elasticloadbalancing_us-west-2_app.k8s.2b395c9f7d176e32_20220705T0450Z_20.78.1.1_x.log.gz");
  private static final String GOOD =
      "https 2021-12-03T04:20:02.215468Z app/LB/378d 128.14.134.170:39426 10.255.3.161:443 0.003 0.000 0.000"
          + " 302 302 205 361 \"GET https://example.com:443/a/b?x=1&y=2 HTTP/1.1\" \"curl/8.0\""
          + " ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:eu-west-1:210987654321:targetgroup/tg/80f6"
          + " \"Root=1-61a99af2-1e6a\" \"example.com\" \"-\" 0 2021-12-03T04:20:02.211000Z \"waf,forward\" \"-\" \"-\""
          + " \"10.255.3.161:443\" \"302\" \"-\" \"-\"";

  @Test
  void everyLineOfARealLogBecomesADocument() {
    CollectingSink sink = CollectingSink.parse(Gzip.gzip(TestData.bytes(CATALOG)), KEY, null);

    assertThat(sink.rejections).isEmpty();
    assertThat(sink.documents).hasSize(63);
    assertThat(sink.documents).extracting(ParsedDocument::id).doesNotHaveDuplicates();
    JsonNode doc = sink.sources().get(0);
    assertThat(doc.at("/@timestamp").asText()).isEqualTo("2022-07-05T04:47:50.273035Z");
    assertThat(sink.documents.get(0).index()).isEqualTo("vigil-alb-2022.07.05");
    assertThat(doc.at("/type").asText()).isEqualTo("http");
    assertThat(doc.at("/client_ip").asText()).isEqualTo("20.78.123.34");
    assertThat(doc.at("/client_port").asInt()).isEqualTo(65301);
    assertThat(doc.at("/target_ip").asText()).isEqualTo("192.168.84.111");
    assertThat(doc.at("/elb_status_code").isInt()).isTrue();
    assertThat(doc.at("/received_bytes").asLong()).isEqualTo(472);
    assertThat(doc.at("/request_processing_time").asDouble()).isEqualTo(0.001);
    assertThat(doc.at("/request_verb").asText()).isEqualTo("GET");
    assertThat(doc.at("/request_url").asText())
        .isEqualTo("http://54.186.209.42:80//_profiler/phpinfo");
    assertThat(doc.at("/request_proto").asText()).isEqualTo("HTTP/1.1");
    assertThat(doc.at("/matched_rule_priority").asInt()).isEqualTo(1);
    assertThat(doc.at("/actions_executed").toString()).isEqualTo("[\"forward\"]");
    assertThat(doc.at("/target_port_list").toString()).isEqualTo("[\"192.168.84.111:80\"]");
    assertThat(doc.has("ssl_cipher")).isFalse();
    assertThat(doc.has("domain_name")).isFalse();
    assertThat(doc.has("user_agent_original")).isFalse();
    assertThat(doc.at("/source/ip").asText()).isEqualTo("20.78.123.34");
    assertThat(doc.at("/source/port").asInt()).isEqualTo(65301);
    assertThat(doc.at("/http/response/status_code").asInt()).isEqualTo(404);
    assertThat(doc.at("/http/request/method").asText()).isEqualTo("GET");
    assertThat(doc.at("/http/version").asText()).isEqualTo("1.1");
    assertThat(doc.at("/url/original").asText())
        .isEqualTo("http://54.186.209.42:80//_profiler/phpinfo");
    assertThat(doc.at("/url/path").asText()).isEqualTo("//_profiler/phpinfo");
    assertThat(doc.at("/url/port").asInt()).isEqualTo(80);
    assertThat(doc.at("/user_agent/original").asText())
        .startsWith("Mozlila/5.0 (Linux; Android 7.0;");
    assertThat(doc.at("/event/category").asText()).isEqualTo("web");
    assertThat(doc.at("/event/outcome").asText()).isEqualTo("failure");
    assertThat(doc.at("/cloud/account/id").asText()).isEqualTo("123456789012");
    assertThat(doc.at("/cloud/region").asText()).isEqualTo("us-west-2");
    assertThat(sink.sources())
        .filteredOn(d -> d.at("/elb_status_code").asInt() == 200)
        .allSatisfy(d -> assertThat(d.at("/event/outcome").asText()).isEqualTo("success"));
  }

  @Test
  void gzippedObjectAsDeliveredKeepsNoResponseMarkersAndCertificates() {
    CollectingSink sink = CollectingSink.parse(TestData.bytes(CENTRALIZED_GZ), KEY, null);

    assertThat(sink.rejections).isEmpty();
    List<JsonNode> docs = sink.sources();
    assertThat(docs).hasSize(2);
    // The upstream test asserts the client address is found.
    assertThat(docs)
        .allSatisfy(d -> assertThat(d.at("/client_ip").asText()).isEqualTo("128.14.134.170"));
    JsonNode noTarget = docs.get(1);
    assertThat(noTarget.at("/elb_status_code").asInt()).isEqualTo(460);
    assertThat(noTarget.has("target_status_code")).isFalse();
    assertThat(noTarget.at("/target_processing_time").asDouble()).isEqualTo(-1.0);
    assertThat(noTarget.at("/sent_bytes").asLong()).isZero();
    assertThat(noTarget.at("/domain_name").asText()).isEqualTo("nginx.awssolution.xyz");
    assertThat(noTarget.at("/chosen_cert_arn").asText()).startsWith("arn:aws:acm:eu-west-1:");
    assertThat(noTarget.at("/ssl_protocol").asText()).isEqualTo("TLSv1.2");
    assertThat(noTarget.at("/url/domain").asText()).isEqualTo("nginx.awssolution.xyz");
    assertThat(noTarget.at("/url/scheme").asText()).isEqualTo("https");
    assertThat(noTarget.at("/event/outcome").asText()).isEqualTo("failure");
  }

  @Test
  void accountAndRegionComeFromTheTargetGroupWhenTheKeyHasNone() {
    String file = MICROBATCH_GZ;
    CollectingSink sink = CollectingSink.parse(TestData.bytes(file), ObjectRef.file(file), null);

    assertThat(sink.rejections).isEmpty();
    JsonNode doc = sink.sources().get(0);
    assertThat(doc.at("/cloud/account/id").asText()).isEqualTo("123456789012");
    assertThat(doc.at("/cloud/region").asText()).isEqualTo("us-east-1");
    assertThat(doc.at("/request_processing_time").asDouble()).isEqualTo(1.5414835421835185);
    assertThat(sink.sources().get(1).at("/http/version").asText()).isEqualTo("2.0");
  }

  @Test
  void queryStringAndListsAreSplitOut() {
    JsonNode doc = parseText(GOOD + "\n").sources().get(0);

    assertThat(doc.at("/url/domain").asText()).isEqualTo("example.com");
    assertThat(doc.at("/url/path").asText()).isEqualTo("/a/b");
    assertThat(doc.at("/url/query").asText()).isEqualTo("x=1&y=2");
    assertThat(doc.at("/actions_executed").toString()).isEqualTo("[\"waf\",\"forward\"]");
    assertThat(doc.at("/event/outcome").asText()).isEqualTo("success");
    assertThat(doc.at("/user_agent/original").asText()).isEqualTo("curl/8.0");
    assertThat(doc.has("chosen_cert_arn")).isFalse();
  }

  @Test
  void newerAndUnknownTrailingFieldsAreKept() {
    String line = GOOD + " TID_abc123 \"-\" \"-\" \"-\" future-1 \"future two\"\n";
    CollectingSink sink = parseText(line);

    assertThat(sink.rejections).isEmpty();
    JsonNode doc = sink.sources().get(0);
    assertThat(doc.at("/conn_trace_id").asText()).isEqualTo("TID_abc123");
    assertThat(doc.has("transformed_host")).isFalse();
    assertThat(doc.at("/extra_fields").toString()).isEqualTo("[\"future-1\",\"future two\"]");
  }

  @Test
  void badLinesAreRejectedWithTheirNumberAndOffsetAndTheRestKept() {
    String tooShort =
        "https 2021-12-03T04:20:02.215468Z app/LB/378d 1.2.3.4:1 - 0 0 0 200 200 1 1\n";
    // Cut off inside the user agent, as the last line of a truncated object would be.
    String unterminated = GOOD.substring(0, GOOD.indexOf("curl/8.0") + 4) + "\n";
    // The user agent's closing quote is missing: its field runs on to a later quote.
    String quoteMissing = GOOD.replace("\"curl/8.0\"", "\"curl/8.0") + "\n";
    String badTime = GOOD.replace("2021-12-03T04:20:02.215468Z", "2021-13-03T04:20:02Z") + "\n";
    String badStatus = GOOD.replace(" 302 302 ", " 3O2 302 ") + "\n";
    String good = GOOD + "\n";
    String text = good + tooShort + good + unterminated + quoteMissing + badTime + badStatus + good;
    CollectingSink sink = parseText(text);

    assertThat(sink.documents).extracting(ParsedDocument::id).doesNotHaveDuplicates().hasSize(3);
    assertThat(sink.rejections).extracting(Rejection::record).containsExactly(2L, 4L, 5L, 6L, 7L);
    int offset = good.length() + tooShort.length() + good.length();
    assertThat(sink.rejections.get(0).byteOffset()).isEqualTo(good.length());
    assertThat(sink.rejections.get(1).byteOffset()).isEqualTo(offset);
    assertThat(sink.rejections.get(2).byteOffset()).isEqualTo(offset + unterminated.length());
    assertThat(sink.rejections.get(0).reason())
        .contains("expected at least 18 fields")
        .contains("found 12");
    assertThat(sink.rejections.get(1).reason()).contains("unterminated quote in field 14");
    assertThat(sink.rejections.get(2).reason())
        .contains("field 15 (ssl_cipher) is quoted")
        .contains("quote");
    assertThat(sink.rejections.get(3).reason())
        .contains("2021-13-03T04:20:02Z")
        .contains("not an ISO-8601");
    assertThat(sink.rejections.get(4).reason()).contains("elb_status_code").contains("3O2");
  }

  @Test
  void networkLoadBalancerLinesAndConnectionLogsAreRefusedByName() {
    String nlb =
        "tls 2.0 2018-12-20T02:59:40 net/my-network-loadbalancer/c6e77e28c25b2234 g3d4b5e8bb8464cd"
            + " 72.21.218.154:51341 172.100.100.185:443 5 2 98 246 - arn:aws:acm:us-east-2:6:certificate/x"
            + " - ECDHE-RSA-AES128-SHA tlsv12 - my-network-loadbalancer-c6e77e28c25b2234.elb.us-east-2.amazonaws.com"
            + " - - - 2018-12-20T02:59:30\n";
    CollectingSink sink = parseText(nlb + GOOD + "\n");
    assertThat(sink.documents).hasSize(1);
    assertThat(sink.rejections)
        .singleElement()
        .satisfies(r -> assertThat(r.reason()).contains("Network Load Balancer"));

    ObjectRef connectionLog =
        new ObjectRef(
            "elb-logs",
            "AWSLogs/123456789012/elasticloadbalancing/us-west-2/2022/07/05/"
                + "conn_log.123456789012_elasticloadbalancing_us-west-2_app.lb.1_20220705T0450Z_1.2.3.4_x.log.gz");
    CollectingSink refused =
        CollectingSink.parse(
            "2023-11-30T22:00:01.123456Z 203.0.113.5 39432 443\n".getBytes(StandardCharsets.UTF_8),
            connectionLog,
            null);
    assertThat(refused.documents).isEmpty();
    assertThat(refused.rejections)
        .singleElement()
        .satisfies(r -> assertThat(r.reason()).contains("connection log"));
  }

  @Test
  void agreesWithDataPrepperAlbGrokPairOnSharedFields() {
    Map<String, Function<JsonNode, String>> translations =
        Map.ofEntries(
            Map.entry("time", d -> GrokPairs.text(d, "/@timestamp")),
            Map.entry(
                "client", d -> d.at("/client_ip").asText() + ":" + d.at("/client_port").asText()),
            Map.entry(
                "target", d -> d.at("/target_ip").asText() + ":" + d.at("/target_port").asText()),
            Map.entry("user_agent", d -> GrokPairs.text(d, "/user_agent/original")),
            Map.entry("http_method", d -> GrokPairs.text(d, "/http/request/method")),
            Map.entry("http_version", d -> GrokPairs.text(d, "/request_proto")),
            Map.entry("http_uri", d -> GrokPairs.text(d, "/url/original")),
            Map.entry("http_port", d -> GrokPairs.text(d, "/url/port")),
            Map.entry("domain", d -> GrokPairs.text(d, "/url/domain")),
            Map.entry("protocol", d -> GrokPairs.text(d, "/url/scheme")),
            Map.entry(
                "request_uri", d -> d.at("/url/path").asText() + "?" + d.at("/url/query").asText()),
            Map.entry("target_list", d -> GrokPairs.join(d.at("/target_port_list"), " ")),
            Map.entry("actions_executed", d -> GrokPairs.join(d.at("/actions_executed"), ",")));
    List<JsonNode> pairs = GrokPairs.of("%{ALB_ACCESS_LOG}");
    pairs.addAll(GrokPairs.of("%{ALB_ACCESS_LOG_GENERAL_URI}"));
    assertThat(pairs).hasSize(2);
    for (JsonNode pair : pairs) {
      CollectingSink sink = parseText(pair.get("input").asText() + "\n");
      assertThat(sink.rejections).isEmpty();
      GrokPairs.assertAgrees(pair.get("expected"), sink.sources().get(0), translations);
    }
  }

  @Test
  void classicLoadBalancerLinesAgreeWithDataPrepperElbGrokPair() {
    Map<String, Function<JsonNode, String>> translations =
        Map.ofEntries(
            Map.entry("timestamp", d -> GrokPairs.text(d, "/@timestamp")),
            Map.entry("clientip", d -> GrokPairs.text(d, "/client_ip")),
            Map.entry("clientport", d -> GrokPairs.text(d, "/client_port")),
            Map.entry("backendip", d -> GrokPairs.text(d, "/target_ip")),
            Map.entry("backendport", d -> GrokPairs.text(d, "/target_port")),
            Map.entry("backend_processing_time", d -> GrokPairs.text(d, "/target_processing_time")),
            Map.entry("response", d -> GrokPairs.text(d, "/elb_status_code")),
            Map.entry("backend_response", d -> GrokPairs.text(d, "/target_status_code")),
            Map.entry("bytes", d -> GrokPairs.text(d, "/sent_bytes")),
            Map.entry("verb", d -> GrokPairs.text(d, "/request_verb")),
            Map.entry("request", d -> GrokPairs.text(d, "/request_url")),
            Map.entry("httpversion", d -> GrokPairs.text(d, "/http/version")),
            Map.entry("proto", d -> GrokPairs.text(d, "/url/scheme")),
            Map.entry(
                "urihost", d -> d.at("/url/domain").asText() + ":" + d.at("/url/port").asText()),
            Map.entry("port", d -> GrokPairs.text(d, "/url/port")),
            Map.entry("path", d -> GrokPairs.text(d, "/url/path")));
    List<JsonNode> pairs = GrokPairs.of("%{ELB_ACCESS_LOG}");
    assertThat(pairs).hasSize(1);
    String line = pairs.get(0).get("input").asText();
    assertThat(LogTypeDetectorSupport.detect(line)).contains(LogType.ALB);
    CollectingSink sink = parseText(line + "\n");
    assertThat(sink.rejections).isEmpty();
    JsonNode doc = sink.sources().get(0);
    assertThat(doc.has("type")).isFalse();
    GrokPairs.assertAgrees(pairs.get(0).get("expected"), doc, translations);
  }

  /**
   * opensearch-catalog's schema sample {@code alb/aws_elb-log.json} is the parse of the AWS
   * documentation's "example HTTP entry" (same trace id, ARN, byte counts); its raw line is not in
   * the shared data, so it is written here as the documentation prints it.
   */
  @Test
  void agreesWithOpenSearchCatalogSchemaSampleOfTheDocumentedExampleEntry() throws Exception {
    String documented =
        "http 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817"
            + " 10.0.0.1:80 0.000 0.001 0.000 200 200 34 366 \"GET http://www.example.com:80/ HTTP/1.1\""
            + " \"curl/7.46.0\" - - arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067"
            + " \"Root=1-58337262-36d228ad5d99923122bbe354\" \"-\" \"-\" 0 2018-07-02T22:22:48.364000Z \"forward\""
            + " \"-\" \"-\" \"10.0.0.1:80\" \"200\" \"-\" \"-\"";
    JsonNode sample =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(TestData.bytes("opensearch-catalog/alb/aws_elb-log.json"));
    JsonNode doc = parseText(documented + "\n").sources().get(0);

    // The sample keeps milliseconds only.
    assertThat(java.time.Instant.parse(doc.at("/@timestamp").asText()).toEpochMilli())
        .isEqualTo(java.time.Instant.parse(sample.at("/@timestamp").asText()).toEpochMilli());
    JsonNode elb = sample.at("/aws/elb");
    assertThat(doc.at("/type").asText()).isEqualTo(elb.at("/type").asText());
    assertThat(doc.at("/url/scheme").asText()).isEqualTo(elb.at("/protocol").asText());
    assertThat(doc.at("/elb").asText()).isEqualTo(elb.at("/name").asText());
    assertThat(doc.at("/target_ip").asText()).isEqualTo(elb.at("/backend/ip").asText());
    assertThat(doc.at("/target_port").asText()).isEqualTo(elb.at("/backend/port").asText());
    assertThat(doc.at("/target_status_code").asInt())
        .isEqualTo(elb.at("/backend/http/response/status_code").asInt());
    assertThat(doc.at("/request_processing_time").asDouble())
        .isEqualTo(elb.at("/request_processing_time/sec").asDouble());
    assertThat(doc.at("/target_processing_time").asDouble())
        .isEqualTo(elb.at("/backend_processing_time/sec").asDouble());
    assertThat(doc.at("/response_processing_time").asDouble())
        .isEqualTo(elb.at("/response_processing_time/sec").asDouble());
    assertThat(doc.at("/matched_rule_priority").asText())
        .isEqualTo(elb.at("/matched_rule_priority").asText());
    assertThat(doc.at("/target_group_arn").asText())
        .isEqualTo(elb.at("/target_group/arn").asText());
    assertThat(doc.at("/target_port_list")).isEqualTo(elb.at("/target_port"));
    assertThat(doc.at("/target_status_code_list")).isEqualTo(elb.at("/target_status_code"));
    assertThat(doc.at("/trace_id").asText()).isEqualTo(sample.at("/traceId").asText());
    assertThat(doc.at("/http/request/method")).isEqualTo(sample.at("/http/request/method"));
    assertThat(doc.at("/http/response/status_code"))
        .isEqualTo(sample.at("/http/response/status_code"));
    assertThat(doc.at("/received_bytes").asLong())
        .isEqualTo(sample.at("/http/request/body/bytes").asLong());
    assertThat(doc.at("/sent_bytes").asLong())
        .isEqualTo(sample.at("/http/response/body/bytes").asLong());
    assertThat(doc.at("/url/original").asText()).isEqualTo(sample.at("/http/url").asText());
    assertThat(doc.at("/source/ip")).isEqualTo(sample.at("/communication/source/ip"));
    assertThat(doc.at("/source/port")).isEqualTo(sample.at("/communication/source/port"));
    assertThat(doc.at("/cloud/provider")).isEqualTo(sample.at("/cloud/provider"));
  }

  private static CollectingSink parseText(String text) {
    return CollectingSink.parse(text.getBytes(StandardCharsets.UTF_8), KEY, LogType.ALB);
  }
}

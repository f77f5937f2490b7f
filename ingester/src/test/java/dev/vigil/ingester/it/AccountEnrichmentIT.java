package dev.vigil.ingester.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.core.LogType;
import dev.vigil.core.ingest.AccountDirectory;
import dev.vigil.core.ingest.IngesterKeys;
import dev.vigil.core.rules.CompiledRule;
import dev.vigil.core.rules.FieldTypes;
import dev.vigil.core.rules.QueryEvaluator;
import dev.vigil.core.rules.RuleCompiler;
import dev.vigil.core.rules.RuleManifest;
import dev.vigil.parts.MotoServer;
import dev.vigil.parts.OpenSearchNode;
import dev.vigil.parts.RealParts;
import dev.vigil.testing.RepositoryRoot;
import dev.vigil.testing.ServiceLogDelivery;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged ingester with an account directory file (as the operator's ConfigMap mounts it): WAF
 * and VPC flow documents of a listed account arrive in OpenSearch with {@code cloud.account.name},
 * {@code vigil.account.ou_path} and {@code vigil.account.tags}, searchable as mapped; an unlisted
 * account's documents get none; a new file (swapped atomically, as the kubelet swaps a ConfigMap
 * volume's) applies to the next objects without a restart. S3 access log requesters are looked up
 * too, and the shipped rule on them finds the outside account's request on what was indexed.
 */
class AccountEnrichmentIT {
  private static final String PREFIX = "acct";
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final Path DIR = Path.of("target", "accounts-it");
  private static final String PROD = "347283850106";
  private static final String OTHER = "111122223333";

  private static AwsSetup aws;
  private static OpenSearchNode openSearch;
  private static IngesterProcess ingester;
  private static Path file;

  @BeforeAll
  static void start() throws IOException {
    MotoServer moto = RealParts.moto();
    openSearch = RealParts.openSearch();
    aws = new AwsSetup(moto, "accounts", Duration.ofSeconds(30));
    Files.createDirectories(DIR);
    file = DIR.resolve(AccountDirectory.FILE).toAbsolutePath();
    publish("payments-prod", "Root/Workloads/Prod");
    Map<String, String> props = new HashMap<>(aws.ingesterProperties());
    props.put("vigil.ingester.opensearch.endpoint", openSearch.uri().toString());
    props.put("vigil.ingester.index-prefix", PREFIX);
    props.put("vigil.ingester.receive.wait-time", "1s");
    props.put("vigil.ingester.bulk.flush-interval", "200ms");
    props.put(IngesterKeys.ACCOUNTS_FILE, file.toString());
    ingester = IngesterProcess.start("ingester-accounts", props, "-Xmx256m").awaitReady(TIMEOUT);
  }

  @AfterAll
  static void stop() {
    if (ingester != null) {
      ingester.terminate(Duration.ofSeconds(20));
    }
  }

  /** Writes the directory as the operator does and swaps it in with one rename. */
  private static void publish(String name, String ouPath) throws IOException {
    AccountDirectory directory =
        new AccountDirectory(
            Map.of(PROD, new AccountDirectory.Account(name, ouPath, Map.of("env", "prod"))),
            "2026-12-06T18:00:00Z");
    Path next = Files.writeString(DIR.resolve("next.json"), directory.toJson());
    Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static String waf(String account, String requestId) {
    return "{\"timestamp\":1764756000000,\"formatVersion\":1,\"webaclId\":"
        + "\"arn:aws:wafv2:us-east-1:"
        + account
        + ":regional/webacl/app/1\",\"terminatingRuleId\":\"Default_Action\","
        + "\"action\":\"ALLOW\",\"httpSourceName\":\"ALB\",\"httpRequest\":{\"clientIp\":"
        + "\"10.0.0.1\",\"country\":\"US\",\"headers\":[],\"uri\":\"/\",\"httpMethod\":\"GET\","
        + "\"requestId\":\""
        + requestId
        + "\"}}\n";
  }

  private static void putWaf(String name, String content) {
    aws.put(
        "firehose/waf/2026/12/03/10/aws-waf-logs-vigil-1-2026-12-03-10-00-00-" + name + ".gz",
        EndToEndIT.gzip(content.getBytes(StandardCharsets.UTF_8)));
  }

  private static JsonNode search(String pattern, String query) {
    return Documents.search(openSearch, pattern, "{\"size\":10,\"query\":" + query + "}");
  }

  @Test
  void documentsOfTwoLogTypesCarryTheAccountAndPickUpANewDirectory() throws IOException {
    putWaf("a", waf(PROD, "r-prod") + waf(OTHER, "r-other"));
    String flows =
        "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes"
            + " start end action log-status\n"
            + "2 "
            + PROD
            + " eni-1 10.0.0.220 10.0.0.5 443 49152 6 20 4249 1764756000 1764756060 ACCEPT OK\n";
    aws.put(
        "AWSLogs/"
            + PROD
            + "/vpcflowlogs/us-east-1/2026/12/03/"
            + PROD
            + "_vpcflowlogs_us-east-1_fl-0123456789abcdef0_20261203T1005Z_acct.log.gz",
        EndToEndIT.gzip(flows.getBytes(StandardCharsets.UTF_8)));

    await()
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                Documents.count(openSearch, PREFIX + "-waf-*") == 2
                    && Documents.count(openSearch, PREFIX + "-vpcflow-*") == 1);
    for (String pattern : new String[] {PREFIX + "-waf-*", PREFIX + "-vpcflow-*"}) {
      JsonNode named = search(pattern, "{\"term\":{\"cloud.account.name\":\"payments-prod\"}}");
      assertThat(named.at("/hits/total/value").asInt()).as(pattern).isEqualTo(1);
      assertThat(
              search(pattern, "{\"term\":{\"vigil.account.ou_path\":\"Root/Workloads/Prod\"}}")
                  .at("/hits/total/value")
                  .asInt())
          .as(pattern)
          .isEqualTo(1);
      assertThat(
              search(pattern, "{\"term\":{\"vigil.account.tags.env\":\"prod\"}}")
                  .at("/hits/total/value")
                  .asInt())
          .as(pattern)
          .isEqualTo(1);
      assertThat(named.at("/hits/hits/0/_source/cloud/account/id").asText()).isEqualTo(PROD);
    }
    JsonNode other =
        search(PREFIX + "-waf-*", "{\"term\":{\"cloud.account.id\":\"" + OTHER + "\"}}");
    assertThat(other.at("/hits/total/value").asInt()).isEqualTo(1);
    assertThat(other.at("/hits/hits/0/_source/cloud/account/name").isMissingNode()).isTrue();
    assertThat(other.at("/hits/hits/0/_source/vigil/account").isMissingNode()).isTrue();

    publish("payments-production", "Root/Workloads/Production");
    putWaf("b", waf(PROD, "r-prod-2"));

    await()
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                search(
                            PREFIX + "-waf-*",
                            "{\"term\":{\"cloud.account.name\":\"payments-production\"}}")
                        .at("/hits/total/value")
                        .asInt()
                    == 1);
    JsonNode renamed =
        search(PREFIX + "-waf-*", "{\"term\":{\"cloud.account.name\":\"payments-production\"}}");
    assertThat(renamed.at("/hits/hits/0/_source/httpRequest/requestId").asText())
        .isEqualTo("r-prod-2");
    assertThat(renamed.at("/hits/hits/0/_source/vigil/account/ou_path").asText())
        .isEqualTo("Root/Workloads/Production");
    assertThat(ingester.metric("vigil_ingester_accounts", "")).isEqualTo(1);
  }

  /**
   * S3 server access log lines of one bucket (Amazon S3 User Guide, "Amazon S3 server access log
   * format": the Requester is an IAM ARN with its account, a canonical user id or "-"), in a
   * date-partitioned object of the bucket's account 123456789012, which is not in the directory:
   * the requester's account is looked up, and the shipped rule's query, run by OpenSearch on what
   * the ingester indexed, finds the outsider's request only — as the in-memory evaluator does.
   */
  @Test
  void s3AccessRequestersAreLookedUpAndTheOutsideAccountRuleFindsTheOutsider() throws Exception {
    Instant delivered = Instant.parse("2026-12-03T10:05:00Z");
    String canonical = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be";
    Map<String, String> requesters = new LinkedHashMap<>();
    requesters.put("r-member", "arn:aws:sts::" + PROD + ":assumed-role/reader/s1");
    requesters.put("r-outsider", "arn:aws:iam::999988887777:user/partner");
    requesters.put("r-bucket-account", "arn:aws:iam::123456789012:user/Alice");
    requesters.put("r-canonical", canonical);
    requesters.put("r-anonymous", "-");
    StringBuilder lines = new StringBuilder();
    requesters.forEach(
        (requestId, requester) -> {
          String line =
              ServiceLogDelivery.s3AccessRecord(
                  "03/Dec/2026:10:00:00 +0000", requestId, "REST.GET.OBJECT", 200);
          assertThat(line).contains(" arn:aws:iam::123456789012:user/Alice ");
          lines
              .append(line.replace(" arn:aws:iam::123456789012:user/Alice ", " " + requester + " "))
              .append('\n');
        });
    aws.put(
        ServiceLogDelivery.s3AccessKey("s3-access/", true, delivered, "C1B2C3D4E5F6A7B8"),
        lines.toString().getBytes(StandardCharsets.UTF_8));
    String pattern = PREFIX + "-s3access-*";
    await()
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(500))
        .until(() -> Documents.count(openSearch, pattern) == requesters.size());

    Map<String, JsonNode> byRequest = new LinkedHashMap<>();
    for (JsonNode hit : search(pattern, "{\"match_all\":{}}").at("/hits/hits")) {
      byRequest.put(hit.at("/_source/request_id").asText(), hit.get("_source"));
    }
    assertThat(byRequest.keySet()).isEqualTo(requesters.keySet());
    JsonNode member = byRequest.get("r-member");
    assertThat(member.at("/aws/s3access/requester_account_id").asText()).isEqualTo(PROD);
    assertThat(member.at("/vigil/requester/account/known").asBoolean()).isTrue();
    assertThat(member.at("/vigil/requester/account/name").asText()).startsWith("payments-");
    assertThat(member.at("/cloud/account/id").asText()).isEqualTo("123456789012");
    JsonNode outsider = byRequest.get("r-outsider");
    assertThat(outsider.at("/aws/s3access/requester_account_id").asText())
        .isEqualTo("999988887777");
    assertThat(outsider.at("/vigil/requester/account/known").isBoolean()).isTrue();
    assertThat(outsider.at("/vigil/requester/account/known").asBoolean()).isFalse();
    assertThat(outsider.at("/vigil/requester/account/same_account").asBoolean()).isFalse();
    assertThat(
            byRequest
                .get("r-bucket-account")
                .at("/vigil/requester/account/same_account")
                .asBoolean())
        .isTrue();
    for (String none : List.of("r-canonical", "r-anonymous")) {
      assertThat(byRequest.get(none).at("/vigil/requester").isMissingNode()).as(none).isTrue();
      assertThat(byRequest.get(none).at("/aws/s3access").isMissingNode()).as(none).isTrue();
    }
    assertThat(
            search(pattern, "{\"term\":{\"vigil.requester.account.known\":false}}")
                .at("/hits/total/value")
                .asInt())
        .as("known is mapped as a boolean")
        .isEqualTo(2);

    Path file =
        RepositoryRoot.find()
            .resolve("samples/detections/s3access-requester-outside-organization.yaml");
    CompiledRule rule =
        RuleManifest.read(Files.readString(file), file.toString())
            .get(0)
            .compile(RuleCompiler.defaults());
    JsonNode found =
        Documents.search(openSearch, pattern, "{\"size\":10,\"query\":" + rule.query() + "}");
    List<String> byOpenSearch = new ArrayList<>();
    found.at("/hits/hits").forEach(h -> byOpenSearch.add(h.at("/_source/request_id").asText()));
    QueryEvaluator evaluator = new QueryEvaluator(FieldTypes.of(LogType.S3ACCESS));
    List<String> inMemory = new ArrayList<>();
    byRequest.forEach(
        (id, doc) -> {
          if (rule.matches(evaluator, doc)) {
            inMemory.add(id);
          }
        });
    assertThat(byOpenSearch).containsExactly("r-outsider");
    assertThat(inMemory).isEqualTo(byOpenSearch);
  }
}

package dev.vigil.core.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.core.LogType;
import dev.vigil.core.ingest.AccountDirectory;
import dev.vigil.core.parse.types.CloudTrailParser;
import dev.vigil.testing.SyntheticCloudTrail;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Parsers given the organization's accounts write {@code cloud.account.name}, {@code
 * vigil.account.ou_path} and {@code vigil.account.tags} on the documents of listed accounts, and
 * nothing on the others.
 */
class AccountEnrichedDocumentsTest {
  private static final AccountDirectory.Account PROD =
      new AccountDirectory.Account(
          "payments \"prod\"", "Root/Workloads/Prod", Map.of("env", "prod", "team \"a\"", "pay"));
  private static final AccountDirectory ACCOUNTS =
      new AccountDirectory(Map.of("347283850106", PROD), "2026-12-06T18:00:00Z");

  private static List<JsonNode> parse(
      String content, String key, LogType type, AccountDirectory accounts) throws Exception {
    CollectingSink sink = new CollectingSink();
    new ObjectParser(IndexNaming.defaults(), LogParsers.all(), null, () -> accounts)
        .parse(
            new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)),
            new ObjectRef("logs", key),
            type,
            sink);
    assertThat(sink.rejections).isEmpty();
    return sink.sources();
  }

  private static String waf(String account) {
    return "{\"timestamp\":1679548657700,\"formatVersion\":1,\"webaclId\":"
        + "\"arn:aws:wafv2:us-east-1:"
        + account
        + ":global/webacl/test-cf/1\","
        + "\"terminatingRuleId\":\"Default_Action\",\"action\":\"ALLOW\",\"httpSourceName\":\"CF\","
        + "\"httpRequest\":{\"clientIp\":\"10.0.0.1\",\"country\":\"US\","
        + "\"headers\":[],\"uri\":\"/\",\"httpMethod\":\"GET\",\"requestId\":\"r1\"}}\n";
  }

  private static void assertEnriched(JsonNode doc) {
    assertThat(doc.at("/cloud/account/name").asText()).isEqualTo("payments \"prod\"");
    assertThat(doc.at("/vigil/account/ou_path").asText()).isEqualTo("Root/Workloads/Prod");
    assertThat(doc.at("/vigil/account/tags/env").asText()).isEqualTo("prod");
    assertThat(doc.at("/vigil/account/tags").get("team \"a\"").asText()).isEqualTo("pay");
  }

  @Test
  void aListedAccountsDocumentsGetItsNameOuPathAndTags() throws Exception {
    assertEnriched(parse(waf("347283850106"), "waf/a.log", LogType.WAF, ACCOUNTS).get(0));
    String flows =
        "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes"
            + " start end action log-status\n"
            + "2 347283850106 eni-1 10.0.0.220 10.0.0.5 443 49152 6 20 4249 1418530010"
            + " 1418530070 ACCEPT OK\n";
    JsonNode flow =
        parse(
                flows,
                "AWSLogs/347283850106/vpcflowlogs/us-east-1/2014/12/14/a.log",
                LogType.VPCFLOW,
                ACCOUNTS)
            .get(0);
    assertEnriched(flow);
    assertThat(flow.at("/cloud/account/id").asText()).isEqualTo("347283850106");
  }

  @Test
  void anUnlistedAccountOrNoDirectoryAddsNothing() throws Exception {
    JsonNode unknown = parse(waf("111122223333"), "waf/a.log", LogType.WAF, ACCOUNTS).get(0);
    JsonNode none = parse(waf("347283850106"), "waf/a.log", LogType.WAF, null).get(0);

    for (JsonNode doc : List.of(unknown, none)) {
      assertThat(doc.at("/cloud/account/name").isMissingNode()).isTrue();
      assertThat(doc.at("/vigil/account").isMissingNode()).isTrue();
      assertThat(doc.at("/cloud/account/id").asText()).isIn("111122223333", "347283850106");
    }
  }

  @Test
  void cloudTrailFastPathWritesTheSameAccountFieldsAsTheCopyingPath() throws Exception {
    byte[] input =
        SyntheticCloudTrail.object(200, 7, Instant.parse("2026-11-27T00:00:00Z")).readAllBytes();
    TreeSet<String> ids = new TreeSet<>();
    cloudTrail(new CloudTrailParser(), input, null)
        .forEach(d -> ids.add(d.path("recipientAccountId").asText()));
    Map<String, AccountDirectory.Account> listed = new LinkedHashMap<>();
    listed.put(ids.first(), PROD);
    AccountDirectory accounts = new AccountDirectory(listed, null);

    List<JsonNode> fast = cloudTrail(new CloudTrailParser(), input, accounts);
    List<JsonNode> slow = cloudTrail(CloudTrailParser.copyingEveryEvent(), input, accounts);

    assertThat(fast).isEqualTo(slow);
    List<JsonNode> enriched =
        fast.stream()
            .filter(d -> d.path("recipientAccountId").asText().equals(ids.first()))
            .toList();
    assertThat(enriched).isNotEmpty().allSatisfy(AccountEnrichedDocumentsTest::assertEnriched);
    assertThat(fast)
        .filteredOn(d -> !d.path("recipientAccountId").asText().equals(ids.first()))
        .allSatisfy(d -> assertThat(d.at("/vigil/account").isMissingNode()).isTrue());
  }

  /** An S3 server access log line (Amazon S3 User Guide, "Amazon S3 server access log format"). */
  private static String s3Access(String requester) {
    return "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be amzn-s3-demo-bucket1"
        + " [06/Feb/2019:00:00:38 +0000] 192.0.2.3 "
        + requester
        + " 3E57427F3EXAMPLE REST.GET.OBJECT photos/1.jpg \"GET /photos/1.jpg HTTP/1.1\" 200 -"
        + " 113 113 7 - \"-\" \"aws-cli/2.15.0\" - s9lzHYrFp76ZVxRcpX9+5cjAnEH2ROuNkd2BHfIa6UkF="
        + " SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader"
        + " amzn-s3-demo-bucket1.s3.us-west-1.amazonaws.com TLSv1.2 - -\n";
  }

  // A date-partitioned key names the bucket's (source) account: 222233334444.
  private static final String PARTITIONED =
      "access/222233334444/us-west-1/amzn-s3-demo-bucket1/2019/02/06/2019-02-06-00-00-38-5C1A1B2C3D4E5F60";

  private static JsonNode requester(String requester, AccountDirectory accounts) throws Exception {
    return parse(s3Access(requester), PARTITIONED, LogType.S3ACCESS, accounts)
        .get(0)
        .at("/vigil/requester/account");
  }

  @Test
  void anS3RequestersAccountIsLookedUpInTheOrganization() throws Exception {
    JsonNode member = requester("arn:aws:sts::347283850106:assumed-role/reader/s1", ACCOUNTS);
    JsonNode outsider = requester("arn:aws:iam::999988887777:user/partner", ACCOUNTS);
    JsonNode owner = requester("arn:aws:iam::222233334444:user/admin", ACCOUNTS);

    assertThat(member.path("known").isBoolean()).isTrue();
    assertThat(member.path("known").asBoolean()).isTrue();
    assertThat(member.path("name").asText()).isEqualTo("payments \"prod\"");
    assertThat(member.path("same_account").asBoolean(true)).isFalse();
    assertThat(outsider.path("known").asBoolean(true)).isFalse();
    assertThat(outsider.has("name")).isFalse();
    assertThat(outsider.path("same_account").asBoolean(true)).isFalse();
    // The bucket's own account, outside the directory: unknown, but marked as the bucket's.
    assertThat(owner.path("known").asBoolean(true)).isFalse();
    assertThat(owner.path("same_account").asBoolean()).isTrue();
  }

  @Test
  void withoutADirectoryOrWithoutAnAccountInTheRecordNoRequesterFieldsAreWritten()
      throws Exception {
    String outsider = "arn:aws:iam::999988887777:user/partner";
    assertThat(requester(outsider, null).isMissingNode()).isTrue();
    assertThat(requester(outsider, AccountDirectory.EMPTY).isMissingNode()).isTrue();
    assertThat(requester("-", ACCOUNTS).isMissingNode()).isTrue();
    assertThat(
            requester("79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be", ACCOUNTS)
                .isMissingNode())
        .isTrue();
    // The requester's account id itself is parsed without a directory.
    JsonNode doc = parse(s3Access(outsider), PARTITIONED, LogType.S3ACCESS, null).get(0);
    assertThat(doc.at("/aws/s3access/requester_account_id").asText()).isEqualTo("999988887777");
    assertThat(doc.at("/cloud/account/id").asText()).isEqualTo("222233334444");
  }

  @Test
  void theFileTheOperatorWritesReadsBackAndABrokenOneIsNamed() throws Exception {
    AccountDirectory back =
        AccountDirectory.parse(ACCOUNTS.toJson().getBytes(StandardCharsets.UTF_8));

    assertThat(back.find("347283850106")).isEqualTo(PROD);
    assertThat(back.refreshedAt()).isEqualTo("2026-12-06T18:00:00Z");
    assertThat(back.find("111122223333")).isNull();
    assertThatThrownBy(
            () ->
                AccountDirectory.parse(
                    "{\"accounts\":{\"1\":{\"ouPath\":\"Root\"}}}"
                        .getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("accounts.1.name");
  }

  private static List<JsonNode> cloudTrail(
      CloudTrailParser parser, byte[] input, AccountDirectory accounts) throws Exception {
    CollectingSink sink = new CollectingSink();
    new ObjectParser(IndexNaming.defaults(), List.of(parser), null, () -> accounts)
        .parse(
            new ByteArrayInputStream(input),
            new ObjectRef("logs", "AWSLogs/1/CloudTrail/us-east-1/2026/11/27/a.json"),
            LogType.CLOUDTRAIL,
            sink);
    assertThat(sink.rejections).isEmpty();
    return sink.sources();
  }
}

package dev.vigil.bench;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * VPC Flow Log and WAF objects generated from their documented formats, for throughput
 * measurements.
 */
final class SyntheticLines {
  private SyntheticLines() {}

  static byte[] vpcFlow(int lines) {
    SplittableRandom random = new SplittableRandom(7);
    StringBuilder out =
        new StringBuilder(
            "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action"
                + " log-status\n");
    long start = 1_795_000_000L;
    for (int i = 0; i < lines; i++) {
      out.append("2 111122223333 eni-0a1b2c3d4e5f")
          .append(i % 97)
          .append(" 10.0.")
          .append(random.nextInt(255))
          .append('.')
          .append(random.nextInt(255))
          .append(" 203.0.113.")
          .append(random.nextInt(255))
          .append(' ')
          .append(1024 + random.nextInt(60000))
          .append(' ')
          .append(random.nextBoolean() ? 443 : 22)
          .append(' ')
          .append(random.nextInt(4) == 0 ? 17 : 6)
          .append(' ')
          .append(1 + random.nextInt(50))
          .append(' ')
          .append(40 + random.nextInt(100_000))
          .append(' ')
          .append(start + i / 100)
          .append(' ')
          .append(start + i / 100 + 60)
          .append(' ')
          .append(random.nextInt(5) == 0 ? "REJECT" : "ACCEPT")
          .append(" OK\n");
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  static byte[] waf(int records) {
    SplittableRandom random = new SplittableRandom(9);
    StringBuilder out = new StringBuilder();
    long time = 1_795_000_000_000L;
    for (int i = 0; i < records; i++) {
      boolean block = random.nextInt(8) == 0;
      out.append("{\"timestamp\":")
          .append(time + i * 13L)
          .append(
              ",\"formatVersion\":1,\"webaclId\":\"arn:aws:wafv2:us-east-1:111122223333:regional/webacl/app/")
          .append("a1b2c3\",\"terminatingRuleId\":\"")
          .append(block ? "AWS-AWSManagedRulesSQLiRuleSet" : "Default_Action")
          .append("\",\"terminatingRuleType\":\"")
          .append(block ? "MANAGED_RULE_GROUP" : "REGULAR")
          .append("\",\"action\":\"")
          .append(block ? "BLOCK" : "ALLOW")
          .append(
              "\",\"terminatingRuleMatchDetails\":[],\"httpSourceName\":\"ALB\",\"httpSourceId\":\"111122223333-app/web/1\",")
          .append(
              "\"ruleGroupList\":[{\"ruleGroupId\":\"AWS#AWSManagedRulesCommonRuleSet\",\"terminatingRule\":null,")
          .append(
              "\"nonTerminatingMatchingRules\":[],\"excludedRules\":null}],\"rateBasedRuleList\":[],")
          .append(
              "\"nonTerminatingMatchingRules\":[],\"requestHeadersInserted\":null,\"responseCodeSent\":null,")
          .append("\"httpRequest\":{\"clientIp\":\"198.51.100.")
          .append(random.nextInt(255))
          .append("\",\"country\":\"")
          .append(random.nextBoolean() ? "US" : "DE")
          .append(
              "\",\"headers\":[{\"name\":\"Host\",\"value\":\"shop.example.com\"},{\"name\":\"User-Agent\",")
          .append(
              "\"value\":\"Mozilla/5.0 (X11; Linux x86_64)\"},{\"name\":\"Accept\",\"value\":\"*/*\"}],")
          .append("\"uri\":\"/products/")
          .append(random.nextInt(5000))
          .append("\",\"args\":\"q=")
          .append(random.nextInt(100))
          .append("\",\"httpVersion\":\"HTTP/1.1\",\"httpMethod\":\"GET\",\"requestId\":\"1-")
          .append(Integer.toHexString(i))
          .append("-")
          .append(Long.toHexString(random.nextLong()))
          .append("\"}}\n");
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }
}

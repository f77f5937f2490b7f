package dev.vigil.testing;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The S3 keys and bytes of the other services Vigil reads, from their documentation (never from an
 * emulator); each method names its page.
 */
public final class ServiceLogDelivery {
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("yyyy/MM/dd/").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter MINUTE_PATH =
      DateTimeFormatter.ofPattern("yyyy/MM/dd/HH/mm/").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter FILE_MINUTE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm'Z'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter S3_ACCESS_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss").withZone(ZoneOffset.UTC);

  private ServiceLogDelivery() {}

  // --- AWS WAF -------------------------------------------------------------------------------

  /**
   * A WAF log record as the log fields page shows one
   * (https://docs.aws.amazon.com/waf/latest/developerguide/logging-fields.html,
   * https://docs.aws.amazon.com/waf/latest/developerguide/logging-examples.html).
   */
  public static String wafRecord(String requestId, long timestamp, String action, String clientIp) {
    return """
        {"timestamp":%2$d,"formatVersion":1,"webaclId":"arn:aws:wafv2:us-east-1:123456789012:\
        regional/webacl/shop-acl/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111","terminatingRuleId":\
        "AWS-AWSManagedRulesSQLiRuleSet","terminatingRuleType":"MANAGED_RULE_GROUP","action":"%3$s",\
        "terminatingRuleMatchDetails":[],"httpSourceName":"ALB","httpSourceId":\
        "123456789012-app/shop/1234567890abcdef","ruleGroupList":[{"ruleGroupId":\
        "AWS#AWSManagedRulesSQLiRuleSet","terminatingRule":null,"nonTerminatingMatchingRules":[],\
        "excludedRules":null}],"rateBasedRuleList":[],"nonTerminatingMatchingRules":[],\
        "requestHeadersInserted":null,"responseCodeSent":null,"httpRequest":{"clientIp":"%4$s",\
        "country":"US","headers":[{"name":"Host","value":"shop.example.com"},{"name":"User-Agent",\
        "value":"curl/8.4.0"}],"uri":"/search","args":"q=1%%27%%20OR%%201=1","httpVersion":"HTTP/1.1",\
        "httpMethod":"GET","requestId":"%1$s"},"labels":[{"name":"awswaf:managed:aws:sql-database:SQLi_QueryArguments"}]}"""
        .formatted(requestId, timestamp, action, clientIp);
  }

  /**
   * WAF logging straight to S3: {@code AWSLogs/<account>/WAFLogs/<region>/<web
   * ACL>/YYYY/MM/dd/HH/mm/ <account>_waflogs_<region>_<web ACL>_<YYYYMMDDTHHmmZ>_<hash>.log.gz},
   * one record per line (https://docs.aws.amazon.com/waf/latest/developerguide/logging-s3.html).
   */
  public static String wafS3Key(
      String account, String region, String webAcl, Instant time, String hash) {
    return "AWSLogs/"
        + account
        + "/WAFLogs/"
        + region
        + "/"
        + webAcl
        + "/"
        + MINUTE_PATH.format(time)
        + account
        + "_waflogs_"
        + region
        + "_"
        + webAcl
        + "_"
        + FILE_MINUTE.format(time)
        + "_"
        + hash
        + ".log.gz";
  }

  /** Lines of text, each ended by a newline. */
  public static byte[] lines(String... lines) {
    StringBuilder out = new StringBuilder();
    for (String line : lines) {
      out.append(line).append('\n');
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Records back to back, no delimiter: what Firehose writes of records that carry none. */
  public static byte[] concatenated(String... records) {
    return String.join("", records).getBytes(StandardCharsets.UTF_8);
  }

  // --- Findings through EventBridge → Firehose, and GuardDuty's export ------------------------

  /**
   * An EventBridge event of a GuardDuty finding
   * (https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_findings_eventbridge.html), with the
   * finding's documented fields
   * (https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_findings-summary.html).
   */
  public static String guardDutyEvent(String eventId, String finding) {
    return """
        {"version":"0","id":"%1$s","detail-type":"GuardDuty Finding","source":"aws.guardduty",\
        "account":"123456789012","time":"2026-11-27T12:10:00Z","region":"us-east-1","resources":[],\
        "detail":%2$s}"""
        .formatted(eventId, finding);
  }

  /** A GuardDuty finding (as in an EventBridge event's detail and in the S3 export). */
  public static String guardDutyFinding(String id, String updatedAt) {
    return """
        {"schemaVersion":"2.0","accountId":"123456789012","region":"us-east-1","partition":"aws",\
        "id":"%1$s","arn":"arn:aws:guardduty:us-east-1:123456789012:detector/12abc34d567e8fa901bc2d34eexample/finding/%1$s",\
        "type":"Recon:EC2/PortProbeUnprotectedPort","resource":{"resourceType":"Instance",\
        "instanceDetails":{"instanceId":"i-99999999","instanceType":"m3.xlarge"}},\
        "service":{"serviceName":"guardduty","detectorId":"12abc34d567e8fa901bc2d34eexample",\
        "action":{"actionType":"PORT_PROBE","portProbeAction":{"blocked":false,"portProbeDetails":\
        [{"localPortDetails":{"port":80,"portName":"HTTP"},"remoteIpDetails":{"ipAddressV4":\
        "198.51.100.0","country":{"countryName":"Example"}}}]}},"archived":false,"count":1,\
        "eventFirstSeen":"2026-11-27T11:50:00.000Z","eventLastSeen":"2026-11-27T12:00:00.000Z"},\
        "severity":5,"createdAt":"2026-11-27T11:55:00.000Z","updatedAt":"%2$s",\
        "title":"Unprotected port on EC2 instance i-99999999 is being probed.",\
        "description":"EC2 instance has an unprotected port which is being probed by a known malicious host."}"""
        .formatted(id, updatedAt);
  }

  /**
   * GuardDuty's own export to S3: {@code
   * AWSLogs/<account>/GuardDuty/<region>/YYYY/MM/DD/<uuid>.jsonl.gz}, one finding per line
   * (https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_exportfindings.html).
   */
  public static String guardDutyExportKey(
      String account, String region, Instant time, String uuid) {
    return "AWSLogs/"
        + account
        + "/GuardDuty/"
        + region
        + "/"
        + DAY.format(time)
        + uuid
        + ".jsonl.gz";
  }

  /**
   * An EventBridge event of imported Security Hub findings, {@code detail.findings[]} in the AWS
   * Security Finding Format
   * (https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-cwe-event-formats.html,
   * https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-findings-format-syntax.html).
   */
  public static String securityHubEvent(String eventId, String... findings) {
    return """
        {"version":"0","id":"%1$s","detail-type":"Security Hub Findings - Imported",\
        "source":"aws.securityhub","account":"123456789012","time":"2026-11-27T12:20:00Z",\
        "region":"us-east-1","resources":[],"detail":{"findings":[%2$s]}}"""
        .formatted(eventId, String.join(",", findings));
  }

  /** An ASFF finding with the required attributes. */
  public static String securityHubFinding(String id, String updatedAt) {
    return """
        {"SchemaVersion":"2018-10-08","Id":"%1$s",\
        "ProductArn":"arn:aws:securityhub:us-east-1::product/aws/securityhub",\
        "GeneratorId":"security-control/S3.8","AwsAccountId":"123456789012",\
        "Types":["Software and Configuration Checks/Industry and Regulatory Standards"],\
        "CreatedAt":"2026-11-27T12:00:00.000Z","UpdatedAt":"%2$s",\
        "Severity":{"Label":"HIGH","Normalized":70},"Title":"S3 general purpose buckets should block public access",\
        "Description":"This control checks whether an S3 general purpose bucket blocks public access.",\
        "Resources":[{"Type":"AwsS3Bucket","Id":"arn:aws:s3:::shop-assets","Partition":"aws",\
        "Region":"us-east-1"}],"Compliance":{"Status":"FAILED"},"Workflow":{"Status":"NEW"},\
        "RecordState":"ACTIVE","Region":"us-east-1"}"""
        .formatted(id, updatedAt);
  }

  // --- Elastic Load Balancing -----------------------------------------------------------------

  /**
   * An ALB access log entry in the documented field order
   * (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-access-logs.html).
   */
  public static String albAccessEntry(String time, String clientIp, int status) {
    return "https "
        + time
        + " app/shop/50dc6c495c0c9188 "
        + clientIp
        + ":2817 10.0.0.1:80 0.000 0.001"
        + " 0.000 "
        + status
        + " "
        + status
        + " 34 366 \"GET https://shop.example.com:443/cart HTTP/1.1\""
        + " \"curl/8.4.0\" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2"
        + " arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/shop/73e2d6bc24d8a067"
        + " \"Root=1-58337281-1d84f3d73c47ec4e58577259\" \"shop.example.com\""
        + " \"arn:aws:acm:us-east-2:123456789012:certificate/12345678-1234-1234-1234-123456789012\""
        + " 1 "
        + time
        + " \"forward\" \"-\" \"-\" \"10.0.0.1:80\" \""
        + status
        + "\" \"-\" \"-\""
        + " TID_1234abcd5678ef90";
  }

  /**
   * An ALB connection log entry
   * (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-connection-logs.html).
   */
  public static String albConnectionEntry(
      String time, String clientIp, int clientPort, String verify) {
    return time
        + " "
        + clientIp
        + " "
        + clientPort
        + " 443 TLSv1.2 ECDHE-RSA-AES128-GCM-SHA256 2.123"
        + " CN=client.example.com NotBefore=2026-01-01T00:00:00Z;NotAfter=2027-01-01T00:00:00Z"
        + " 7F4E3C2B1A0908F7 "
        + verify
        + " TID_b7f9c1d2e3a4";
  }

  /**
   * Access and connection log objects: {@code
   * AWSLogs/<account>/elasticloadbalancing/<region>/YYYY/MM/DD/
   * [conn_log.]<account>_elasticloadbalancing_<region>_app.<name>.<id>_<YYYYMMDDTHHmmZ>_<ip>_<random>.log.gz}.
   */
  public static String albKey(
      String account, String region, Instant time, boolean connectionLog, String random) {
    return "AWSLogs/"
        + account
        + "/elasticloadbalancing/"
        + region
        + "/"
        + DAY.format(time)
        + (connectionLog ? "conn_log." : "")
        + account
        + "_elasticloadbalancing_"
        + region
        + "_app.shop.50dc6c495c0c9188_"
        + FILE_MINUTE.format(time)
        + "_198.51.100.20_"
        + random
        + ".log.gz";
  }

  // --- S3 server access logs ------------------------------------------------------------------

  /**
   * An S3 server access log record in the documented field order
   * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/LogFormat.html).
   */
  public static String s3AccessRecord(String time, String requestId, String operation, int status) {
    return "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be shop-assets ["
        + time
        + "] 192.0.2.3 arn:aws:iam::123456789012:user/Alice "
        + requestId
        + " "
        + operation
        + " cart/index.html \"GET /shop-assets/cart/index.html HTTP/1.1\" "
        + status
        + " - 2662 2662 12 11 \"-\" \"aws-cli/2.13.5\" -"
        + " s9lzHYrFp76ZVxRcpX9+5cjAnEH2ROuNkd2BHfIa6UkFVdtjf5mKR3/eTPFvsiP/XV/VLi31234= SigV4"
        + " ECDHE-RSA-AES128-GCM-SHA256 AuthHeader shop-assets.s3.us-east-1.amazonaws.com TLSv1.2 -"
        + " - us-east-1";
  }

  /**
   * The two documented log object key formats
   * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html#server-access-logging-overview):
   * simple prefix {@code <prefix>YYYY-mm-DD-HH-MM-SS-<unique>}, and date-based partitioning {@code
   * <prefix><source account>/<source region>/<source
   * bucket>/YYYY/MM/DD/YYYY-mm-DD-HH-MM-SS-<unique>}.
   */
  public static String s3AccessKey(
      String prefix, boolean partitioned, Instant time, String unique) {
    return prefix
        + (partitioned ? "123456789012/us-east-1/shop-assets/" + DAY.format(time) : "")
        + S3_ACCESS_TIME.format(time)
        + "-"
        + unique;
  }

  // --- Route 53 Resolver query logs -----------------------------------------------------------

  /**
   * A Resolver query log record
   * (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-query-logs-format.html).
   */
  public static String resolverQuery(String time, String name, String srcaddr, int srcport) {
    return """
        {"version":"1.100000","account_id":"123456789012","region":"us-east-1",\
        "vpc_id":"vpc-0a1b2c3d4e5f67890","query_timestamp":"%1$s","query_name":"%2$s",\
        "query_type":"A","query_class":"IN","rcode":"NOERROR","answers":[{"Rdata":"192.0.2.44",\
        "Type":"A","Class":"IN"}],"srcaddr":"%3$s","srcport":"%4$d","transport":"UDP",\
        "srcids":{"instance":"i-0d15cd0d3f6fb0c31"}}"""
        .formatted(time, name, srcaddr, srcport);
  }

  /**
   * Resolver query logs in S3: {@code AWSLogs/<account>/vpcdnsquerylogs/<vpc>/YYYY/MM/DD/
   * <vpc>_vpcdnsquerylogs_<account>_<YYYYMMDDTHHmmZ>_<hash>.log.gz}
   * (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-query-logs-choosing-target-resource.html).
   */
  public static String resolverKey(String account, String vpc, Instant time, String hash) {
    return "AWSLogs/"
        + account
        + "/vpcdnsquerylogs/"
        + vpc
        + "/"
        + DAY.format(time)
        + vpc
        + "_vpcdnsquerylogs_"
        + account
        + "_"
        + FILE_MINUTE.format(time)
        + "_"
        + hash
        + ".log.gz";
  }
}

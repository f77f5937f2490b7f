package dev.vigil.core.parse;

import dev.vigil.core.LogType;
import dev.vigil.core.parse.types.VpcFlowParser;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Tells the log type of an object: first from its S3 key (the standard {@code
 * AWSLogs/<account>/<service>/…} layouts and the usual Firehose prefixes), failing that from the
 * first bytes of its decompressed content.
 */
public final class LogTypeDetector {
  private static final Pattern AWSLOGS =
      Pattern.compile(
          "(?:^|/)AWSLogs/(?:o-[a-z0-9]+/)?\\d{12}/([A-Za-z0-9_-]+)/", Pattern.CASE_INSENSITIVE);
  // Hive-compatible S3 prefixes (an option of VPC Flow Logs delivery).
  private static final Pattern AWSLOGS_HIVE =
      Pattern.compile(
          "(?:^|/)AWSLogs/(?:aws-organization-id=[^/]+/)?aws-account-id=\\d{12}/aws-service=([A-Za-z0-9_-]+)/",
          Pattern.CASE_INSENSITIVE);
  // S3 server access log objects are named <prefix>YYYY-mm-DD-HH-MM-SS-<16 character id>.
  private static final Pattern S3_ACCESS_KEY =
      Pattern.compile("\\d{4}-\\d\\d-\\d\\d-\\d\\d-\\d\\d-\\d\\d-[0-9A-Za-z]{16}$");
  private static final Pattern ALB_LINE =
      Pattern.compile("^(http|https|h2|grpcs|ws|wss) \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d");
  // Classic Load Balancer: the time comes first, then the name and client:port.
  private static final Pattern CLASSIC_ELB_LINE =
      Pattern.compile(
          "^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?Z \\S+ [0-9a-fA-F.:\\[\\]]+:\\d+ ");
  private static final Pattern S3_ACCESS_LINE =
      Pattern.compile(
          "^(?:[0-9a-f]{64}|-) \\S+ \\[\\d\\d/\\w{3}/\\d{4}:\\d\\d:\\d\\d:\\d\\d [+-]\\d{4}\\] ");

  private LogTypeDetector() {}

  public static Optional<LogType> fromKey(String key) {
    if (key == null) {
      return Optional.empty();
    }
    var service = AWSLOGS.matcher(key);
    boolean standard = service.find();
    if (!standard) {
      service = AWSLOGS_HIVE.matcher(key);
      standard = service.find();
    }
    if (standard) {
      switch (service.group(1).toLowerCase(java.util.Locale.ROOT)) {
        case "cloudtrail", "cloudtrail-digest", "cloudtrail-insight":
          return Optional.of(LogType.CLOUDTRAIL);
        case "vpcflowlogs":
          return Optional.of(LogType.VPCFLOW);
        case "elasticloadbalancing":
          return Optional.of(LogType.ALB);
        case "vpcdnsquerylogs":
          return Optional.of(LogType.ROUTE53RESOLVER);
        case "waflogs":
          return Optional.of(LogType.WAF);
        case "guardduty":
          return Optional.of(LogType.GUARDDUTY);
        case "securityhub":
          return Optional.of(LogType.SECURITYHUB);
        default:
          break;
      }
    }
    if (S3_ACCESS_KEY.matcher(key).find()) {
      return Optional.of(LogType.S3ACCESS);
    }
    String lower = key.toLowerCase(java.util.Locale.ROOT);
    if (lower.contains("aws-waf-logs-") || lower.contains("/waf/")) {
      return Optional.of(LogType.WAF);
    }
    if (lower.contains("securityhub") || lower.contains("security-hub")) {
      return Optional.of(LogType.SECURITYHUB);
    }
    if (lower.contains("guardduty")) {
      return Optional.of(LogType.GUARDDUTY);
    }
    return Optional.empty();
  }

  /** From the first few kilobytes of decompressed content. */
  public static Optional<LogType> fromContent(String head) {
    String text = head.stripLeading();
    if (text.isEmpty()) {
      return Optional.empty();
    }
    char first = text.charAt(0);
    if (first == '{' || first == '[') {
      return fromJson(text);
    }
    String firstLine = text.lines().findFirst().orElse("");
    if (VpcFlowParser.looksLikeFlowLog(firstLine)) {
      return Optional.of(LogType.VPCFLOW);
    }
    if (ALB_LINE.matcher(firstLine).find() || CLASSIC_ELB_LINE.matcher(firstLine).find()) {
      return Optional.of(LogType.ALB);
    }
    if (S3_ACCESS_LINE.matcher(firstLine).find()) {
      return Optional.of(LogType.S3ACCESS);
    }
    return Optional.empty();
  }

  // Looks for keys that only one log type has, in the order that resolves wrappers first (an
  // EventBridge envelope of
  // a Security Hub finding also has "detail"; a CloudWatch Logs payload may carry CloudTrail
  // events).
  private static Optional<LogType> fromJson(String text) {
    if (text.contains("\"messageType\"") && text.contains("\"logEvents\"")) {
      return Optional.of(LogType.CLOUDWATCH);
    }
    if (text.contains("\"Security Hub Findings")
        || (text.contains("\"ProductArn\"") && text.contains("\"SchemaVersion\""))) {
      return Optional.of(LogType.SECURITYHUB);
    }
    if (text.contains("\"GuardDuty Finding\"")
        || (text.contains("\"schemaVersion\"")
            && text.contains("\"serviceName\"")
            && text.contains("guardduty"))) {
      return Optional.of(LogType.GUARDDUTY);
    }
    if (text.contains("\"Records\"")
        || text.contains("\"eventVersion\"")
        || text.contains("\"digestStartTime\"")) {
      return Optional.of(LogType.CLOUDTRAIL);
    }
    if (text.contains("\"webaclId\"") || text.contains("\"terminatingRuleId\"")) {
      return Optional.of(LogType.WAF);
    }
    if (text.contains("\"query_name\"") && text.contains("\"srcaddr\"")) {
      return Optional.of(LogType.ROUTE53RESOLVER);
    }
    return Optional.empty();
  }
}

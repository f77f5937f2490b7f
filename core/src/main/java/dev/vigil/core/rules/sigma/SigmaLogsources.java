package dev.vigil.core.rules.sigma;

import dev.vigil.core.LogType;
import java.util.Map;
import java.util.Optional;

/**
 * Which Vigil log type a Sigma {@code logsource} means. {@code product: aws} with a {@code service}
 * names the AWS log exactly; a {@code category} alone (with {@code product: aws} or none) names the
 * kind of event, after Sigma's generic categories: network connections are VPC Flow Logs, DNS
 * queries are Route 53 Resolver query logs, web server and proxy requests are ALB access logs.
 */
final class SigmaLogsources {
  /** service → log type, for {@code product: aws}. */
  static final Map<String, LogType> AWS_SERVICES =
      Map.ofEntries(
          Map.entry("cloudtrail", LogType.CLOUDTRAIL),
          Map.entry("guardduty", LogType.GUARDDUTY),
          Map.entry("securityhub", LogType.SECURITYHUB),
          Map.entry("vpcflowlogs", LogType.VPCFLOW),
          Map.entry("vpcflow", LogType.VPCFLOW),
          Map.entry("route53resolver", LogType.ROUTE53RESOLVER),
          Map.entry("route53", LogType.ROUTE53RESOLVER),
          Map.entry("alb", LogType.ALB),
          Map.entry("elb", LogType.ALB),
          Map.entry("waf", LogType.WAF),
          Map.entry("s3", LogType.S3ACCESS),
          Map.entry("s3access", LogType.S3ACCESS),
          Map.entry("cloudwatch", LogType.CLOUDWATCH));

  /** Sigma category → log type. */
  static final Map<String, LogType> CATEGORIES =
      Map.of(
          "network_connection", LogType.VPCFLOW,
          "firewall", LogType.VPCFLOW,
          "dns", LogType.ROUTE53RESOLVER,
          "dns_query", LogType.ROUTE53RESOLVER,
          "webserver", LogType.ALB,
          "proxy", LogType.ALB);

  private SigmaLogsources() {}

  static Optional<LogType> of(String product, String service, String category) {
    if (!product.isEmpty() && !product.equals("aws")) {
      return Optional.empty();
    }
    if (!service.isEmpty()) {
      return product.equals("aws")
          ? Optional.ofNullable(AWS_SERVICES.get(service))
          : Optional.empty();
    }
    return Optional.ofNullable(CATEGORIES.get(category));
  }
}

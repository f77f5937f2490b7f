package dev.vigil.core.parse;

import dev.vigil.core.LogType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shared sample files of each log type (paths under ../shared/testdata), for tests that run
 * them all.
 */
public final class Samples {
  private Samples() {}

  /**
   * A sample file and the S3 key it is parsed under (null: its own path), for types that need a
   * key's date.
   */
  public record Sample(String path, String s3Key) {
    public ObjectRef origin() {
      return s3Key == null ? ObjectRef.file(path) : new ObjectRef("samples", s3Key);
    }
  }

  public static final Map<LogType, List<Sample>> BY_TYPE = new LinkedHashMap<>();

  private static Sample file(String path) {
    return new Sample(path, null);
  }

  // Two AWS documentation examples of VPC Flow Logs have neither start nor end: the delivery date
  // in the key stands in.
  private static Sample vpcFlow(String path) {
    return new Sample(
        path,
        "AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/11/27/"
            + path.substring(path.lastIndexOf('/') + 1));
  }

  /** Every file of a sample directory, sorted. */
  private static List<Sample> directory(String path) {
    try (var files = java.nio.file.Files.list(dev.vigil.core.TestData.path(path))) {
      return files
          .map(f -> file(path + "/" + f.getFileName()))
          .sorted(java.util.Comparator.comparing(Sample::path))
          .toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static {
    BY_TYPE.put(
        LogType.SECURITYHUB,
        java.util.stream.Stream.concat(
                directory("automated-security-response-on-aws/securityhub-asff/bare").stream(),
                directory("automated-security-response-on-aws/securityhub-asff/eventbridge")
                    .stream())
            .toList());
    BY_TYPE.put(
        LogType.CLOUDTRAIL,
        List.of(
            file("centralized-logging-with-opensearch/cloudtrail/cloudtrail.log"),
            file(
                "otrf-security-datasets/cloudtrail/ec2_proxy_s3_exfiltration_2020-09-14011940.json"),
            file("opensearch-catalog/cloudtrail/raw-sample.json")));
    BY_TYPE.put(
        LogType.VPCFLOW,
        List.of(
            vpcFlow("centralized-logging-with-opensearch/vpcflow/vpcflow.log"),
            vpcFlow("awsdocs-vpc-user-guide/vpcflow/custom-nat-gateway-no-version.log"),
            vpcFlow("awsdocs-vpc-user-guide/vpcflow/v2-default.log"),
            vpcFlow("awsdocs-vpc-user-guide/vpcflow/v3-tcp-flag-sequence.log"),
            vpcFlow("awsdocs-vpc-user-guide/vpcflow/v3-transit-gateway.log"),
            vpcFlow("awsdocs-vpc-user-guide/vpcflow/v5-traffic-path-flow-direction.log")));
    BY_TYPE.put(
        LogType.ALB,
        List.of(
            file("opensearch-catalog/alb/raw.log"),
            file("centralized-logging-with-opensearch/alb/elb.log.gz")));
    BY_TYPE.put(
        LogType.S3ACCESS,
        List.of(
            file("centralized-logging-with-opensearch/s3-access/s3.log"),
            file("opensearch-catalog/s3-access/raw.log")));
    BY_TYPE.put(
        LogType.WAF,
        List.of(
            file("opensearch-catalog/waf/raw.log"),
            file("centralized-logging-with-opensearch/waf/waf.log")));
    BY_TYPE.put(
        LogType.ROUTE53RESOLVER,
        List.of(file("opensearch-security-analytics/route53-resolver/dns-sample.json")));
    BY_TYPE.put(
        LogType.GUARDDUTY,
        List.of(
            file("aws-samples-guardduty-automated-response/guardduty/guardduty_ec2_event.json"),
            file("aws-samples-guardduty-automated-response/guardduty/guardduty_iam_event.json"),
            file("aws-samples-guardduty-automated-response/guardduty/guardduty_s3_event.json")));
    BY_TYPE.put(
        LogType.CLOUDWATCH,
        List.of(
            file("powertools-lambda-python/cloudwatch-logs/cloudWatchLogEvent.json"),
            file("powertools-lambda-python/cloudwatch-logs/cloudWatchLogEventWithPolicyLevel.json"),
            file("aws-lambda-go/cloudwatch-logs/cloudwatch-logs-event.json"),
            file("data-prepper/cloudwatch-logs/cloudwatch-logs-sample.json")));
  }
}

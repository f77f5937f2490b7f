package dev.vigil.cli.demo;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The S3 keys AWS delivers each log type under (account, region and time filled in), so the demo's
 * objects look to the LogSources exactly like real deliveries. Security Hub findings have no AWS
 * layout of their own: they arrive through EventBridge and Firehose, whose default layout is {@code
 * YYYY/MM/DD/HH/<stream>-1-<time>-<id>} under the stream's prefix.
 */
public final class DemoLogKeys {
  public static final String ACCOUNT = "123456789012";
  public static final String REGION = "us-east-1";
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter HOUR =
      DateTimeFormatter.ofPattern("yyyy/MM/dd/HH").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter MINUTE_PATH =
      DateTimeFormatter.ofPattern("yyyy/MM/dd/HH/mm").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm'Z'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter FIREHOSE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss").withZone(ZoneOffset.UTC);

  private DemoLogKeys() {}

  /** The key for file {@code stem} of {@code logType}, delivered at {@code at}. */
  public static String of(String logType, String stem, Instant at) {
    String stamp = STAMP.format(at);
    return switch (logType) {
      case "cloudtrail" ->
          "AWSLogs/%s/CloudTrail/%s/%s/%s_CloudTrail_%s_%s_%s.json.gz"
              .formatted(ACCOUNT, REGION, DAY.format(at), ACCOUNT, REGION, stamp, stem);
      case "vpcflow" ->
          "AWSLogs/%s/vpcflowlogs/%s/%s/%s_vpcflowlogs_%s_fl-0d3m0f10w10g5a1b_%s_%s.log.gz"
              .formatted(ACCOUNT, REGION, DAY.format(at), ACCOUNT, REGION, stamp, stem);
      case "waf" ->
          "AWSLogs/%s/WAFLogs/%s/shop-web-acl/%s/%s_waflogs_%s_shop-web-acl_%s_%s.log.gz"
              .formatted(ACCOUNT, REGION, MINUTE_PATH.format(at), ACCOUNT, REGION, stamp, stem);
      default ->
          "%s/vigil-demo-%s-1-%s-%s.gz"
              .formatted(HOUR.format(at), logType, FIREHOSE.format(at), stem);
    };
  }
}

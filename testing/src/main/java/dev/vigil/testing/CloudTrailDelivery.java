package dev.vigil.testing;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * What CloudTrail writes to S3 besides a single account's log files, from the documentation (never
 * from an emulator):
 *
 * <ul>
 *   <li>organization trails: {@code AWSLogs/<O-ID>/<account>/CloudTrail/<region>/YYYY/MM/DD/
 *       <account>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<unique>.json.gz}
 *       (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/get-and-view-cloudtrail-log-files.html,
 *       https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-examples.html);
 *   <li>digest files for log file integrity validation, under {@code CloudTrail-Digest}, one JSON
 *       object of {@code awsAccountId}, {@code digestStartTime} … {@code logFiles}
 *       (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-digest-file-structure.html);
 *   <li>Insights events under {@code CloudTrail-Insight}, {@code {"Records":[…]}} of events with
 *       {@code eventType: AwsCloudTrailInsight} and an {@code insightDetails} block
 *       (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-insights-fields-trails.html).
 * </ul>
 */
public final class CloudTrailDelivery {
  private static final DateTimeFormatter FILE_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm'Z'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter DIGEST_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("yyyy/MM/dd/").withZone(ZoneOffset.UTC);

  private CloudTrailDelivery() {}

  /**
   * The key of a log file; {@code organization} null for a single-account trail. {@code kind} is
   * {@code CloudTrail} or {@code CloudTrail-Insight}.
   */
  public static String logKey(
      String organization,
      String account,
      String kind,
      String region,
      Instant time,
      String unique) {
    return prefix(organization, account, kind, region, time)
        + account
        + "_"
        + kind
        + "_"
        + region
        + "_"
        + FILE_TIME.format(time)
        + "_"
        + unique
        + ".json.gz";
  }

  /** The key of a digest file, named after the trail and the digest's end time. */
  public static String digestKey(
      String organization, String account, String region, String trail, Instant end) {
    return prefix(organization, account, "CloudTrail-Digest", region, end)
        + account
        + "_CloudTrail-Digest_"
        + region
        + "_"
        + trail
        + "_"
        + region
        + "_"
        + DIGEST_TIME.format(end)
        + ".json.gz";
  }

  private static String prefix(
      String organization, String account, String kind, String region, Instant time) {
    return "AWSLogs/"
        + (organization == null ? "" : organization + "/")
        + account
        + "/"
        + kind
        + "/"
        + region
        + "/"
        + DAY.format(time);
  }

  /** A management event as the log file examples show one (an IAM CreateUser call). */
  public static String managementEvent(String id, String account, Instant time) {
    return """
        {"eventVersion":"1.09","userIdentity":{"type":"IAMUser","principalId":"AIDAJ45Q7YFFAREXAMPLE",\
        "arn":"arn:aws:iam::%2$s:user/Alice","accountId":"%2$s","accessKeyId":"AKIAIOSFODNN7EXAMPLE",\
        "userName":"Alice"},"eventTime":"%3$s","eventSource":"iam.amazonaws.com",\
        "eventName":"CreateUser","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.1",\
        "userAgent":"aws-cli/2.13.5 Python/3.11.4 Linux/4.14.255","requestParameters":\
        {"userName":"Bob"},"responseElements":{"user":{"path":"/","userName":"Bob",\
        "userId":"AIDACKCEVSQ6C2EXAMPLE","arn":"arn:aws:iam::%2$s:user/Bob",\
        "createDate":"Nov 27, 2026 12:00:05 PM"}},"requestID":"604c2f5a-2b9e-4e0f-9e0c-EXAMPLE",\
        "eventID":"%1$s","readOnly":false,"eventType":"AwsApiCall","managementEvent":true,\
        "recipientAccountId":"%2$s","eventCategory":"Management"}"""
        .formatted(id, account, time.toString());
  }

  /** A CloudTrail log file: {@code {"Records":[…]}}. */
  public static byte[] logFile(String... events) {
    return ("{\"Records\":[" + String.join(",", events) + "]}").getBytes(StandardCharsets.UTF_8);
  }

  /** An Insights event (start or end) for unusual IAM API call rates. */
  public static String insightEvent(
      String id, String sharedId, String account, Instant time, String state) {
    return """
        {"eventVersion":"1.08","eventTime":"%4$s","awsRegion":"us-east-1","eventID":"%1$s",\
        "eventType":"AwsCloudTrailInsight","recipientAccountId":"%3$s","sharedEventID":"%2$s",\
        "insightDetails":{"state":"%5$s","eventSource":"iam.amazonaws.com",\
        "eventName":"CreateUser","insightType":"ApiCallRateInsight","insightContext":\
        {"statistics":{"baseline":{"average":0.0000882145},"insight":{"average":3},\
        "insightDuration":1,"baselineDuration":11336},"attributions":[{"attribute":\
        "userIdentityArn","insight":[{"value":"arn:aws:iam::%3$s:user/Alice","average":3}],\
        "baseline":[{"value":"arn:aws:iam::%3$s:user/Alice","average":0.0000882145}]},\
        {"attribute":"errorCode","insight":[{"value":"null","average":3}],"baseline":\
        [{"value":"null","average":0.0000882145}]}]}},"eventCategory":"Insight"}"""
        .formatted(id, sharedId, account, time.toString(), state);
  }

  /** A digest file, in the field order of the documentation's example. */
  public static byte[] digestFile(String account, String bucket, String logKey, Instant end) {
    Instant start = end.minusSeconds(3600);
    return """
        {"awsAccountId":"%1$s","digestStartTime":"%4$s","digestEndTime":"%5$s",\
        "digestS3Bucket":"%2$s","digestS3Object":"AWSLogs/%1$s/CloudTrail-Digest/us-east-1/\
        2026/11/27/%1$s_CloudTrail-Digest_us-east-1_org-trail_us-east-1_20261127T120000Z.json.gz",\
        "digestPublicKeyFingerprint":"8eb4ca2a3d1e4f6a9a7d0a1b2c3d4e5f",\
        "digestSignatureAlgorithm":"SHA256withRSA","newestEventTime":"%5$s",\
        "oldestEventTime":"%4$s","previousDigestS3Bucket":"%2$s","previousDigestS3Object":\
        "AWSLogs/%1$s/CloudTrail-Digest/us-east-1/2026/11/27/\
        %1$s_CloudTrail-Digest_us-east-1_org-trail_us-east-1_20261127T110000Z.json.gz",\
        "previousDigestHashValue":"97fb791cf91ffc440d274f8190dbdd9aa09c34432aba82739df18b6d3c13df2d",\
        "previousDigestHashAlgorithm":"SHA-256","previousDigestSignature":\
        "50887ccffad4c002b97caa37cb8f7b1fb8d3a0e8d5a8c1d5a7f9f4b3f1c2e9d8",\
        "logFiles":[{"s3Bucket":"%2$s","s3Object":"%3$s",\
        "hashValue":"9bb6196fc6b84d6f075a56548feca262bd99ba3c2de41b618e5b6e22c1fc71f6",\
        "hashAlgorithm":"SHA-256","newestEventTime":"%5$s","oldestEventTime":"%4$s"}]}"""
        .formatted(account, bucket, logKey, start.toString(), end.toString())
        .getBytes(StandardCharsets.UTF_8);
  }
}

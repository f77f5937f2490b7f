package dev.vigil.core.parse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.core.LogType;
import dev.vigil.core.TestData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LogTypeDetectorTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SECURITYHUB =
      "automated-security-response-on-aws/securityhub-asff/bare/afsbp-ec2.1.json";
  private static final String SECURITYHUB_EVENT =
      "automated-security-response-on-aws/securityhub-asff/eventbridge/"
          + "source__layer__test__test_json_data__afsbp-ec2.7.json";
  private static final String GUARDDUTY =
      "aws-samples-guardduty-automated-response/guardduty/guardduty_ec2_event.json";
  private static final String CLOUDWATCH =
      "data-prepper/cloudwatch-logs/cloudwatch-logs-sample.json";

  @Test
  void keysInAwsLogLayoutsNameTheirType() {
    assertThat(
            LogTypeDetector.fromKey(
                "AWSLogs/123456789012/WAFLogs/us-east-1/my-acl/2026/11/27/12/05/x_waflogs.log.gz"))
        .contains(LogType.WAF);
    assertThat(LogTypeDetector.fromKey("2026/11/27/12/aws-waf-logs-edge-1-2026-11-27-12-00-00-ab"))
        .contains(LogType.WAF);
    assertThat(
            LogTypeDetector.fromKey(
                "AWSLogs/o-abc123/123456789012/GuardDuty/us-east-1/2026/11/27/f.jsonl.gz"))
        .contains(LogType.GUARDDUTY);
  }

  @Test
  void wordsInAKeyOnlyHintAndDoNotOverruleTheContent() {
    String key = "guardduty-responder-logs/2026/11/27/12/stream-1-2026-11-27-abc";
    assertThat(LogTypeDetector.detect(key, text(CLOUDWATCH))).contains(LogType.CLOUDWATCH);
    assertThat(LogTypeDetector.detect(key, "not json at all")).contains(LogType.GUARDDUTY);
    assertThat(LogTypeDetector.detect("exports/securityhub/batch.json", "[]"))
        .contains(LogType.SECURITYHUB);
    assertThat(LogTypeDetector.detect("x/y.json", "{\"hello\":1}")).isEmpty();
  }

  @Test
  void wafRecordsAreToldByTheirFields() {
    String raw = text("opensearch-catalog/waf/raw.log");
    assertThat(LogTypeDetector.fromContent(raw)).contains(LogType.WAF);
    assertThat(
            LogTypeDetector.fromContent(text("opensearch-security-analytics/waf/waf-sample.json")))
        .contains(LogType.WAF);
    assertThat(LogTypeDetector.fromContent(text("centralized-logging-with-opensearch/waf/waf.log")))
        .contains(LogType.WAF);
  }

  @Test
  void securityHubFindingsAreToldInEveryShape() throws IOException {
    String finding = line(SECURITYHUB);
    assertThat(LogTypeDetector.fromContent(text(SECURITYHUB))).contains(LogType.SECURITYHUB);
    assertThat(LogTypeDetector.fromContent(text(SECURITYHUB_EVENT))).contains(LogType.SECURITYHUB);
    assertThat(LogTypeDetector.fromContent("[" + finding + "]")).contains(LogType.SECURITYHUB);
    assertThat(LogTypeDetector.fromContent("{\"Findings\":[" + finding + "]}"))
        .contains(LogType.SECURITYHUB);
    // detail before detail-type, and the head cut off inside the finding
    ObjectNode event = (ObjectNode) JSON.readTree(TestData.bytes(SECURITYHUB_EVENT));
    String reordered = "{\"detail\":" + event.get("detail") + ",\"detail-type\":\"x\"}";
    assertThat(LogTypeDetector.fromContent(reordered.substring(0, 400)))
        .contains(LogType.SECURITYHUB);
  }

  @Test
  void guardDutyFindingsAreToldInEveryShape() throws IOException {
    String finding = line(GUARDDUTY);
    assertThat(LogTypeDetector.fromContent(text(GUARDDUTY))).contains(LogType.GUARDDUTY);
    assertThat(LogTypeDetector.fromContent("[" + finding + "]")).contains(LogType.GUARDDUTY);
    assertThat(
            LogTypeDetector.fromContent(
                "{\"version\":\"0\",\"detail-type\":\"GuardDuty Finding\",\"detail\":"
                    + finding
                    + "}"))
        .contains(LogType.GUARDDUTY);
    assertThat(LogTypeDetector.fromContent(finding.substring(0, 300))).contains(LogType.GUARDDUTY);
    // A GuardDuty finding imported into Security Hub is an ASFF finding.
    ObjectNode imported = (ObjectNode) JSON.readTree(TestData.bytes(SECURITYHUB));
    imported.put("ProductArn", "arn:aws:securityhub:us-east-1::product/aws/guardduty");
    assertThat(LogTypeDetector.fromContent(imported.toString())).contains(LogType.SECURITYHUB);
  }

  @Test
  void cloudWatchLogsPayloadsAndLambdaWrappersAreCloudWatch() {
    assertThat(LogTypeDetector.fromContent(text(CLOUDWATCH))).contains(LogType.CLOUDWATCH);
    assertThat(
            LogTypeDetector.fromContent(
                text("aws-lambda-go/cloudwatch-logs/cloudwatch-logs-event.json")))
        .contains(LogType.CLOUDWATCH);
  }

  @Test
  void cloudTrailEventsAreToldApartFromEventNotificationsWithTheSameKeys() {
    assertThat(
            LogTypeDetector.fromContent(
                text("centralized-logging-with-opensearch/cloudtrail/cloudtrail.log")))
        .contains(LogType.CLOUDTRAIL);
    String event =
        "{\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":\"Root\"},"
            + "\"eventTime\":\"2026-11-27T01:02:03Z\",\"eventSource\":\"iam.amazonaws.com\"}";
    assertThat(LogTypeDetector.fromContent(event)).contains(LogType.CLOUDTRAIL);
    assertThat(LogTypeDetector.fromContent("{\"Records\":[]}")).contains(LogType.CLOUDTRAIL);
    // An S3 event notification (as a Lambda logs it), and the Kinesis Lambda event.
    String s3Notification =
        "{\"Records\":[{\"eventVersion\":\"2.1\",\"eventSource\":\"aws:s3\",\"awsRegion\":\"us-east-1\","
            + "\"eventTime\":\"2026-11-27T01:02:03Z\",\"eventName\":\"ObjectCreated:Put\"}]}";
    assertThat(LogTypeDetector.fromContent(s3Notification)).isEmpty();
    assertThat(
            LogTypeDetector.fromContent(
                text(
                    "powertools-lambda-python/cloudwatch-logs/kinesisStreamCloudWatchLogsEvent.json")))
        .isEmpty();
  }

  @Test
  void otherEventBridgeEventsAreNotTakenForFindings() {
    assertThat(
            LogTypeDetector.fromContent(
                "{\"detail-type\":\"EC2 Instance State-change Notification\",\"source\":\"aws.ec2\","
                    + "\"detail\":{\"state\":\"stopped\"}}"))
        .isEmpty();
  }

  private static String text(String path) {
    return new String(TestData.bytes(path), StandardCharsets.UTF_8);
  }

  private static String line(String path) throws IOException {
    return JSON.readTree(TestData.bytes(path)).toString();
  }
}

package dev.vigil.operator.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.api.v1alpha1.OpenSearchConnectionSpec.CloudWatchAlarms;
import dev.vigil.parts.MotoServer;
import dev.vigil.testing.RealPartsExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * The recommended domain alarms, provisioned in the AWS emulator (moto's CloudWatch and SNS) and
 * checked in the emulator's own state, not through the code under test.
 */
@ExtendWith(RealPartsExtension.class)
class DomainAlarmsIT {
  @Test
  void provisionsEveryRecommendedAlarmOnceCorrectsDriftAndDeletesOnlyItsOwn(MotoServer aws)
      throws Exception {
    CloudWatchQueryApi cloudWatch =
        new CloudWatchQueryApi(
            URI.create(aws.endpoint() + "/"),
            StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")),
            MotoServer.REGION.id());
    String topic;
    try (SnsClient sns = aws.client(SnsClient.builder())) {
      topic = sns.createTopic(b -> b.name("siem-alerts")).topicArn();
    }
    CloudWatchAlarms spec = new CloudWatchAlarms();
    spec.domainName = "siem-alarms";
    spec.accountId = MotoServer.ACCOUNT_ID;
    spec.region = MotoServer.REGION.id();
    spec.snsTopicArn = topic;
    Map<String, String> foreign = new HashMap<>();
    foreign.put("AlarmName", "vigil-siem-alarms-by-hand-but-not-vigils");
    foreign.putAll(
        Map.of(
            "Namespace", "AWS/ES",
            "MetricName", "Nodes",
            "Statistic", "Minimum",
            "Period", "86400",
            "EvaluationPeriods", "1",
            "Threshold", "3",
            "ComparisonOperator", "LessThanThreshold"));
    cloudWatch.putMetricAlarm(foreign);
    cloudWatch.putMetricAlarm(
        Map.of(
            "AlarmName", "someone-elses-alarm",
            "Namespace", "AWS/ES",
            "MetricName", "CPUUtilization",
            "Statistic", "Maximum",
            "Period", "60",
            "EvaluationPeriods", "1",
            "Threshold", "90",
            "ComparisonOperator", "GreaterThanThreshold"));

    // 7 created, and the stray alarm under Vigil's prefix removed.
    assertThat(DomainAlarms.ensure(cloudWatch, spec)).isEqualTo(8);
    assertThat(names(cloudWatch, ""))
        .containsExactlyInAnyOrder(
            "someone-elses-alarm",
            "vigil-siem-alarms-ClusterStatus.red",
            "vigil-siem-alarms-ClusterStatus.yellow",
            "vigil-siem-alarms-FreeStorageSpace",
            "vigil-siem-alarms-ClusterIndexWritesBlocked",
            "vigil-siem-alarms-AutomatedSnapshotFailure",
            "vigil-siem-alarms-CPUUtilization",
            "vigil-siem-alarms-JVMMemoryPressure");
    Map<String, JsonNode> alarms = emulatorAlarms(aws);
    JsonNode red = alarms.get("vigil-siem-alarms-ClusterStatus.red");
    // moto's state dump leaves dimensions out; DescribeAlarms has them.
    assertThat(cloudWatch.describeAlarms("vigil-siem-alarms-ClusterStatus.red").get(0).dimensions())
        .containsExactlyInAnyOrder("DomainName=siem-alarms", "ClientId=" + MotoServer.ACCOUNT_ID);
    assertThat(red.toString()).contains("\"AWS/ES\"").contains("ClusterStatus.red").contains(topic);
    assertThat(text(alarms.get("vigil-siem-alarms-FreeStorageSpace"), "threshold"))
        .isEqualTo("20480.0");
    assertThat(text(alarms.get("vigil-siem-alarms-CPUUtilization"), "period")).isEqualTo("900");

    assertThat(DomainAlarms.ensure(cloudWatch, spec)).as("unchanged: no writes").isZero();

    spec.freeStorageThresholdMiB = 51200;
    assertThat(DomainAlarms.ensure(cloudWatch, spec)).isEqualTo(1);
    assertThat(text(emulatorAlarms(aws).get("vigil-siem-alarms-FreeStorageSpace"), "threshold"))
        .isEqualTo("51200.0");

    assertThat(DomainAlarms.delete(cloudWatch, "siem-alarms")).isEqualTo(7);
    assertThat(names(cloudWatch, "")).containsExactly("someone-elses-alarm");
  }

  private static java.util.List<String> names(CloudWatchQueryApi cloudWatch, String prefix)
      throws Exception {
    return cloudWatch.describeAlarms(prefix).stream().map(CloudWatchQueryApi.Alarm::name).toList();
  }

  private static String text(JsonNode alarm, String field) {
    return alarm.path(field).asText();
  }

  /**
   * Alarms' attributes as moto itself holds them ({@code /moto-api/data.json}; it keeps deleted
   * objects too, so presence is checked with DescribeAlarms).
   */
  private static Map<String, JsonNode> emulatorAlarms(MotoServer aws) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(aws.endpoint() + "/moto-api/data.json")).build(),
                HttpResponse.BodyHandlers.ofString());
    JsonNode data = new ObjectMapper().readTree(response.body());
    Map<String, JsonNode> alarms = new HashMap<>();
    for (JsonNode alarm : data.path("cloudwatch").path("Alarm")) {
      alarms.put(alarm.path("name").asText(), alarm);
    }
    return alarms;
  }
}

package dev.vigil.core.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.LogType;
import dev.vigil.core.TestData;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Detection of the line-oriented types (VPC Flow Logs, ALB, S3 server access, Route 53 Resolver).
 */
class TextLogTypeDetectorTest {
  @Test
  void vpcFlowLogKeysPlainAndHiveCompatible() {
    assertThat(
            LogTypeDetector.fromKey(
                "AWSLogs/123456789012/vpcflowlogs/us-east-1/2022/05/04/"
                    + "123456789012_vpcflowlogs_us-east-1_fl-1_20220504T0640Z_3a9dfd9d.log.gz"))
        .contains(LogType.VPCFLOW);
    assertThat(
            LogTypeDetector.fromKey(
                "flows/AWSLogs/aws-account-id=123456789012/aws-service=vpcflowlogs/"
                    + "aws-region=us-east-1/year=2024/month=03/day=09/hour=17/x.log.gz"))
        .contains(LogType.VPCFLOW);
  }

  @Test
  void vpcFlowLogContentByAnyHeaderOrAHeaderlessDefaultRecord() {
    for (String file :
        new String[] {
          "awsdocs-vpc-user-guide/vpcflow/v2-default.log",
          "awsdocs-vpc-user-guide/vpcflow/v3-tcp-flag-sequence.log",
          "awsdocs-vpc-user-guide/vpcflow/v3-transit-gateway.log",
          "awsdocs-vpc-user-guide/vpcflow/v5-traffic-path-flow-direction.log",
          "awsdocs-vpc-user-guide/vpcflow/custom-nat-gateway-no-version.log",
          "centralized-logging-with-opensearch/vpcflow/vpcflow.log"
        }) {
      assertThat(LogTypeDetector.fromContent(text(file))).as(file).contains(LogType.VPCFLOW);
    }
    assertThat(
            LogTypeDetector.fromContent(
                "2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249"
                    + " 1418530010 1418530070 ACCEPT OK\n"))
        .contains(LogType.VPCFLOW);
  }

  @Test
  void loadBalancerKeysAndApplicationAndClassicLines() {
    assertThat(
            LogTypeDetector.fromKey(
                "AWSLogs/123456789012/elasticloadbalancing/us-west-2/2022/07/05/"
                    + "123456789012_elasticloadbalancing_us-west-2_app.lb.2b39_20220705T0450Z_1.2.3.4_x.log.gz"))
        .contains(LogType.ALB);
    assertThat(LogTypeDetector.fromContent(text("opensearch-catalog/alb/raw.log")))
        .contains(LogType.ALB);
    assertThat(LogTypeDetector.fromContent(text("centralized-logging-with-opensearch/alb/elb.log")))
        .contains(LogType.ALB);
    assertThat(
            LogTypeDetector.fromContent(
                "2020-06-14T17:26:04.805368Z my-clb-1 170.01.01.02:39492 172.31.25.183:5000 0.000032"
                    + " 0.001861 0.000017 200 200 0 13 \"GET http://h:80/ HTTP/1.1\" \"-\" - -\n"))
        .contains(LogType.ALB);
  }

  @Test
  void s3AccessLogObjectNamesSimpleAndDatePartitionedButNotFirehoseNames() {
    assertThat(LogTypeDetector.fromKey("logs/2019-02-06-00-00-38-5C1A1B2C3D4E5F60"))
        .contains(LogType.S3ACCESS);
    assertThat(LogTypeDetector.fromKey("2013-11-01-21-32-16-E568B2907131C0C0"))
        .contains(LogType.S3ACCESS);
    assertThat(
            LogTypeDetector.fromKey(
                "logs/123456789012/us-east-1/bucket/2019/02/06/2019-02-06-00-00-38-5C1A1B2C3D4E5F60"))
        .contains(LogType.S3ACCESS);
    // Firehose names objects <stream>-<version>-YYYY-MM-DD-HH-MM-SS-<uuid>.
    assertThat(
            LogTypeDetector.fromKey(
                "fh/2024/03/09/17/stream-1-2024-03-09-17-05-12-4b1a2c3d-1e2f-4a5b-8c9d-0e1f2a3b4c5d"))
        .isEmpty();
  }

  @Test
  void s3AccessLogContent() {
    assertThat(
            LogTypeDetector.fromContent(
                text("centralized-logging-with-opensearch/s3-access/s3.log")))
        .contains(LogType.S3ACCESS);
    assertThat(
            LogTypeDetector.fromContent(
                "- awsexamplebucket1 [06/Feb/2019:00:00:38 +0000] 192.0.2.3 - 3E57427F3EXAMPLE"
                    + " REST.GET.VERSIONING - \"GET / HTTP/1.1\" 200 - 113 - 7 - \"-\" \"x\" -\n"))
        .contains(LogType.S3ACCESS);
  }

  @Test
  void resolverQueryLogKeyAndContent() {
    assertThat(
            LogTypeDetector.fromKey(
                "AWSLogs/111122223333/vpcdnsquerylogs/vpc-0123456789abcdef0/2021/10/14/x.log.gz"))
        .contains(LogType.ROUTE53RESOLVER);
    assertThat(
            LogTypeDetector.fromContent(
                text("opensearch-security-analytics/route53-resolver/dns-sample.json")))
        .contains(LogType.ROUTE53RESOLVER);
  }

  @Test
  void plainTextThatIsNoKnownLogIsNotTakenForOne() {
    assertThat(LogTypeDetector.fromContent("hello world\nthis is a readme\n")).isEmpty();
    assertThat(LogTypeDetector.fromContent("2 3 4\n")).isEmpty();
  }

  private static String text(String file) {
    return new String(TestData.bytes(file), StandardCharsets.UTF_8);
  }
}

package dev.vigil.core.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.LogType;
import dev.vigil.core.TestData;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Detection of the line-oriented types (VPC Flow Logs, ALB, S3 server access, Route 53 Resolver).
 */
class LogTypeDetectorTest {
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
  void plainTextThatIsNoKnownLogIsNotTakenForOne() {
    assertThat(LogTypeDetector.fromContent("hello world\nthis is a readme\n")).isEmpty();
    assertThat(LogTypeDetector.fromContent("2 3 4\n")).isEmpty();
  }

  private static String text(String file) {
    return new String(TestData.bytes(file), StandardCharsets.UTF_8);
  }
}

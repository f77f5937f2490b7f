package dev.vigil.core.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.LogType;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/**
 * Key layouts as the AWS documentation gives them (pages cited in {@link KeyLayouts}); the dates
 * are those replay selects by and scan lists by.
 */
class KeyLayoutsTest {
  @Test
  void readsTheDateOfEveryStandardLayout() {
    assertThat(
            KeyLayouts.date(
                "AWSLogs/123456789012/CloudTrail/us-east-1/2026/11/27/123456789012_CloudTrail_us-east-1_20261127T1005Z_abc.json.gz"))
        .contains(LocalDate.of(2026, 11, 27));
    assertThat(
            KeyLayouts.date(
                "AWSLogs/aws-account-id=123456789012/aws-service=vpcflowlogs/aws-region=us-east-1/year=2025/month=01/day=09/f.log.gz"))
        .contains(LocalDate.of(2025, 1, 9));
    assertThat(
            KeyLayouts.date(
                "firehose/waf/2026/02/28/13/aws-waf-logs-x-1-2026-02-28-13-00-00-abc.gz"))
        .contains(LocalDate.of(2026, 2, 28));
    assertThat(KeyLayouts.date("access/2026-03-01-10-05-00-0123456789ABCDEF"))
        .contains(LocalDate.of(2026, 3, 1));
    assertThat(KeyLayouts.date("misc/123456789012_CloudTrail_us-east-1_20260401T0000Z_x.json.gz"))
        .contains(LocalDate.of(2026, 4, 1));
  }

  @Test
  void keysWithoutADateOrWithAnImpossibleOneHaveNone() {
    assertThat(KeyLayouts.date("uploads/report.json.gz")).isEmpty();
    assertThat(KeyLayouts.date("AWSLogs/1/CloudTrail/us-east-1/2026/13/45/x.json.gz")).isEmpty();
  }

  @Test
  void aPrefixFollowedByDayFoldersCanBeListedDayByDay() {
    String prefix = "AWSLogs/123456789012/CloudTrail/us-east-1/";
    assertThat(KeyLayouts.dayFoldersRightAfter(prefix, prefix + "2026/11/27/a.json.gz")).isTrue();
    assertThat(
            KeyLayouts.dayFoldersRightAfter(
                "AWSLogs/123456789012/CloudTrail/",
                "AWSLogs/123456789012/CloudTrail/us-east-1/2026/11/27/a.json.gz"))
        .isFalse();
  }

  @Test
  void yearFoldersAreTheRootsOfTheDayLayout() {
    assertThat(
            KeyLayouts.isYearFolder(
                "AWSLogs/1/CloudTrail/us-east-1/", "AWSLogs/1/CloudTrail/us-east-1/2026/"))
        .isTrue();
    assertThat(KeyLayouts.isYearFolder("", "2019/")).isTrue();
    assertThat(KeyLayouts.isYearFolder("logs/", "logs/us-east-1/")).isFalse();
    assertThat(KeyLayouts.isYearFolder("logs/", "logs/1234/")).isFalse();
  }

  /** The documented examples of each layout name their type, account and region. */
  @Test
  void documentedKeysNameTheirTypeAccountAndRegion() {
    // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-examples.html
    String trail =
        "AWSLogs/o-exampleorgid/111122223333/CloudTrail/us-east-2/2015/08/01/"
            + "111122223333_CloudTrail_us-east-2_20150801T0210Z_Mu0KsOhtH1ar15ZZ.json.gz";
    assertThat(KeyLayouts.logType(trail)).contains(LogType.CLOUDTRAIL);
    KeyLayouts.AwsLogs layout = KeyLayouts.awsLogs(trail).orElseThrow();
    assertThat(layout.account()).isEqualTo("111122223333");
    assertThat(layout.region()).isEqualTo("us-east-2");
    assertThat(layout.day()).isEqualTo(LocalDate.of(2015, 8, 1));
    assertThat(KeyLayouts.fileTime(trail))
        .isEqualTo(java.time.Instant.parse("2015-08-01T02:10:00Z"));

    // https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-path.html (Hive, per hour)
    String hive =
        "AWSLogs/aws-account-id=123456789012/aws-service=vpcflowlogs/aws-region=us-east-1/"
            + "year=2025/month=01/day=09/hour=17/f.log.gz";
    assertThat(KeyLayouts.logType(hive)).contains(LogType.VPCFLOW);
    assertThat(KeyLayouts.awsLogs(hive).orElseThrow().hour()).isEqualTo(17);

    // https://docs.aws.amazon.com/AmazonS3/latest/API/API_PartitionedPrefix.html
    String access =
        "logs/210987654321/eu-central-1/my-bucket/2019/02/06/2019-02-06-00-00-38-5C1A1B2C3D4E5F60";
    assertThat(KeyLayouts.logType(access)).contains(LogType.S3ACCESS);
    assertThat(KeyLayouts.s3AccessSource(access)).containsExactly("210987654321", "eu-central-1");
    assertThat(KeyLayouts.s3AccessSource("logs/2019-02-06-00-00-38-5C1A1B2C3D4E5F60")).isNull();

    assertThat(KeyLayouts.logType("uploads/report.json.gz")).isEmpty();
  }
}

package dev.vigil.ingester.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class KeyDatesTest {
  @Test
  void readsTheDateOfEveryStandardLayout() {
    assertThat(
            KeyDates.of(
                "AWSLogs/123456789012/CloudTrail/us-east-1/2026/11/27/123456789012_CloudTrail_us-east-1_20261127T1005Z_abc.json.gz"))
        .contains(LocalDate.of(2026, 11, 27));
    assertThat(
            KeyDates.of(
                "AWSLogs/aws-account-id=123456789012/aws-service=vpcflowlogs/aws-region=us-east-1/year=2025/month=01/day=09/f.log.gz"))
        .contains(LocalDate.of(2025, 1, 9));
    assertThat(
            KeyDates.of("firehose/waf/2026/02/28/13/aws-waf-logs-x-1-2026-02-28-13-00-00-abc.gz"))
        .contains(LocalDate.of(2026, 2, 28));
    assertThat(KeyDates.of("access/2026-03-01-10-05-00-0123456789ABCDEF"))
        .contains(LocalDate.of(2026, 3, 1));
    assertThat(KeyDates.of("misc/123456789012_CloudTrail_us-east-1_20260401T0000Z_x.json.gz"))
        .contains(LocalDate.of(2026, 4, 1));
  }

  @Test
  void keysWithoutADateOrWithAnImpossibleOneHaveNone() {
    assertThat(KeyDates.of("uploads/report.json.gz")).isEmpty();
    assertThat(KeyDates.of("AWSLogs/1/CloudTrail/us-east-1/2026/13/45/x.json.gz")).isEmpty();
  }

  @Test
  void aPrefixFollowedByDayFoldersCanBeListedDayByDay() {
    String prefix = "AWSLogs/123456789012/CloudTrail/us-east-1/";
    assertThat(KeyDates.datedRightAfter(prefix, prefix + "2026/11/27/a.json.gz")).isTrue();
    assertThat(
            KeyDates.datedRightAfter(
                "AWSLogs/123456789012/CloudTrail/",
                "AWSLogs/123456789012/CloudTrail/us-east-1/2026/11/27/a.json.gz"))
        .isFalse();
  }
}

package dev.vigil.core.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class IndexPartitionsTest {
  @Test
  void partitionEndIsTheStartOfTheNextPeriod() {
    assertThat(IndexPartitions.partitionEnd("vigil-cloudtrail-2026.11.01"))
        .contains(Instant.parse("2026-11-02T00:00:00Z"));
    assertThat(IndexPartitions.partitionEnd("vigil-vpcflow-2026.12"))
        .contains(Instant.parse("2027-01-01T00:00:00Z"));
    assertThat(IndexPartitions.partitionEnd("vigil-waf-2026"))
        .contains(Instant.parse("2027-01-01T00:00:00Z"));
  }

  @Test
  void namesWithoutAValidDateAreNotPartitions() {
    assertThat(IndexPartitions.partitionEnd("vigil-alerts")).isEmpty();
    assertThat(IndexPartitions.partitionEnd("vigil-cloudtrail-2026.13.45")).isEmpty();
    assertThat(IndexPartitions.partitionEnd("vigil-cloudtrail-2026.11.01-x")).isEmpty();
  }

  @Test
  void anIndexExpiresOnlyWhenItsWholeDayIsOlderThanMaxAge() {
    List<String> indices =
        List.of(
            "vigil-cloudtrail-2026.11.12",
            "vigil-cloudtrail-2026.11.13",
            "vigil-cloudtrail-2026.11.14",
            "vigil-cloudtrail-latest");
    // 14 days before 2026-11-27T00:00 is 2026-11-13T00:00: the 12th ended then, the 13th not yet.
    assertThat(
            IndexPartitions.expired(
                indices, Duration.ofDays(14), Instant.parse("2026-11-27T00:00:00Z")))
        .containsExactly("vigil-cloudtrail-2026.11.12");
    assertThat(
            IndexPartitions.expired(
                indices, Duration.ofDays(14), Instant.parse("2026-11-28T00:00:00Z")))
        .containsExactly("vigil-cloudtrail-2026.11.12", "vigil-cloudtrail-2026.11.13");
  }

  @Test
  void daysOfDailyIndices() {
    assertThat(IndexPartitions.day("vigil-waf-2026.11.01")).contains(LocalDate.of(2026, 11, 1));
    assertThat(IndexPartitions.day("vigil-waf-2026.11")).isEmpty();
    assertThat(IndexPartitions.daySuffix(LocalDate.of(2026, 1, 2))).isEqualTo("2026.01.02");
  }
}

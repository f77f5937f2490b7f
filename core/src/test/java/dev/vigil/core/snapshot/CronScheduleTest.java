package dev.vigil.core.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class CronScheduleTest {
  private static Instant at(String text) {
    return Instant.parse(text);
  }

  @Test
  void dailyRunsAtTheGivenTimeInUtc() {
    CronSchedule cron = CronSchedule.parse("0 3 * * *");
    assertThat(cron.next(at("2026-11-27T02:59:59Z"))).isEqualTo(at("2026-11-27T03:00:00Z"));
    assertThat(cron.next(at("2026-11-27T03:00:00Z"))).isEqualTo(at("2026-11-28T03:00:00Z"));
  }

  @Test
  void stepsRangesAndListsCombine() {
    CronSchedule cron = CronSchedule.parse("*/15 8-10,22 * * *");
    assertThat(cron.next(at("2026-11-27T08:01:00Z"))).isEqualTo(at("2026-11-27T08:15:00Z"));
    assertThat(cron.next(at("2026-11-27T10:45:00Z"))).isEqualTo(at("2026-11-27T22:00:00Z"));
    assertThat(cron.next(at("2026-11-27T22:45:00Z"))).isEqualTo(at("2026-11-28T08:00:00Z"));
  }

  @Test
  void namedWeekdaysAndMonthsAndSundayAsSeven() {
    // 2026-11-27 is a Friday.
    assertThat(CronSchedule.parse("30 1 * * mon-wed").next(at("2026-11-27T00:00:00Z")))
        .isEqualTo(at("2026-11-30T01:30:00Z"));
    assertThat(CronSchedule.parse("0 0 * * 7").next(at("2026-11-27T00:00:00Z")))
        .isEqualTo(at("2026-11-29T00:00:00Z"));
    assertThat(CronSchedule.parse("0 0 1 jan *").next(at("2026-11-27T00:00:00Z")))
        .isEqualTo(at("2027-01-01T00:00:00Z"));
  }

  @Test
  void restrictedDayOfMonthAndWeekdayMatchEither() {
    // The 1st of the month or any Monday.
    CronSchedule cron = CronSchedule.parse("0 0 1 * 1");
    assertThat(cron.next(at("2026-11-27T00:00:00Z"))).isEqualTo(at("2026-11-30T00:00:00Z"));
    assertThat(cron.next(at("2026-11-30T00:00:00Z"))).isEqualTo(at("2026-12-01T00:00:00Z"));
  }

  @Test
  void leapDayIsFoundYearsAhead() {
    assertThat(CronSchedule.parse("0 12 29 2 *").next(at("2026-11-27T00:00:00Z")))
        .isEqualTo(at("2028-02-29T12:00:00Z"));
  }

  @Test
  void errorsNameTheFieldAndTheValue() {
    assertThatThrownBy(() -> CronSchedule.parse("0 24 * * *"))
        .hasMessage("hour: 24 is outside 0-23");
    assertThatThrownBy(() -> CronSchedule.parse("0 3 * * * *")).hasMessageContaining("5 fields");
    assertThatThrownBy(() -> CronSchedule.parse("x 3 * * *"))
        .hasMessage("minute: 'x' is not a number");
    assertThatThrownBy(() -> CronSchedule.parse("0 5-3 * * *"))
        .hasMessage("hour: range '5-3' runs backwards");
    assertThatThrownBy(() -> CronSchedule.parse("0 0 31 2 *")).hasMessageContaining("never runs");
  }
}

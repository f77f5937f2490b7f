package dev.vigil.core.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SnapshotScheduleTest {
  private final SnapshotSchedule nightly = new SnapshotSchedule(CronSchedule.parse("0 3 * * *"));

  private static Instant at(String text) {
    return Instant.parse(text);
  }

  @Test
  void firstLookTakesNothingAndRecordsTheNextRun() {
    var decision = nightly.decide(null, at("2026-11-27T10:00:00Z"));
    assertThat(decision.due()).isNull();
    assertThat(decision.next()).isEqualTo(at("2026-11-28T03:00:00Z"));
  }

  @Test
  void aDueRunIsTakenOnceAndTheScheduleMovesOn() {
    var decision = nightly.decide(at("2026-11-28T03:00:00Z"), at("2026-11-28T03:00:05Z"));
    assertThat(decision.due()).isEqualTo(at("2026-11-28T03:00:00Z"));
    assertThat(decision.next()).isEqualTo(at("2026-11-29T03:00:00Z"));
    assertThat(nightly.decide(decision.next(), at("2026-11-28T03:00:10Z")).due()).isNull();
  }

  @Test
  void missedRunsCollapseIntoTheLatest() {
    var decision = nightly.decide(at("2026-11-20T03:00:00Z"), at("2026-11-27T10:00:00Z"));
    assertThat(decision.due()).isEqualTo(at("2026-11-27T03:00:00Z"));
    assertThat(decision.next()).isEqualTo(at("2026-11-28T03:00:00Z"));
  }

  @Test
  void aChangedScheduleStartsOverFromNow() {
    var hourly = new SnapshotSchedule(CronSchedule.parse("0 * * * *"));
    // 03:30 can never be a run of the hourly schedule: recorded under another schedule.
    var decision = hourly.decide(at("2026-11-27T03:30:00Z"), at("2026-11-27T10:10:00Z"));
    assertThat(decision.due()).isNull();
    assertThat(decision.next()).isEqualTo(at("2026-11-27T11:00:00Z"));
  }

  @Test
  void overdueWhenTheRunAfterTheLastSuccessIsLongPast() {
    Duration grace = Duration.ofHours(1);
    Instant last = at("2026-11-27T03:00:02Z");
    assertThat(nightly.overdue(last, null, at("2026-11-28T03:59:00Z"), grace)).isFalse();
    assertThat(nightly.overdue(last, null, at("2026-11-28T04:01:00Z"), grace)).isTrue();
    assertThat(nightly.overdue(null, at("2026-11-27T10:00:00Z"), at("2026-11-28T04:01:00Z"), grace))
        .isTrue();
  }
}

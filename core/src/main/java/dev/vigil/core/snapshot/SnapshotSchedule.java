package dev.vigil.core.snapshot;

import java.time.Duration;
import java.time.Instant;

/**
 * When the operator takes snapshots itself: the run that is due now (if any) and the next one. The
 * next run time is kept in the resource's status, so a restarted operator neither skips a due run
 * nor takes a missed run twice: after downtime, one snapshot is taken for the most recent missed
 * run and the schedule continues from now.
 */
public final class SnapshotSchedule {
  private final CronSchedule cron;

  public SnapshotSchedule(CronSchedule cron) {
    this.cron = cron;
  }

  /**
   * What to do at {@code now} given the next run recorded last time (null at first).
   *
   * @return {@code due} is the scheduled time of the run to take now, or null; {@code next} is the
   *     run to record.
   */
  public Decision decide(Instant recordedNext, Instant now) {
    if (recordedNext == null || !isRunOfThisSchedule(recordedNext)) {
      // First reconcile or the schedule changed: start from now, take nothing yet.
      return new Decision(null, cron.next(now));
    }
    if (now.isBefore(recordedNext)) {
      return new Decision(null, recordedNext);
    }
    Instant due = recordedNext;
    for (Instant t = cron.next(due); t != null && !t.isAfter(now); t = cron.next(t)) {
      due = t; // runs missed while the operator was away collapse into the latest one
    }
    return new Decision(due, cron.next(now));
  }

  /**
   * Whether the schedule is late: its first run after the last successful snapshot started (or
   * after {@code since} when there was none) lies more than {@code grace} in the past.
   */
  public boolean overdue(Instant lastSuccessStart, Instant since, Instant now, Duration grace) {
    Instant from = lastSuccessStart != null ? lastSuccessStart : since;
    Instant expected = cron.next(from);
    return expected != null && expected.plus(grace).isBefore(now);
  }

  private boolean isRunOfThisSchedule(Instant time) {
    return time.equals(cron.next(time.minusSeconds(60)));
  }

  public record Decision(Instant due, Instant next) {}
}

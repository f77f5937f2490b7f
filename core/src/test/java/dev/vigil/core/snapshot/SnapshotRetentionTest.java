package dev.vigil.core.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotRetentionTest {
  private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

  /** One snapshot per day, the newest yesterday, named by age in days. */
  private static List<SnapshotInfo> daily(int count, String state) {
    List<SnapshotInfo> list = new ArrayList<>();
    for (int age = 1; age <= count; age++) {
      Instant start = NOW.minus(Duration.ofDays(age));
      list.add(new SnapshotInfo("d" + age, state, start, start.plusSeconds(30), List.of(), null));
    }
    return list;
  }

  private static List<String> names(List<SnapshotInfo> snapshots) {
    return snapshots.stream().map(SnapshotInfo::name).toList();
  }

  @Test
  void maxCountDeletesTheOldestBeyondIt() {
    var retention = new SnapshotRetention(null, 3, 1);
    assertThat(names(retention.expired(daily(5, "SUCCESS"), NOW))).containsExactly("d5", "d4");
  }

  @Test
  void maxAgeDeletesOlderOnesButMinCountKeepsTheNewest() {
    var retention = new SnapshotRetention(Duration.ofDays(2), null, 1);
    assertThat(names(retention.expired(daily(4, "SUCCESS"), NOW))).containsExactly("d4", "d3");

    // All older than maxAge: minCount still keeps the newest two.
    var keepTwo = new SnapshotRetention(Duration.ofHours(1), null, 2);
    assertThat(names(keepTwo.expired(daily(4, "SUCCESS"), NOW))).containsExactly("d4", "d3");
  }

  @Test
  void failedSnapshotsGoOnceANewerOneSucceededAndRunningOnesAreNeverTouched() {
    List<SnapshotInfo> snapshots = new ArrayList<>(daily(1, "SUCCESS"));
    Instant older = NOW.minus(Duration.ofDays(3));
    snapshots.add(new SnapshotInfo("failed-old", "FAILED", older, older, List.of(), "boom"));
    snapshots.add(new SnapshotInfo("partial-new", "PARTIAL", NOW, NOW, List.of(), null));
    snapshots.add(new SnapshotInfo("running", "IN_PROGRESS", older, null, List.of(), null));
    var retention = new SnapshotRetention(Duration.ofHours(12), 5, 0);
    assertThat(names(retention.expired(snapshots, NOW))).containsExactly("failed-old", "d1");
  }

  @Test
  void noRetentionKeepsEverything() {
    assertThat(SnapshotRetention.keepAll().expired(daily(10, "SUCCESS"), NOW)).isEmpty();
  }

  @Test
  void contradictoryCountsAreRejected() {
    assertThatThrownBy(() -> new SnapshotRetention(null, 2, 3))
        .hasMessage("maxCount 2 is below minCount 3");
  }
}

package dev.vigil.core.snapshot;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Which snapshots of a policy to delete: successful ones beyond {@code maxCount} or older than
 * {@code maxAge}, but never the newest {@code minCount} successful ones; failed or partial ones as
 * soon as a newer successful snapshot exists (they restore nothing the newer one lacks). Snapshots
 * still in progress are never touched. The same rules the Snapshot Management plugin applies.
 */
public record SnapshotRetention(Duration maxAge, Integer maxCount, int minCount) {
  public SnapshotRetention {
    if (minCount < 0) {
      throw new IllegalArgumentException("minCount must not be negative");
    }
    if (maxCount != null && maxCount < 1) {
      throw new IllegalArgumentException("maxCount must be at least 1");
    }
    if (maxCount != null && maxCount < minCount) {
      throw new IllegalArgumentException("maxCount " + maxCount + " is below minCount " + minCount);
    }
  }

  /** Keeps everything: no retention configured. */
  public static SnapshotRetention keepAll() {
    return new SnapshotRetention(null, null, 0);
  }

  /** The snapshots to delete, oldest first. */
  public List<SnapshotInfo> expired(List<SnapshotInfo> snapshots, Instant now) {
    List<SnapshotInfo> successful =
        snapshots.stream()
            .filter(SnapshotInfo::succeeded)
            .sorted(Comparator.comparing(SnapshotInfo::start).reversed())
            .toList();
    List<SnapshotInfo> delete = new ArrayList<>();
    for (int i = minCount; i < successful.size(); i++) {
      SnapshotInfo s = successful.get(i);
      boolean tooMany = maxCount != null && i >= maxCount;
      boolean tooOld = maxAge != null && s.start().isBefore(now.minus(maxAge));
      if (tooMany || tooOld) {
        delete.add(s);
      }
    }
    if (!successful.isEmpty()) {
      Instant newestSuccess = successful.get(0).start();
      snapshots.stream()
          .filter(SnapshotInfo::failed)
          .filter(s -> s.start().isBefore(newestSuccess))
          .forEach(delete::add);
    }
    delete.sort(Comparator.comparing(SnapshotInfo::start));
    return delete;
  }
}

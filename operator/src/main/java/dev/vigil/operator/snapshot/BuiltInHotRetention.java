package dev.vigil.operator.snapshot;

import dev.vigil.core.snapshot.IndexPartitions;
import dev.vigil.core.snapshot.SnapshotInfo;
import dev.vigil.operator.opensearch.OpenSearchException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The operator deletes time-partitioned indices whose partition is older than the rule's maximum
 * age; with {@code requireSnapshot}, only once a successful snapshot of this policy holds the index
 * (until then it waits: the next scheduled snapshot takes it, if the policy's indices cover it).
 * Indices without a date suffix are never deleted.
 */
public final class BuiltInHotRetention {
  private BuiltInHotRetention() {}

  /** Deleted indices, and expired ones kept because no snapshot holds them yet. */
  public record Pass(List<String> deleted, List<String> waitingForSnapshot) {}

  public static Pass run(
      SnapshotApi api, PolicySettings settings, List<SnapshotInfo> snapshots, Instant now)
      throws OpenSearchException {
    Set<String> snapshotted = new HashSet<>();
    snapshots.stream()
        .filter(SnapshotInfo::succeeded)
        .forEach(s -> snapshotted.addAll(s.indices()));
    List<String> delete = new ArrayList<>();
    List<String> waiting = new ArrayList<>();
    for (PolicySettings.HotRule rule : settings.hotRules()) {
      for (String index :
          IndexPartitions.expired(api.indices(rule.pattern()), rule.maxAge(), now)) {
        if (rule.requireSnapshot() && !snapshotted.contains(index)) {
          waiting.add(index);
        } else if (!delete.contains(index)) {
          delete.add(index);
        }
      }
    }
    api.deleteIndices(delete);
    return new Pass(delete, waiting);
  }
}

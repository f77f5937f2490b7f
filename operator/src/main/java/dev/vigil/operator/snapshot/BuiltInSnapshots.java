package dev.vigil.operator.snapshot;

import dev.vigil.core.snapshot.SnapshotInfo;
import dev.vigil.core.snapshot.SnapshotSchedule;
import dev.vigil.operator.opensearch.OpenSearchException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The operator as the snapshot scheduler, against the core snapshot APIs: starts the run that is
 * due (named after its scheduled minute, so a retry finds it instead of taking another) and deletes
 * what retention no longer keeps. One snapshot of a policy runs at a time; retention waits until it
 * is finished.
 */
public final class BuiltInSnapshots {
  private BuiltInSnapshots() {}

  /**
   * @param snapshots the policy's snapshots as listed just before
   * @param started the snapshot started in this pass, or null
   * @param deleted snapshots deleted by retention in this pass
   * @param nextRun the next scheduled run to record
   * @param busy a snapshot is still running: look again soon
   */
  public record Pass(
      List<SnapshotInfo> snapshots,
      String started,
      List<String> deleted,
      Instant nextRun,
      boolean busy) {}

  public static Pass run(
      SnapshotApi api, PolicySettings settings, Instant recordedNext, Instant now)
      throws OpenSearchException {
    List<SnapshotInfo> snapshots = api.snapshots(settings.repository(), settings.names());
    if (snapshots.stream().anyMatch(SnapshotInfo::inProgress)) {
      return new Pass(snapshots, null, List.of(), recordedNext, true);
    }
    SnapshotSchedule.Decision decision =
        new SnapshotSchedule(settings.schedule()).decide(recordedNext, now);
    String started = null;
    if (decision.due() != null) {
      String name = settings.names().forRun(decision.due());
      if (api.createSnapshot(
          settings.repository(),
          name,
          SnapshotApi.snapshotBody(settings.indices(), settings.snapshotMetadata()))) {
        started = name;
      }
      return new Pass(snapshots, started, List.of(), decision.next(), started != null);
    }
    List<SnapshotInfo> expired = settings.retention().expired(snapshots, now);
    List<String> deleted = expired.stream().map(SnapshotInfo::name).toList();
    api.deleteSnapshots(settings.repository(), deleted);
    List<SnapshotInfo> kept = new ArrayList<>(snapshots);
    kept.removeAll(expired);
    return new Pass(kept, null, deleted, decision.next(), false);
  }
}

package dev.vigil.operator.snapshot;

import dev.vigil.operator.opensearch.OpenSearchException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The operator's metrics about snapshots and the external calls behind them:
 *
 * <ul>
 *   <li>{@code vigil_operator_external_calls_seconds{target,operation,outcome}} — every request to
 *       OpenSearch (or AWS), timed, by result (success or the failure reason);
 *   <li>{@code vigil_snapshot_last_success_timestamp_seconds{namespace,policy}} — start of the
 *       newest successful snapshot;
 *   <li>{@code vigil_snapshot_next_run_timestamp_seconds}, {@code vigil_snapshot_kept}, {@code
 *       vigil_snapshot_overdue} (1 when a scheduled run is over an hour late), {@code
 *       vigil_snapshot_failures_total};
 *   <li>{@code vigil_hot_indices_deleted_total{namespace,policy}}.
 * </ul>
 */
public final class SnapshotMetrics {
  private final MeterRegistry registry;
  private final Map<String, AtomicLong> gauges = new ConcurrentHashMap<>();

  public SnapshotMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public <T> T timed(String target, String operation, SnapshotApi.OpenSearchCall<T> call)
      throws OpenSearchException {
    long start = System.nanoTime();
    String outcome = "success";
    try {
      return call.run();
    } catch (OpenSearchException e) {
      outcome = e.reason();
      throw e;
    } finally {
      Timer.builder("vigil_operator_external_calls_seconds")
          .description("Requests from the operator to external systems")
          .tags("target", target, "operation", operation, "outcome", outcome)
          .register(registry)
          .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
    }
  }

  public void policyState(
      String namespace,
      String policy,
      Instant lastSuccess,
      Instant nextRun,
      int kept,
      boolean overdue) {
    gauge("vigil_snapshot_last_success_timestamp_seconds", namespace, policy)
        .set(lastSuccess == null ? 0 : lastSuccess.getEpochSecond());
    gauge("vigil_snapshot_next_run_timestamp_seconds", namespace, policy)
        .set(nextRun == null ? 0 : nextRun.getEpochSecond());
    gauge("vigil_snapshot_kept", namespace, policy).set(kept);
    gauge("vigil_snapshot_overdue", namespace, policy).set(overdue ? 1 : 0);
    // Exists from the start at 0, so increase() sees the first failure.
    registry.counter("vigil_snapshot_failures_total", tags(namespace, policy));
  }

  public void snapshotFailed(String namespace, String policy) {
    registry.counter("vigil_snapshot_failures_total", tags(namespace, policy)).increment();
  }

  public void snapshotStarted(String namespace, String policy) {
    registry.counter("vigil_snapshots_started_total", tags(namespace, policy)).increment();
  }

  public void indicesDeleted(String namespace, String policy, int count) {
    registry.counter("vigil_hot_indices_deleted_total", tags(namespace, policy)).increment(count);
  }

  /** Drops a deleted policy's gauges, so alerts do not fire for what no longer exists. */
  public void forget(String namespace, String policy) {
    for (String name :
        new String[] {
          "vigil_snapshot_last_success_timestamp_seconds",
          "vigil_snapshot_next_run_timestamp_seconds",
          "vigil_snapshot_kept",
          "vigil_snapshot_overdue"
        }) {
      AtomicLong value = gauges.remove(name + "|" + namespace + "|" + policy);
      if (value != null) {
        registry.find(name).tags(tags(namespace, policy)).meters().forEach(registry::remove);
      }
    }
  }

  private AtomicLong gauge(String name, String namespace, String policy) {
    return gauges.computeIfAbsent(
        name + "|" + namespace + "|" + policy,
        k -> registry.gauge(name, tags(namespace, policy), new AtomicLong()));
  }

  private static Tags tags(String namespace, String policy) {
    return Tags.of("namespace", namespace, "policy", policy);
  }
}

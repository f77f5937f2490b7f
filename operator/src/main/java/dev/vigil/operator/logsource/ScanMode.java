package dev.vigil.operator.logsource;

import dev.vigil.api.v1alpha1.LogSourceSpec;
import dev.vigil.api.v1alpha1.LogSourceStatus;
import dev.vigil.operator.common.Conditions;

/**
 * A LogSource in {@code notifications.mode: Scan}: its ingester lists the prefix itself, so there
 * is no queue and no bucket notification, and exactly one ingester replica (two would ingest every
 * object twice and race on the checkpoint).
 */
final class ScanMode {
  static final String NOT_USED = "NotUsedInScanMode";

  /** One replica, never scaled from a queue. */
  static final ReplicaPlanner.Plan PLAN =
      new ReplicaPlanner.Plan(1, "mode Scan: one ingester lists the prefix");

  private ScanMode() {}

  /** QueueReady and NotificationsReady say they are not used (True: nothing to wait for). */
  static void conditions(
      Conditions conditions, LogSourceStatus status, LogSourceSpec spec, Long generation) {
    String interval = spec.notifications.scanInterval;
    conditions.set(
        status.conditions,
        LogSourceReconciler.QUEUE_READY,
        true,
        NOT_USED,
        "mode Scan uses no queue",
        generation);
    conditions.set(
        status.conditions,
        LogSourceReconciler.NOTIFICATIONS_READY,
        true,
        NOT_USED,
        "the ingester lists s3://"
            + spec.s3.bucket
            + "/"
            + (spec.s3.prefix == null ? "" : spec.s3.prefix)
            + " every "
            + interval
            + " instead of S3 event notifications",
        generation);
  }
}

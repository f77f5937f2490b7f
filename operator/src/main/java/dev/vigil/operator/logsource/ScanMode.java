package dev.vigil.operator.logsource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.api.v1alpha1.LogSource;
import dev.vigil.api.v1alpha1.LogSourceSpec;
import dev.vigil.api.v1alpha1.LogSourceStatus;
import dev.vigil.operator.common.Conditions;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

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

  private static final Logger LOG = Logger.getLogger(ScanMode.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private ScanMode() {}

  /**
   * The scan's lag: seconds since its {@code watermark}, read from the ingester's checkpoint —
   * everything written before the watermark (the start of the last completed pass) has been
   * ingested, so this is how old the oldest object still waiting can be. Null before the first pass
   * has completed, or when the checkpoint cannot be read (the status then simply has no lag).
   */
  static Long lagSeconds(S3Client s3, LogSource source, Instant now) {
    String key = IngesterWorkload.scanCheckpointKey(source);
    try {
      byte[] checkpoint =
          s3.getObjectAsBytes(r -> r.bucket(source.getSpec().s3.bucket).key(key)).asByteArray();
      JsonNode watermark = JSON.readTree(checkpoint).path("watermark");
      if (!watermark.isTextual()) {
        return null;
      }
      return Math.max(0, Duration.between(Instant.parse(watermark.asText()), now).toSeconds());
    } catch (NoSuchKeyException e) {
      return null; // no pass has completed yet
    } catch (SdkException | IOException | DateTimeParseException e) {
      LOG.debugf("scan checkpoint s3://%s/%s unreadable: %s", source.getSpec().s3.bucket, key, e);
      return null;
    }
  }

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

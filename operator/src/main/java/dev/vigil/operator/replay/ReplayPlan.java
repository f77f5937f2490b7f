package dev.vigil.operator.replay;

import dev.vigil.api.v1alpha1.LogReplay;
import dev.vigil.api.v1alpha1.LogReplaySpec;
import dev.vigil.api.v1alpha1.LogSource;
import dev.vigil.api.v1alpha1.LogSourceSpec;
import dev.vigil.core.ingest.BucketPrefixes;
import dev.vigil.operator.logsource.IngesterWorkload;
import dev.vigil.operator.logsource.LogSourceNames;

/**
 * What one LogReplay replays, with every default taken from its LogSource (logSourceRef) or the
 * operator: the one place that merges the two, for the Job and for reading the checkpoint.
 *
 * @param region null: the operator's default region
 * @param indexPrefix null: the ingester's default ({@code vigil-replay})
 * @param ingester the LogSource's ingester settings (image, resources), or null
 */
public record ReplayPlan(
    String bucket,
    String prefix,
    String region,
    String roleArn,
    String externalId,
    String logType,
    String from,
    String to,
    String indexPrefix,
    String connection,
    LogSourceSpec.Ingester ingester,
    LogSourceSpec.GeoIp geoIp,
    String jobName,
    String checkpointKey,
    String deadLetterPrefix) {

  /** The Job (and its ConfigMap) of a LogReplay: 63 characters at most, a label value. */
  public static String jobName(LogReplay replay) {
    return LogSourceNames.shorten("vigil-replay-" + replay.getMetadata().getName(), 63);
  }

  /**
   * @param source the LogSource the replay names, null when it names a bucket of its own
   * @param defaultRegion the operator's region, used when neither names one
   */
  public static ReplayPlan of(LogReplay replay, LogSource source, String defaultRegion) {
    LogReplaySpec spec = replay.getSpec();
    String namespace = replay.getMetadata().getNamespace();
    String name = replay.getMetadata().getName();
    String bucket;
    String prefix;
    String region = defaultRegion;
    String roleArn = null;
    String externalId = null;
    String logType = spec.logType == null ? null : spec.logType.name();
    String connection = spec.connectionRef == null ? null : spec.connectionRef.name;
    LogSourceSpec.Ingester ingester = null;
    LogSourceSpec.GeoIp geoIp = null;
    if (source != null) {
      LogSourceSpec from = source.getSpec();
      bucket = from.s3.bucket;
      prefix = from.s3.prefix;
      if (from.aws != null) {
        region = from.aws.region != null ? from.aws.region : region;
        roleArn = from.aws.roleArn;
        externalId = from.aws.externalId;
      }
      logType = logType != null ? logType : from.logType.name();
      if (connection == null && from.connectionRef != null) {
        connection = from.connectionRef.name;
      }
      ingester = from.ingester;
      geoIp = IngesterWorkload.geoIp(source);
    } else {
      bucket = spec.s3.bucket;
      prefix = spec.s3.prefix;
      if (spec.aws != null) {
        region = spec.aws.region != null ? spec.aws.region : region;
        roleArn = spec.aws.roleArn;
        externalId = spec.aws.externalId;
      }
    }
    if (spec.prefix != null) {
      prefix = spec.prefix;
    }
    return new ReplayPlan(
        bucket,
        prefix == null ? "" : prefix,
        region,
        roleArn,
        externalId,
        logType == null ? "auto" : logType,
        spec.from,
        spec.to,
        spec.indexPrefix,
        connection == null ? "default" : connection,
        ingester,
        geoIp,
        jobName(replay),
        BucketPrefixes.replayCheckpoint(namespace, name, replay.getMetadata().getUid()),
        BucketPrefixes.replayDeadLetters(namespace, name));
  }

  /** The checkpoint as the ingester is told it: {@code s3://bucket/key}. */
  public String checkpoint() {
    return "s3://" + bucket + "/" + checkpointKey;
  }
}

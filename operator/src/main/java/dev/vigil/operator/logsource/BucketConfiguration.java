package dev.vigil.operator.logsource;

import java.util.List;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.NotificationConfiguration;
import software.amazon.awssdk.services.s3.model.NotificationConfigurationFilter;
import software.amazon.awssdk.services.s3.model.QueueConfiguration;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Reads a bucket's shared configurations, merges Vigil's entry in (see {@link NotificationMerge},
 * {@link LifecycleMerge}) and writes them back only when they change.
 */
public final class BucketConfiguration {
  private final S3Client s3;
  private final String bucket;

  public BucketConfiguration(S3Client s3, String bucket) {
    this.s3 = s3;
    this.bucket = bucket;
  }

  /** Adds or updates Vigil's queue entry; returns the change made (a conflict writes nothing). */
  public ConfigChange<NotificationConfiguration> notify(QueueConfiguration wanted) {
    ConfigChange<NotificationConfiguration> change =
        NotificationMerge.merge(notifications(), wanted);
    write(change);
    return change;
  }

  /** Removes Vigil's queue entry, leaving every other one as it is. */
  public void stopNotifying(String id) {
    write(NotificationMerge.remove(notifications(), id));
  }

  /** Adds, updates or (with a null rule) removes Vigil's lifecycle rule. */
  public ConfigChange<List<LifecycleRule>> lifecycle(LifecycleRule wanted, String id) {
    ConfigChange<List<LifecycleRule>> change = LifecycleMerge.merge(lifecycleRules(), wanted, id);
    if (change instanceof ConfigChange.Write<List<LifecycleRule>> write) {
      if (write.configuration().isEmpty()) {
        s3.deleteBucketLifecycle(r -> r.bucket(bucket));
      } else {
        s3.putBucketLifecycleConfiguration(
            r -> r.bucket(bucket).lifecycleConfiguration(c -> c.rules(write.configuration())));
      }
    }
    return change;
  }

  private NotificationConfiguration notifications() {
    var current = s3.getBucketNotificationConfiguration(r -> r.bucket(bucket));
    return NotificationConfiguration.builder()
        .queueConfigurations(
            current.queueConfigurations().stream()
                .map(q -> q.toBuilder().filter(canonical(q.filter())).build())
                .toList())
        .topicConfigurations(
            current.topicConfigurations().stream()
                .map(t -> t.toBuilder().filter(canonical(t.filter())).build())
                .toList())
        .lambdaFunctionConfigurations(
            current.lambdaFunctionConfigurations().stream()
                .map(l -> l.toBuilder().filter(canonical(l.filter())).build())
                .toList())
        .eventBridgeConfiguration(current.eventBridgeConfiguration())
        .build();
  }

  /**
   * S3 answers filter rule names as "Prefix"/"Suffix" but documents "prefix"/"suffix" for writes
   * (and some implementations accept only those): written back in the documented form, meaning
   * unchanged.
   */
  private static NotificationConfigurationFilter canonical(NotificationConfigurationFilter filter) {
    if (filter == null || filter.key() == null) {
      return filter;
    }
    return filter.toBuilder()
        .key(
            k ->
                k.filterRules(
                    filter.key().filterRules().stream()
                        .map(
                            r ->
                                r.toBuilder()
                                    .name(r.nameAsString().toLowerCase(java.util.Locale.ROOT))
                                    .build())
                        .toList()))
        .build();
  }

  private void write(ConfigChange<NotificationConfiguration> change) {
    if (change instanceof ConfigChange.Write<NotificationConfiguration> write) {
      s3.putBucketNotificationConfiguration(
          r -> r.bucket(bucket).notificationConfiguration(write.configuration()));
    }
  }

  private List<LifecycleRule> lifecycleRules() {
    try {
      return s3.getBucketLifecycleConfiguration(r -> r.bucket(bucket)).rules();
    } catch (S3Exception e) {
      if ("NoSuchLifecycleConfiguration".equals(e.awsErrorDetails().errorCode())) {
        return List.of();
      }
      throw e;
    }
  }
}

package dev.vigil.operator.logsource;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.NotificationConfiguration;
import software.amazon.awssdk.services.s3.model.NotificationConfigurationFilter;
import software.amazon.awssdk.services.s3.model.QueueConfiguration;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Reads a bucket's shared configurations, merges Vigil's entry in (see {@link NotificationMerge},
 * {@link LifecycleMerge}) and writes them back only when they change.
 *
 * <p>S3 replaces a bucket's notification configuration as a whole and offers no condition on the
 * write, so two writers that read before either wrote lose one's entries (another LogSource on the
 * same bucket, another tool). A notification write is therefore verified: after a settle time as
 * long as our own read-to-write took (a writer that read before our write is about as quick to
 * write), the configuration is read again, and if Vigil's change is not there it is merged again
 * into what is there now and rewritten, up to {@value #ATTEMPTS} times with a jittered, doubling
 * backoff. This is not a lock: an entry lost later still comes back at the next reconcile (and is
 * reported as drift).
 *
 * <p>Vigil's own writers of one bucket (several LogSources on it, reconciled concurrently) take
 * turns through a per-bucket lock: otherwise one's read-to-write could span another tool's write
 * placed around the other's, and drop that tool's entry, which only the tool itself would notice.
 */
public final class BucketConfiguration {
  static final int ATTEMPTS = 5;
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
  private static final Duration MIN_SETTLE = Duration.ofMillis(50);
  private static final Duration MAX_SETTLE = Duration.ofSeconds(2);
  private static final ConcurrentHashMap<String, ReentrantLock> WRITERS = new ConcurrentHashMap<>();

  private final S3Client s3;
  private final String bucket;

  public BucketConfiguration(S3Client s3, String bucket) {
    this.s3 = s3;
    this.bucket = bucket;
  }

  /**
   * Adds or updates Vigil's queue entry; returns the change made (a conflict writes nothing), the
   * last one when a lost update made it write again.
   */
  public ConfigChange<NotificationConfiguration> notify(QueueConfiguration wanted) {
    return writeVerified(current -> NotificationMerge.merge(current, wanted));
  }

  /** Removes Vigil's queue entry, leaving every other one as it is. */
  public void stopNotifying(String id) {
    writeVerified(current -> NotificationMerge.remove(current, id));
  }

  /**
   * Read, merge, write; then read again after the settle time: the change holds when merging it
   * into what is there now would write nothing. Otherwise another writer's lost update took it
   * away: merge again (their entries included) after a backoff.
   */
  private ConfigChange<NotificationConfiguration> writeVerified(
      Function<NotificationConfiguration, ConfigChange<NotificationConfiguration>> merge) {
    ReentrantLock turn = WRITERS.computeIfAbsent(bucket, b -> new ReentrantLock());
    turn.lock();
    try {
      return writeVerifiedInTurn(merge);
    } finally {
      turn.unlock();
    }
  }

  private ConfigChange<NotificationConfiguration> writeVerifiedInTurn(
      Function<NotificationConfiguration, ConfigChange<NotificationConfiguration>> merge) {
    ConfigChange<NotificationConfiguration> change = null;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      long started = System.nanoTime();
      change = merge.apply(notifications());
      if (!(change instanceof ConfigChange.Write<NotificationConfiguration> write)) {
        return change; // in place already, or a conflict to report
      }
      s3.putBucketNotificationConfiguration(
          r -> r.bucket(bucket).notificationConfiguration(write.configuration()));
      pause(settle(Duration.ofNanos(System.nanoTime() - started)));
      ConfigChange<NotificationConfiguration> after = merge.apply(notifications());
      if (after instanceof ConfigChange.Unchanged<NotificationConfiguration>) {
        return change;
      }
      if (after instanceof ConfigChange.Conflict<NotificationConfiguration>) {
        return after; // someone added an overlapping entry meanwhile: report it
      }
      pause(backoff(attempt));
    }
    throw SdkClientException.create(
        "PutBucketNotificationConfiguration on s3://"
            + bucket
            + ": another writer replaced the configuration after each of "
            + ATTEMPTS
            + " writes (lost updates); retrying at the next reconcile");
  }

  static Duration settle(Duration readToWrite) {
    return readToWrite.compareTo(MIN_SETTLE) < 0
        ? MIN_SETTLE
        : readToWrite.compareTo(MAX_SETTLE) > 0 ? MAX_SETTLE : readToWrite;
  }

  /** 100 ms doubling per attempt, jittered ×[0.5, 1.5) so racing writers fall apart. */
  static Duration backoff(int attempt) {
    long base = FIRST_BACKOFF.toMillis() << (attempt - 1);
    return Duration.ofMillis((long) (base * (0.5 + ThreadLocalRandom.current().nextDouble())));
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw SdkClientException.create("interrupted while verifying a bucket notification write");
    }
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

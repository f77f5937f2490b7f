package dev.vigil.operator.logsource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.vigil.api.v1alpha1.LogSource;
import dev.vigil.api.v1alpha1.LogSourceSpec;
import dev.vigil.api.v1alpha1.LogTypeName;
import dev.vigil.operator.common.AwsCallLimits;
import dev.vigil.parts.MotoServer;
import dev.vigil.testing.RealPartsExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NotificationConfiguration;
import software.amazon.awssdk.services.s3.model.QueueConfiguration;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Several writers of one bucket's notification configuration on the AWS emulator: two LogSources
 * provisioned at the same time and a foreign tool whose read-modify-write spans Vigil's writes
 * ({@link InterleavingS3Proxy}), so that each of its writes puts back a configuration read before
 * Vigil's — the lost update S3's whole-document API allows. Every party's entries must be there
 * once the writers are done.
 */
@ExtendWith(RealPartsExtension.class)
class BucketNotificationWritersIT {
  private final MotoServer moto;
  private final S3Client s3;
  private String bucket;
  private String foreignQueueArn;

  BucketNotificationWritersIT(MotoServer moto) {
    this.moto = moto;
    this.s3 = moto.s3();
  }

  @BeforeAll
  static void credentials() {
    // The operator's clients use the SDK's default chain; the emulator accepts any key.
    System.setProperty("aws.accessKeyId", "testing");
    System.setProperty("aws.secretAccessKey", "testing");
  }

  @BeforeEach
  void bucketAndForeignQueue() {
    bucket = "writers-" + UUID.randomUUID().toString().substring(0, 6);
    s3.createBucket(b -> b.bucket(bucket));
    String url = moto.sqs().createQueue(q -> q.queueName("foreign-" + bucket)).queueUrl();
    foreignQueueArn =
        moto.sqs()
            .getQueueAttributes(a -> a.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
            .attributes()
            .get(QueueAttributeName.QUEUE_ARN);
  }

  @Test
  void twoLogSourcesAndAForeignToolEndWithEveryEntry() throws Exception {
    ForeignTool foreign = new ForeignTool();
    try (InterleavingS3Proxy proxy =
            new InterleavingS3Proxy(moto.endpoint(), 3, foreign::read, foreign::writeStale);
        AwsClients aws = clients(proxy)) {
      LogSource first = source("first");
      LogSource second = source("second");
      CountDownLatch start = new CountDownLatch(1);
      CompletableFuture<AwsProvisioning.Provisioned> a =
          CompletableFuture.supplyAsync(() -> provision(start, first, aws));
      CompletableFuture<AwsProvisioning.Provisioned> b =
          CompletableFuture.supplyAsync(() -> provision(start, second, aws));
      start.countDown();
      assertThat(a.get().notificationConflict()).isNull();
      assertThat(b.get().notificationConflict()).isNull();

      assertThat(ids())
          .containsExactlyInAnyOrder(
              LogSourceNames.of(first).notificationId(),
              LogSourceNames.of(second).notificationId(),
              "foreign-1",
              "foreign-2",
              "foreign-3");
      assertThat(proxy.hooked()).as("lost updates placed around Vigil's writes").isEqualTo(3);
    }
  }

  @Test
  void aWriterThatLosesEveryTimeGivesUpSayingSo() throws Exception {
    ForeignTool foreign = new ForeignTool();
    try (InterleavingS3Proxy proxy =
            new InterleavingS3Proxy(moto.endpoint(), 100, foreign::read, foreign::writeStale);
        AwsClients aws = clients(proxy)) {
      Throwable failure = catchThrowable(() -> AwsProvisioning.apply(source("unlucky"), aws));
      assertThat(failure)
          .isInstanceOf(SdkClientException.class)
          .hasMessageContaining("s3://" + bucket)
          .hasMessageContaining("lost updates");
      assertThat(proxy.hooked()).isEqualTo(BucketConfiguration.ATTEMPTS);
    }
  }

  /**
   * A tool that manages its own entries the naive way: it reads the configuration, then writes it
   * back with one more entry — here, its read before Vigil's write and its write right after.
   */
  final class ForeignTool {
    private final AtomicReference<NotificationConfiguration> read = new AtomicReference<>();
    private final List<String> written = new CopyOnWriteArrayList<>();

    void read() {
      var answered = s3.getBucketNotificationConfiguration(r -> r.bucket(bucket));
      read.set(
          NotificationConfiguration.builder()
              .queueConfigurations(answered.queueConfigurations())
              .build());
    }

    void writeStale() {
      String id = "foreign-" + (written.size() + 1);
      var stale = s3Configuration(read.get());
      List<QueueConfiguration> queues = new java.util.ArrayList<>(stale.queueConfigurations());
      queues.add(
          QueueConfiguration.builder()
              .id(id)
              .queueArn(foreignQueueArn)
              .eventsWithStrings("s3:ObjectCreated:*")
              .filter(f -> f.key(k -> k.filterRules(r -> r.name("prefix").value(id + "/"))))
              .build());
      s3.putBucketNotificationConfiguration(
          r ->
              r.bucket(bucket)
                  .notificationConfiguration(
                      stale.toBuilder().queueConfigurations(queues).build()));
      written.add(id);
    }
  }

  /** What a GET answered, as a PUT takes it (filter rule names as documented: lower case). */
  private static NotificationConfiguration s3Configuration(NotificationConfiguration answered) {
    return NotificationConfiguration.builder()
        .queueConfigurations(
            answered.queueConfigurations().stream()
                .map(
                    q ->
                        q.filter() == null
                            ? q
                            : q.toBuilder()
                                .filter(
                                    f ->
                                        f.key(
                                            k ->
                                                k.filterRules(
                                                    q.filter().key().filterRules().stream()
                                                        .map(
                                                            r ->
                                                                r.toBuilder()
                                                                    .name(
                                                                        r.nameAsString()
                                                                            .toLowerCase(
                                                                                Locale.ROOT))
                                                                    .build())
                                                        .toList())))
                                .build())
                .toList())
        .build();
  }

  private List<String> ids() {
    return s3
        .getBucketNotificationConfiguration(r -> r.bucket(bucket))
        .queueConfigurations()
        .stream()
        .map(QueueConfiguration::id)
        .toList();
  }

  private AwsProvisioning.Provisioned provision(
      CountDownLatch start, LogSource source, AwsClients aws) {
    try {
      start.await();
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
    return AwsProvisioning.apply(source, aws);
  }

  private AwsClients clients(InterleavingS3Proxy proxy) {
    return new AwsClients(
        MotoServer.REGION,
        Optional.of(proxy.uri()),
        true,
        null,
        null,
        new AwsCallLimits(Duration.ofSeconds(30), Duration.ofSeconds(10)),
        new SimpleMeterRegistry());
  }

  private LogSource source(String name) {
    LogSource source = new LogSource();
    source.getMetadata().setName(name);
    source.getMetadata().setNamespace("writers");
    source.getMetadata().setUid(UUID.randomUUID().toString());
    LogSourceSpec spec = new LogSourceSpec();
    spec.logType = LogTypeName.cloudtrail;
    spec.s3 = new LogSourceSpec.S3Location();
    spec.s3.bucket = bucket;
    spec.s3.prefix = name + "/";
    source.setSpec(spec);
    return source;
  }
}

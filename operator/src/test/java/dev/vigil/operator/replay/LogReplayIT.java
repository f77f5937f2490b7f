package dev.vigil.operator.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.api.v1alpha1.Condition;
import dev.vigil.api.v1alpha1.LogReplay;
import dev.vigil.api.v1alpha1.LogReplaySpec;
import dev.vigil.api.v1alpha1.LogReplayStatus;
import dev.vigil.api.v1alpha1.LogSource;
import dev.vigil.api.v1alpha1.LogSourceSpec;
import dev.vigil.api.v1alpha1.LogTypeName;
import dev.vigil.core.ingest.IngesterKeys;
import dev.vigil.operator.AwsEmulatorResource;
import dev.vigil.operator.KubeApiServerResource;
import dev.vigil.operator.TestNamespace;
import dev.vigil.operator.common.Conditions;
import dev.vigil.parts.MotoServer;
import dev.vigil.parts.RealParts;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The LogReplay reconciler in-process against the real API server and the AWS emulator. No Job
 * controller runs here: a test sets the Job's status the way the Job controller would (through the
 * status subresource, validated by the API server) and the checkpoint the way the replay writes it,
 * and sees the LogReplay's status follow.
 */
@QuarkusTest
@QuarkusTestResource(KubeApiServerResource.class)
@QuarkusTestResource(AwsEmulatorResource.class)
class LogReplayIT {
  static final Duration TIMEOUT = Duration.ofSeconds(60);

  @Inject KubernetesClient client;

  final MotoServer moto = RealParts.moto();
  final S3Client s3 = moto.s3();
  String namespace;
  String bucket;

  @BeforeEach
  void namespaceAndBucket() {
    String id = UUID.randomUUID().toString().substring(0, 6);
    namespace = "replay-" + id;
    bucket = "archive-" + id;
    TestNamespace.create(client, namespace);
    s3.createBucket(b -> b.bucket(bucket));
    TestNamespace.connection(client, namespace, RealParts.openSearch().uri().toString());
  }

  LogReplay replay(String name) {
    LogReplay replay = new LogReplay();
    replay.getMetadata().setName(name);
    replay.getMetadata().setNamespace(namespace);
    LogReplaySpec spec = new LogReplaySpec();
    spec.s3 = new LogReplaySpec.Location();
    spec.s3.bucket = bucket;
    spec.s3.prefix = "AWSLogs/";
    spec.prefix = "AWSLogs/123456789012/CloudTrail/";
    spec.from = "2024-03-01";
    spec.to = "2024-03-31";
    spec.logType = LogTypeName.cloudtrail;
    spec.indexPrefix = "audit-2024";
    replay.setSpec(spec);
    return replay;
  }

  LogReplay get(String name) {
    return client.resources(LogReplay.class).inNamespace(namespace).withName(name).get();
  }

  Job awaitJob(String name) {
    String job = "vigil-replay-" + name;
    return await()
        .atMost(TIMEOUT)
        .until(
            () -> client.batch().v1().jobs().inNamespace(namespace).withName(job).get(),
            j -> j != null);
  }

  LogReplayStatus awaitStatus(String name, LogReplayStatus.Phase phase) {
    return await()
        .atMost(TIMEOUT)
        .until(() -> get(name).getStatus(), s -> s != null && s.phase == phase);
  }

  static Condition ready(LogReplayStatus status) {
    return Conditions.find(status.conditions, Conditions.READY).orElseThrow();
  }

  /** The Job's status as the Job controller writes it. */
  void setJobStatus(Job job, JobStatus status) {
    Job current =
        client
            .batch()
            .v1()
            .jobs()
            .inNamespace(namespace)
            .withName(job.getMetadata().getName())
            .get();
    current.setStatus(status);
    client.resource(current).updateStatus();
  }

  static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }

  @Test
  void aReplayRunsAsAnIngesterJobAndItsStatusFollowsTheJobAndTheCheckpoint() throws Exception {
    client.resource(replay("march")).create();

    Job job = awaitJob("march");
    LogReplay replay = get("march");
    var pod = job.getSpec().getTemplate().getSpec();
    assertThat(pod.getRestartPolicy()).isEqualTo("Never");
    assertThat(job.getSpec().getBackoffLimit()).isEqualTo(ReplayWorkload.BACKOFF_LIMIT);
    assertThat(pod.getContainers().get(0).getImage()).isNotBlank();
    OwnerReference owner = job.getMetadata().getOwnerReferences().get(0);
    assertThat(owner.getKind()).isEqualTo("LogReplay");
    assertThat(owner.getUid()).isEqualTo(replay.getMetadata().getUid());
    assertThat(owner.getController()).isTrue();

    ConfigMap config =
        client.configMaps().inNamespace(namespace).withName(job.getMetadata().getName()).get();
    Properties props = new Properties();
    props.load(new StringReader(config.getData().get("application.properties")));
    String checkpointKey =
        "vigil-checkpoints/"
            + namespace
            + "/logreplays/march/"
            + replay.getMetadata().getUid()
            + ".json";
    assertThat(props)
        .containsEntry(IngesterKeys.MODE, "replay")
        .containsEntry(IngesterKeys.REPLAY_BUCKET, bucket)
        .containsEntry(IngesterKeys.REPLAY_PREFIX, "AWSLogs/123456789012/CloudTrail/")
        .containsEntry(IngesterKeys.REPLAY_FROM, "2024-03-01")
        .containsEntry(IngesterKeys.REPLAY_TO, "2024-03-31")
        .containsEntry(IngesterKeys.REPLAY_LOG_TYPE, "cloudtrail")
        .containsEntry(IngesterKeys.REPLAY_INDEX_PREFIX, "audit-2024")
        .containsEntry(IngesterKeys.REPLAY_CHECKPOINT, "s3://" + bucket + "/" + checkpointKey)
        .containsEntry(IngesterKeys.OPENSEARCH_ENDPOINT, RealParts.openSearch().uri().toString())
        .containsEntry(IngesterKeys.AWS_ENDPOINT_OVERRIDE, moto.endpoint().toString());

    LogReplayStatus pending = awaitStatus("march", LogReplayStatus.Phase.Pending);
    assertThat(pending.jobName).isEqualTo(job.getMetadata().getName());
    assertThat(ready(pending).getReason()).isEqualTo("JobPending");

    String started = now();
    setJobStatus(job, new JobStatusBuilder().withStartTime(started).withActive(1).build());
    LogReplayStatus running = awaitStatus("march", LogReplayStatus.Phase.Running);
    assertThat(running.startTime).isEqualTo(started);
    assertThat(ready(running).getStatus()).isEqualTo("True");

    // The checkpoint in the shape the ingester's replay.Checkpoint writes it.
    s3.putObject(
        r -> r.bucket(bucket).key(checkpointKey),
        RequestBody.fromString(
            "{\"scope\": \"s3://x/ 2024-03-01 2024-03-31 audit-2024\","
                + " \"lastCompletedKey\": \"AWSLogs/123456789012/CloudTrail/eu-west-1/2024/03/02/b.json.gz\","
                + " \"objectsDone\": 2, \"finished\": false, \"updated\": \"2024-04-01T10:00:00Z\"}"));
    LogReplayStatus progressed =
        await()
            .atMost(TIMEOUT)
            .until(
                () -> get("march").getStatus(),
                s -> s.progress != null && Long.valueOf(2).equals(s.progress.objectsDone));
    assertThat(progressed.progress.lastCompletedKey).endsWith("2024/03/02/b.json.gz");
    assertThat(progressed.progress.checkpoint).isEqualTo("s3://" + bucket + "/" + checkpointKey);
    assertThat(progressed.progress.finished).isFalse();

    String finished = now();
    setJobStatus(
        job,
        new JobStatusBuilder()
            .withStartTime(started)
            .withCompletionTime(finished)
            .withSucceeded(1)
            .withActive(0)
            .withConditions(
                new JobConditionBuilder()
                    .withType("SuccessCriteriaMet")
                    .withStatus("True")
                    .withLastTransitionTime(finished)
                    .build(),
                new JobConditionBuilder()
                    .withType("Complete")
                    .withStatus("True")
                    .withLastTransitionTime(finished)
                    .build())
            .build());
    LogReplayStatus succeeded = awaitStatus("march", LogReplayStatus.Phase.Succeeded);
    assertThat(succeeded.completionTime).isEqualTo(finished);
    assertThat(ready(succeeded).getStatus()).isEqualTo("True");
    assertThat(ready(succeeded).getReason()).isEqualTo("Succeeded");
  }

  @Test
  void aJobThatFailsForGoodFailsTheReplay() {
    client.resource(replay("failing")).create();
    Job job = awaitJob("failing");
    String started = now();
    setJobStatus(
        job,
        new JobStatusBuilder()
            .withStartTime(started)
            .withFailed(4)
            .withActive(0)
            .withConditions(
                new JobConditionBuilder()
                    .withType("FailureTarget")
                    .withStatus("True")
                    .withReason("BackoffLimitExceeded")
                    .withMessage("Job has reached the specified backoff limit")
                    .withLastTransitionTime(started)
                    .build(),
                new JobConditionBuilder()
                    .withType("Failed")
                    .withStatus("True")
                    .withReason("BackoffLimitExceeded")
                    .withMessage("Job has reached the specified backoff limit")
                    .withLastTransitionTime(started)
                    .build())
            .build());

    LogReplayStatus failed = awaitStatus("failing", LogReplayStatus.Phase.Failed);
    assertThat(ready(failed).getStatus()).isEqualTo("False");
    assertThat(ready(failed).getReason()).isEqualTo("JobFailed");
    assertThat(ready(failed).getMessage()).contains("BackoffLimitExceeded");
    assertThat(failed.completionTime).isEqualTo(started);
  }

  @Test
  void aReplayOfALogSourceWaitsForItAndTakesItsBucketRoleAndLogType() throws Exception {
    LogReplay replay = replay("from-source");
    replay.getSpec().s3 = null;
    replay.getSpec().logType = null;
    replay.getSpec().prefix = null;
    replay.getSpec().logSourceRef = new LogReplaySpec.LocalRef("waf");
    client.resource(replay).create();

    LogReplayStatus waiting = awaitStatus("from-source", LogReplayStatus.Phase.Pending);
    await()
        .atMost(TIMEOUT)
        .until(
            () -> ready(get("from-source").getStatus()).getReason(), "LogSourceNotFound"::equals);
    assertThat(waiting.jobName).isEqualTo("vigil-replay-from-source");
    assertThat(
            client
                .batch()
                .v1()
                .jobs()
                .inNamespace(namespace)
                .withName("vigil-replay-from-source")
                .get())
        .isNull();

    LogSource source = new LogSource();
    source.getMetadata().setName("waf");
    source.getMetadata().setNamespace(namespace);
    source.setSpec(new LogSourceSpec());
    source.getSpec().logType = LogTypeName.waf;
    source.getSpec().s3 = new LogSourceSpec.S3Location();
    source.getSpec().s3.bucket = bucket;
    source.getSpec().s3.prefix = "waf/";
    source.getSpec().aws = new LogSourceSpec.AwsAccess();
    source.getSpec().aws.roleArn = "arn:aws:iam::123456789012:role/log-archive-reader";
    client.resource(source).create();

    Job job = awaitJob("from-source");
    ConfigMap config =
        client.configMaps().inNamespace(namespace).withName(job.getMetadata().getName()).get();
    Properties props = new Properties();
    props.load(new StringReader(config.getData().get("application.properties")));
    assertThat(props)
        .containsEntry(IngesterKeys.REPLAY_BUCKET, bucket)
        .containsEntry(IngesterKeys.REPLAY_PREFIX, "waf/")
        .containsEntry(IngesterKeys.REPLAY_LOG_TYPE, "waf")
        .containsEntry(
            IngesterKeys.AWS_ROLE_ARN, "arn:aws:iam::123456789012:role/log-archive-reader")
        .containsEntry(IngesterKeys.DEAD_LETTER_S3_BUCKET, bucket);
  }
}

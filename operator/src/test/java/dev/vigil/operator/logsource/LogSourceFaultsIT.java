package dev.vigil.operator.logsource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.api.v1alpha1.Condition;
import dev.vigil.api.v1alpha1.DeletionPolicy;
import dev.vigil.api.v1alpha1.DetectionRule;
import dev.vigil.api.v1alpha1.DetectionRuleSpec;
import dev.vigil.api.v1alpha1.LogSource;
import dev.vigil.api.v1alpha1.LogSourceSpec;
import dev.vigil.api.v1alpha1.LogTypeName;
import dev.vigil.operator.AwsEmulatorResource;
import dev.vigil.operator.KubeApiServerResource;
import dev.vigil.operator.TestNamespace;
import dev.vigil.operator.common.Conditions;
import dev.vigil.operator.common.DriftRepairs;
import dev.vigil.parts.MotoServer;
import dev.vigil.parts.RealParts;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * The LogSource reconciler when its surroundings misbehave, in-process against the real API server,
 * moto and OpenSearch: DetectionRule changes reach only the ingesters that run them, a missing
 * OpenSearchConnection stops it before AWS, and repaired drift is announced.
 */
@QuarkusTest
@QuarkusTestResource(KubeApiServerResource.class)
@QuarkusTestResource(AwsEmulatorResource.class)
class LogSourceFaultsIT {
  static final Duration TIMEOUT = Duration.ofSeconds(60);

  @Inject KubernetesClient client;
  @Inject MeterRegistry metrics;

  final MotoServer moto = RealParts.moto();
  final S3Client s3 = moto.s3();
  final SqsClient sqs = moto.sqs();
  String namespace;
  String bucket;

  @BeforeEach
  void namespaceAndBucket() {
    String id = UUID.randomUUID().toString().substring(0, 6);
    namespace = "lsf-" + id;
    bucket = "faults-" + id;
    TestNamespace.create(client, namespace);
    s3.createBucket(b -> b.bucket(bucket));
  }

  @Test
  void aDetectionRuleChangesOnlyTheConfigurationOfTheIngesterThatRunsIt() {
    TestNamespace.connection(client, namespace, RealParts.openSearch().uri().toString());
    Map<String, LogTypeName> sources = new LinkedHashMap<>();
    sources.put("trail", LogTypeName.cloudtrail);
    sources.put("flows", LogTypeName.vpcflow);
    sources.put("firewall", LogTypeName.waf);
    sources.forEach((name, type) -> client.resource(source(name, type)).create());
    sources.keySet().forEach(name -> awaitReconciled(name, 1L));
    Map<String, Seen> before = seen(sources.keySet());

    // An invalid rule (the compiler refuses it, the schema does not) and a counting rule of the
    // same log type: no ingester runs them, so nothing is rewritten nor restarted.
    client.resource(rule("broken", LogTypeName.cloudtrail, "eventName:(unclosed")).create();
    DetectionRule counting = rule("bursts", LogTypeName.cloudtrail, "errorCode:AccessDenied");
    counting.getSpec().condition = new DetectionRuleSpec.AlertCondition();
    counting.getSpec().condition.threshold = 10;
    counting.getSpec().condition.window = "5m";
    client.resource(counting).create();
    sources.keySet().forEach(name -> touchAndAwaitReconciled(name));
    assertThat(seen(sources.keySet())).as("nothing changed").isEqualTo(before);

    // A stream rule for CloudTrail: only the CloudTrail ingester's ConfigMap and hash change.
    client
        .resource(rule("secret-reads", LogTypeName.cloudtrail, "eventName:GetSecretValue"))
        .create();
    await()
        .atMost(TIMEOUT)
        .until(() -> rules("trail") != null && rules("trail").contains("secret-reads"));
    sources.keySet().forEach(name -> touchAndAwaitReconciled(name));
    Map<String, Seen> after = seen(sources.keySet());
    assertThat(after.get("flows")).isEqualTo(before.get("flows"));
    assertThat(after.get("firewall")).isEqualTo(before.get("firewall"));
    assertThat(after.get("trail").hash()).isNotEqualTo(before.get("trail").hash());
    assertThat(rules("trail")).doesNotContain("broken").doesNotContain("bursts");
    assertThat(rules("flows")).isNull();

    // Status-only changes of the rule (its runs) change no ingester either.
    Map<String, Seen> steady = seen(sources.keySet());
    sources.keySet().forEach(name -> touchAndAwaitReconciled(name));
    assertThat(seen(sources.keySet())).isEqualTo(steady);
  }

  @Test
  void withoutItsConnectionNothingIsProvisionedUntilTheConnectionAppears() {
    client.resource(source("early", LogTypeName.cloudtrail)).create();
    Condition waiting = awaitCondition("early", Conditions.READY, "False");
    assertThat(waiting.getReason()).isEqualTo(LogSourceReconciler.CONNECTION_NOT_FOUND);
    assertThat(waiting.getMessage()).contains("OpenSearchConnection 'default'").contains(namespace);
    LogSourceNames names = LogSourceNames.of(namespace, "early");
    assertThat(queueExists(names.queue())).isFalse();
    assertThat(queueExists(names.deadLetterQueue())).isFalse();
    assertThat(s3.getBucketNotificationConfiguration(r -> r.bucket(bucket)).queueConfigurations())
        .isEmpty();
    assertThat(deployment("early")).isNull();

    // The connection is watched: its creation resumes the LogSource (no periodic requeue here).
    TestNamespace.connection(client, namespace, RealParts.openSearch().uri().toString());
    awaitCondition("early", LogSourceReconciler.NOTIFICATIONS_READY, "True");
    assertThat(queueExists(names.queue())).isTrue();
    assertThat(deployment("early")).isNotNull();
  }

  @Test
  void repairedDriftIsAWarningEventAndCounted() {
    TestNamespace.connection(client, namespace, RealParts.openSearch().uri().toString());
    LogSource drifting = source("drifting", LogTypeName.cloudtrail);
    drifting.getSpec().lifecycle = new LogSourceSpec.Lifecycle();
    drifting.getSpec().lifecycle.expireAfterDays = 400;
    client.resource(drifting).create();
    awaitCondition("drifting", LogSourceReconciler.QUEUE_READY, "True");
    awaitCondition("drifting", LogSourceReconciler.NOTIFICATIONS_READY, "True");
    touchAndAwaitReconciled("drifting"); // settled: a further pass writes nothing
    assertThat(driftEvents("drifting")).as("setting up is not drift").isEmpty();
    double queueRepairs = repairs("queue-attributes");
    double notificationRepairs = repairs("bucket-notification");

    // Someone opens the queue policy to everyone.
    String queue = get("drifting").getStatus().queueUrl;
    sqs.setQueueAttributes(
        r ->
            r.queueUrl(queue)
                .attributes(
                    Map.of(
                        QueueAttributeName.POLICY,
                        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                            + "\"Principal\":\"*\",\"Action\":\"sqs:*\",\"Resource\":\"*\"}]}")));
    Event policy =
        await()
            .atMost(TIMEOUT)
            .until(() -> driftEvent("drifting", "queue-attributes"), Objects::nonNull);
    assertThat(policy.getType()).isEqualTo("Warning");
    assertThat(policy.getMessage()).contains("Policy").contains(queue);
    assertThat(
            sqs.getQueueAttributes(r -> r.queueUrl(queue).attributeNames(QueueAttributeName.POLICY))
                .attributes()
                .get(QueueAttributeName.POLICY))
        .contains("s3.amazonaws.com");

    // Someone removes Vigil's notification entry.
    s3.putBucketNotificationConfiguration(
        r -> r.bucket(bucket).notificationConfiguration(c -> c.queueConfigurations(List.of())));
    Event notification =
        await()
            .atMost(TIMEOUT)
            .until(() -> driftEvent("drifting", "bucket-notification"), Objects::nonNull);
    assertThat(notification.getMessage())
        .contains(LogSourceNames.of(namespace, "drifting").notificationId())
        .contains("s3://" + bucket);
    assertThat(s3.getBucketNotificationConfiguration(r -> r.bucket(bucket)).queueConfigurations())
        .hasSize(1);

    // Someone removes the bucket's lifecycle configuration.
    s3.deleteBucketLifecycle(r -> r.bucket(bucket));
    assertThat(
            await()
                .atMost(TIMEOUT)
                .until(() -> driftEvent("drifting", "lifecycle-rule"), Objects::nonNull)
                .getMessage())
        .contains(LogSourceNames.of(namespace, "drifting").lifecycleRuleId());
    assertThat(s3.getBucketLifecycleConfiguration(r -> r.bucket(bucket)).rules()).hasSize(1);
    assertThat(repairs("queue-attributes")).isGreaterThan(queueRepairs);
    assertThat(repairs("bucket-notification")).isGreaterThan(notificationRepairs);
  }

  /** A LogSource's ingester as written: its ConfigMap's version and the pod template's hash. */
  record Seen(String configVersion, String hash) {}

  Map<String, Seen> seen(Iterable<String> names) {
    Map<String, Seen> out = new LinkedHashMap<>();
    for (String name : names) {
      String ingester = LogSourceNames.of(namespace, name).ingester();
      ConfigMap config = client.configMaps().inNamespace(namespace).withName(ingester).get();
      out.put(
          name,
          new Seen(
              config.getMetadata().getResourceVersion(), IngesterWorkload.hash(deployment(name))));
    }
    return out;
  }

  String rules(String name) {
    ConfigMap config =
        client
            .configMaps()
            .inNamespace(namespace)
            .withName(LogSourceNames.of(namespace, name).ingester())
            .get();
    return config == null ? null : config.getData().get(IngesterWorkload.RULES_KEY);
  }

  LogSource source(String name, LogTypeName type) {
    LogSource source = new LogSource();
    source.getMetadata().setName(name);
    source.getMetadata().setNamespace(namespace);
    LogSourceSpec spec = new LogSourceSpec();
    spec.logType = type;
    spec.s3 = new LogSourceSpec.S3Location();
    spec.s3.bucket = bucket;
    spec.s3.prefix = name + "/";
    spec.ingester = new LogSourceSpec.Ingester();
    spec.ingester.minReplicas = 1;
    spec.ingester.maxReplicas = 4;
    spec.deletionPolicy = DeletionPolicy.Delete;
    source.setSpec(spec);
    return source;
  }

  DetectionRule rule(String name, LogTypeName type, String query) {
    DetectionRule rule = new DetectionRule();
    rule.getMetadata().setName(name);
    rule.getMetadata().setNamespace(namespace);
    rule.setSpec(new DetectionRuleSpec());
    rule.getSpec().severity = 3;
    rule.getSpec().logType = type;
    rule.getSpec().query = query;
    rule.getSpec().engine = DetectionRuleSpec.Engine.BuiltIn;
    return rule;
  }

  /**
   * A spec change that touches no ingester setting (maxReplicas with an empty queue), then the
   * reconcile of that generation: it has read the DetectionRules as they are now.
   */
  void touchAndAwaitReconciled(String name) {
    LogSource edited =
        dev.vigil.testing.UserEdits.edit(
            client.resources(LogSource.class).inNamespace(namespace).withName(name),
            s -> s.getSpec().ingester.maxReplicas = s.getSpec().ingester.maxReplicas + 1);
    awaitReconciled(name, edited.getMetadata().getGeneration());
  }

  void awaitReconciled(String name, long generation) {
    await()
        .atMost(TIMEOUT)
        .until(
            () ->
                Optional.ofNullable(get(name))
                    .map(LogSource::getStatus)
                    .filter(s -> Objects.equals(s.observedGeneration, generation))
                    .flatMap(s -> Conditions.find(s.conditions, LogSourceReconciler.INGESTER_READY))
                    .isPresent());
  }

  LogSource get(String name) {
    return client.resources(LogSource.class).inNamespace(namespace).withName(name).get();
  }

  Deployment deployment(String name) {
    return client
        .apps()
        .deployments()
        .inNamespace(namespace)
        .withName(LogSourceNames.of(namespace, name).ingester())
        .get();
  }

  Condition awaitCondition(String name, String type, String status) {
    try {
      return await()
          .atMost(TIMEOUT)
          .until(
              () ->
                  Optional.ofNullable(get(name))
                      .map(LogSource::getStatus)
                      .flatMap(s -> Conditions.find(s.conditions, type))
                      .filter(c -> status.equals(c.getStatus()))
                      .orElse(null),
              Objects::nonNull);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(
          name + " never had " + type + "=" + status + "; " + Serialization.asJson(get(name)), e);
    }
  }

  boolean queueExists(String name) {
    try {
      sqs.getQueueUrl(r -> r.queueName(name));
      return true;
    } catch (QueueDoesNotExistException e) {
      return false;
    }
  }

  List<Event> driftEvents(String name) {
    return client.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()))
        .filter(e -> DriftRepairs.REASON.equals(e.getReason()))
        .toList();
  }

  Event driftEvent(String name, String piece) {
    return driftEvents(name).stream()
        .filter(e -> e.getMessage().startsWith(piece + " repaired: "))
        .findFirst()
        .orElse(null);
  }

  double repairs(String piece) {
    var counter =
        metrics.find(DriftRepairs.METRIC).tags("kind", "LogSource", "piece", piece).counter();
    return counter == null ? 0 : counter.count();
  }
}

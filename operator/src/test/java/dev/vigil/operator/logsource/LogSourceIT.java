package dev.vigil.operator.logsource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.api.v1alpha1.Condition;
import dev.vigil.api.v1alpha1.DeletionPolicy;
import dev.vigil.api.v1alpha1.LogSource;
import dev.vigil.api.v1alpha1.LogSourceSpec;
import dev.vigil.api.v1alpha1.LogTypeName;
import dev.vigil.operator.AwsEmulatorResource;
import dev.vigil.operator.KubeApiServerResource;
import dev.vigil.operator.TestNamespace;
import dev.vigil.operator.common.Conditions;
import dev.vigil.parts.MotoServer;
import dev.vigil.parts.RealParts;
import dev.vigil.testing.UserEdits;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NotificationConfiguration;
import software.amazon.awssdk.services.s3.model.QueueConfiguration;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * The LogSource reconciler in-process against the real API server, the AWS emulator (moto) and a
 * real OpenSearch node. No kubelet runs here: Deployments are checked as written, and a test that
 * needs ready pods sets the Deployment's status the way the deployment controller would.
 */
@QuarkusTest
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
@QuarkusTestResource(KubeApiServerResource.class)
@QuarkusTestResource(AwsEmulatorResource.class)
class LogSourceIT {
  static final Duration TIMEOUT = Duration.ofSeconds(60);
  static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  @Inject KubernetesClient client;
  @Inject io.micrometer.core.instrument.MeterRegistry metrics;

  final MotoServer moto = RealParts.moto();
  final S3Client s3 = moto.s3();
  final SqsClient sqs = moto.sqs();
  String namespace;
  String bucket;

  @BeforeEach
  void namespaceAndBucket(TestInfo test) {
    String id = UUID.randomUUID().toString().substring(0, 6);
    namespace = "ls-" + id;
    bucket = "logs-" + id;
    TestNamespace.create(client, namespace);
    s3.createBucket(b -> b.bucket(bucket));
    TestNamespace.connection(client, namespace, RealParts.openSearch().uri().toString());
  }

  /** A foreign team's queue notified for objects under billing/. */
  QueueConfiguration foreignEntry() {
    String url = sqs.createQueue(q -> q.queueName("billing-" + bucket)).queueUrl();
    String arn =
        sqs.getQueueAttributes(a -> a.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
            .attributes()
            .get(QueueAttributeName.QUEUE_ARN);
    QueueConfiguration entry =
        QueueConfiguration.builder()
            .id("billing-team")
            .queueArn(arn)
            .eventsWithStrings("s3:ObjectCreated:*")
            .filter(f -> f.key(k -> k.filterRules(r -> r.name("prefix").value("billing/"))))
            .build();
    s3.putBucketNotificationConfiguration(
        r -> r.bucket(bucket).notificationConfiguration(n -> n.queueConfigurations(entry)));
    return entry;
  }

  LogSource cloudTrail(String name, String prefix, DeletionPolicy policy) {
    LogSource source = new LogSource();
    source.getMetadata().setName(name);
    source.getMetadata().setNamespace(namespace);
    LogSourceSpec spec = new LogSourceSpec();
    spec.logType = LogTypeName.cloudtrail;
    spec.s3 = new LogSourceSpec.S3Location();
    spec.s3.bucket = bucket;
    spec.s3.prefix = prefix;
    spec.lifecycle = new LogSourceSpec.Lifecycle();
    spec.lifecycle.glacierAfterDays = 90;
    spec.lifecycle.expireAfterDays = 400;
    spec.ingester = new LogSourceSpec.Ingester();
    spec.ingester.minReplicas = 1;
    spec.ingester.maxReplicas = 4;
    spec.ingester.messagesPerReplica = 2;
    spec.deletionPolicy = policy;
    source.setSpec(spec);
    return source;
  }

  /** Log groups matching the pattern, through a Firehose stream Vigil makes, re-listed each 1 s. */
  LogSource cloudWatch(String name, String pattern) {
    LogSource source = cloudTrail(name, name + "/", DeletionPolicy.Delete);
    source.getSpec().logType = LogTypeName.cloudwatch;
    source.getSpec().lifecycle = null;
    source.getSpec().cloudWatchLogs = new LogSourceSpec.CloudWatchLogs();
    source.getSpec().cloudWatchLogs.logGroupPatterns = List.of(pattern);
    source.getSpec().cloudWatchLogs.discoveryInterval = "1s";
    source.getSpec().cloudWatchLogs.firehoseRoleArn =
        "arn:aws:iam::123456789012:role/vigil-firehose";
    source.getSpec().cloudWatchLogs.subscriptionRoleArn =
        "arn:aws:iam::123456789012:role/vigil-cwl";
    return source;
  }

  LogSource get(String name) {
    return client.resources(LogSource.class).inNamespace(namespace).withName(name).get();
  }

  String awaitScaleDecision(String name, String change) {
    return await()
        .atMost(TIMEOUT)
        .until(
            () -> get(name).getStatus().lastScaleDecision,
            decision -> decision != null && decision.contains(change));
  }

  Condition awaitCondition(String name, String type, String status) {
    try {
      return await()
          .atMost(TIMEOUT)
          .until(
              () ->
                  java.util.Optional.ofNullable(get(name))
                      .map(LogSource::getStatus)
                      .flatMap(s -> Conditions.find(s.conditions, type))
                      .filter(c -> status.equals(c.getStatus()))
                      .orElse(null),
              java.util.Objects::nonNull);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(
          name
              + " never had "
              + type
              + "="
              + status
              + "; status: "
              + Serialization.asJson(get(name).getStatus()),
          e);
    }
  }

  NotificationConfiguration notifications() {
    var n = s3.getBucketNotificationConfiguration(r -> r.bucket(bucket));
    return NotificationConfiguration.builder()
        .queueConfigurations(n.queueConfigurations())
        .topicConfigurations(n.topicConfigurations())
        .build();
  }

  Deployment deployment(String name) {
    return client
        .apps()
        .deployments()
        .inNamespace(namespace)
        .withName(LogSourceNames.of(namespace, name).ingester())
        .get();
  }

  boolean queueExists(String name) {
    try {
      sqs.getQueueUrl(r -> r.queueName(name));
      return true;
    } catch (QueueDoesNotExistException e) {
      return false;
    }
  }

  @Test
  void provisionsQueueNotificationAndLifecycleKeepingForeignEntriesAndDeleteRemovesOnlyVigils() {
    QueueConfiguration foreign = foreignEntry();
    client.resource(cloudTrail("trail", "AWSLogs/", DeletionPolicy.Delete)).create();

    awaitCondition("trail", LogSourceReconciler.QUEUE_READY, "True");
    awaitCondition("trail", LogSourceReconciler.NOTIFICATIONS_READY, "True");
    var status = get("trail").getStatus();
    LogSourceNames names = LogSourceNames.of(namespace, "trail");
    assertThat(status.queueUrl).endsWith("/" + names.queue());
    assertThat(status.deadLetterQueueUrl).endsWith("/" + names.deadLetterQueue());
    assertThat(status.identity).startsWith("arn:aws:");

    Map<QueueAttributeName, String> attributes =
        sqs.getQueueAttributes(
                r -> r.queueUrl(status.queueUrl).attributeNames(QueueAttributeName.ALL))
            .attributes();
    assertThat(attributes.get(QueueAttributeName.REDRIVE_POLICY).replace(" ", ""))
        .contains(names.deadLetterQueue())
        .contains("\"maxReceiveCount\":5");
    assertThat(attributes.get(QueueAttributeName.POLICY))
        .contains("s3.amazonaws.com")
        .contains("arn:aws:s3:::" + bucket);

    NotificationConfiguration n = notifications();
    assertThat(n.queueConfigurations()).hasSize(2);
    assertThat(n.queueConfigurations())
        .anySatisfy(q -> assertThat(q.id()).isEqualTo("billing-team"));
    QueueConfiguration mine =
        n.queueConfigurations().stream()
            .filter(q -> q.id().equals(names.notificationId()))
            .findFirst()
            .orElseThrow();
    assertThat(mine.queueArn()).endsWith(":" + names.queue());
    assertThat(
            s3.getBucketLifecycleConfiguration(r -> r.bucket(bucket)).rules().stream()
                .map(r -> r.id())
                .toList())
        .containsExactly(names.lifecycleRuleId());

    assertThat(client.serviceAccounts().inNamespace(namespace).withName("vigil-ingester").get())
        .as("the ingesters' service account")
        .isNotNull();
    Deployment deployment = deployment("trail");
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
    assertThat(deployment.getMetadata().getOwnerReferences().get(0).getName()).isEqualTo("trail");
    String config =
        client
            .configMaps()
            .inNamespace(namespace)
            .withName(names.ingester())
            .get()
            .getData()
            .get(IngesterWorkload.CONFIG_KEY);
    assertThat(config)
        .contains("vigil.ingester.queues.logs.url=" + status.queueUrl)
        .contains("vigil.ingester.queues.logs.log-type=cloudtrail")
        .contains("vigil.ingester.opensearch.endpoint=" + RealParts.openSearch().uri());

    // Someone edits Vigil's entry by hand: it is put back, the foreign entry untouched.
    s3.putBucketNotificationConfiguration(
        r -> r.bucket(bucket).notificationConfiguration(c -> c.queueConfigurations(foreign)));
    await().atMost(TIMEOUT).until(() -> notifications().queueConfigurations().size() == 2);

    client.resource(get("trail")).delete();
    await().atMost(TIMEOUT).until(() -> get("trail") == null);
    assertThat(queueExists(names.queue())).isFalse();
    assertThat(queueExists(names.deadLetterQueue())).isFalse();
    assertThat(notifications().queueConfigurations()).containsExactly(foreign);
  }

  @Test
  void retainLeavesEverythingInAwsOnDeletion() {
    client.resource(cloudTrail("kept", "AWSLogs/", DeletionPolicy.Retain)).create();
    awaitCondition("kept", LogSourceReconciler.NOTIFICATIONS_READY, "True");
    LogSourceNames names = LogSourceNames.of(namespace, "kept");

    client.resource(get("kept")).delete();
    await().atMost(TIMEOUT).until(() -> get("kept") == null);
    assertThat(queueExists(names.queue())).isTrue();
    assertThat(notifications().queueConfigurations())
        .extracting(QueueConfiguration::id)
        .containsExactly(names.notificationId());
  }

  @Test
  void overlappingForeignEntryIsReportedAndLeftAlone() {
    QueueConfiguration foreign = foreignEntry();
    client.resource(cloudTrail("overlap", "billing/2026/", DeletionPolicy.Delete)).create();

    Condition conflict =
        awaitCondition("overlap", LogSourceReconciler.NOTIFICATIONS_READY, "False");
    assertThat(conflict.getReason()).isEqualTo("OverlappingNotification");
    assertThat(conflict.getMessage()).contains("billing-team").contains("billing/*");
    assertThat(awaitCondition("overlap", Conditions.READY, "False").getMessage())
        .contains("NotificationsReady");
    assertThat(notifications().queueConfigurations()).containsExactly(foreign);
  }

  @Test
  void replicasFollowTheBacklogAndReturnToMinAfterTheWindow() {
    client.resource(cloudTrail("scaled", "AWSLogs/", DeletionPolicy.Delete)).create();
    awaitCondition("scaled", LogSourceReconciler.QUEUE_READY, "True");
    String queue = get("scaled").getStatus().queueUrl;
    await().atMost(TIMEOUT).until(() -> deployment("scaled") != null);

    // No ingester pod runs here, so nothing consumes: 5 messages / 2 per replica = 3 replicas.
    for (int i = 0; i < 5; i++) {
      int n = i;
      sqs.sendMessage(m -> m.queueUrl(queue).messageBody("{\"probe\":" + n + "}"));
    }
    await().atMost(TIMEOUT).until(() -> deployment("scaled").getSpec().getReplicas() == 3);
    // The Deployment is written before the status: wait for the decision to be recorded. A pass
    // may run between two sends, so the way to 3 can take two steps (1 -> 2 -> 3).
    assertThat(awaitScaleDecision("scaled", "-> 3"))
        .containsPattern("[56] visible"); // 6 with the s3:TestEvent of the notification set-up

    sqs.purgeQueue(p -> p.queueUrl(queue));
    await().atMost(TIMEOUT).until(() -> deployment("scaled").getSpec().getReplicas() == 1);
    assertThat(awaitScaleDecision("scaled", "3 -> 1")).contains("scale in");
  }

  @Test
  void readyOnceTheIngesterPodsAreReady() {
    client.resource(cloudTrail("pods", "AWSLogs/", DeletionPolicy.Delete)).create();
    Condition waiting = awaitCondition("pods", LogSourceReconciler.INGESTER_READY, "False");
    assertThat(waiting.getReason()).isEqualTo("PodsNotReady");

    // What the deployment controller and kubelet would report once a pod passes its probe.
    Deployment d = deployment("pods");
    d.setStatus(new io.fabric8.kubernetes.api.model.apps.DeploymentStatus());
    d.getStatus().setReplicas(1);
    d.getStatus().setReadyReplicas(1);
    client.resource(d).updateStatus();
    assertThat(deployment("pods").getStatus().getReadyReplicas()).isEqualTo(1);

    awaitCondition("pods", LogSourceReconciler.INGESTER_READY, "True");
    assertThat(awaitCondition("pods", Conditions.READY, "True").getReason()).isEqualTo("Ingesting");
  }

  @Test
  void invalidSpecIsReportedWithoutCallingAws() {
    LogSource source = cloudTrail("cw", "cwl/", DeletionPolicy.Delete);
    source.getSpec().logType = LogTypeName.cloudwatch;
    source.getSpec().cloudWatchLogs = new LogSourceSpec.CloudWatchLogs();
    source.getSpec().cloudWatchLogs.logGroupPatterns = List.of("/aws/lambda/*");
    client.resource(source).create();
    Condition invalid = awaitCondition("cw", Conditions.READY, "False");
    assertThat(invalid.getReason()).isEqualTo("InvalidSpec");
    assertThat(invalid.getMessage()).contains("firehoseRoleArn");
  }

  @Test
  void anObjectLandingInTheBucketIsIndexedByTheIngesterConfiguredAsTheDeploymentIs()
      throws Exception {
    // A built-in engine rule on the same connection: the ingesters also run it per event.
    dev.vigil.api.v1alpha1.DetectionRule rule = new dev.vigil.api.v1alpha1.DetectionRule();
    rule.getMetadata().setName("secret-reads");
    rule.getMetadata().setNamespace(namespace);
    rule.setSpec(new dev.vigil.api.v1alpha1.DetectionRuleSpec());
    rule.getSpec().severity = 3;
    rule.getSpec().logType = LogTypeName.cloudtrail;
    rule.getSpec().query = "eventName:GetSecretValue";
    client.resource(rule).create();
    // The connection's index settings reach the templates the ingester installs.
    dev.vigil.testing.UserEdits.edit(
        client
            .resources(dev.vigil.api.v1alpha1.OpenSearchConnection.class)
            .inNamespace(namespace)
            .withName("default"),
        c -> {
          c.getSpec().indices = new dev.vigil.api.v1alpha1.OpenSearchConnectionSpec.Indices();
          c.getSpec().indices.refreshInterval = "1s";
          c.getSpec().indices.replicas = "0";
        });
    LogSource source = cloudTrail("ingest", "AWSLogs/", DeletionPolicy.Delete);
    source.getSpec().index = new LogSourceSpec.IndexSettings();
    source.getSpec().index.prefix = namespace;
    client.resource(source).create();
    awaitCondition("ingest", LogSourceReconciler.NOTIFICATIONS_READY, "True");
    String properties =
        await()
            .atMost(TIMEOUT)
            .until(
                () ->
                    java.util.Optional.ofNullable(
                            client
                                .configMaps()
                                .inNamespace(namespace)
                                .withName(LogSourceNames.of(namespace, "ingest").ingester())
                                .get())
                        .filter(c -> c.getData().containsKey(IngesterWorkload.RULES_KEY))
                        .map(c -> c.getData().get(IngesterWorkload.CONFIG_KEY))
                        .orElse(null),
                java.util.Objects::nonNull);
    assertThat(properties)
        .contains("vigil.ingester.detection.rules=/deployments/config/detection-rules.yaml")
        .contains("vigil.ingester.opensearch.refresh-interval=1s")
        .contains("vigil.ingester.opensearch.replicas=0");

    String rules =
        client
            .configMaps()
            .inNamespace(namespace)
            .withName(LogSourceNames.of(namespace, "ingest").ingester())
            .get()
            .getData()
            .get(IngesterWorkload.RULES_KEY);
    assertThat(rules).contains("secret-reads").contains("eventName:GetSecretValue");
    try (IngesterFromConfigMap ingester =
        IngesterFromConfigMap.start(
            "ls-ingest", properties, Map.of("detection-rules.yaml", rules))) {
      byte[] object =
          dev.vigil.testing.SyntheticCloudTrail.object(
                  250, 7, java.time.Instant.parse("2026-11-27T10:00:00Z"))
              .readAllBytes();
      String key =
          "AWSLogs/123456789012/CloudTrail/us-east-1/2026/11/27/"
              + "123456789012_CloudTrail_us-east-1_20261127T1000Z_ls.json.gz";
      s3.putObject(
          r -> r.bucket(bucket).key(key),
          software.amazon.awssdk.core.sync.RequestBody.fromBytes(gzip(object)));
      await()
          .atMost(Duration.ofMinutes(2))
          .until(() -> ingester.count(RealParts.openSearch(), namespace + "-cloudtrail-*") == 250);
      assertThat(
              RealParts.openSearch()
                  .httpClient()
                  .send(
                      RealParts.openSearch()
                          .request("/" + namespace + "-cloudtrail-*/_settings?flat_settings=true")
                          .GET()
                          .build(),
                      java.net.http.HttpResponse.BodyHandlers.ofString())
                  .body())
          .contains("\"index.refresh_interval\":\"1s\"")
          .contains("\"index.number_of_replicas\":\"0\"")
          .doesNotContain("auto_expand_replicas");
      // The stream raised the rule's alert as the object was parsed (the schedule runs every 5m).
      await()
          .atMost(TIMEOUT)
          .until(
              () ->
                  ingester.search(
                      RealParts.openSearch(),
                      "vigil-alerts",
                      "rule.name:secret-reads AND rule.namespace:"
                          + namespace
                          + " AND source:stream"),
              n -> n >= 1);
    }
  }

  @Test
  void switchingFromSqsToScanRemovesVigilsQueueAndNotificationEntryOnly() {
    QueueConfiguration foreign = foreignEntry();
    client.resource(cloudTrail("switched", "AWSLogs/", DeletionPolicy.Delete)).create();
    assertThat(awaitCondition("switched", LogSourceReconciler.QUEUE_READY, "True").getReason())
        .isEqualTo("Provisioned");
    LogSourceNames names = LogSourceNames.of(namespace, "switched");
    assertThat(queueExists(names.queue())).isTrue();
    assertThat(notifications().queueConfigurations()).hasSize(2);

    UserEdits.edit(
        client.resources(LogSource.class).inNamespace(namespace).withName("switched"),
        s -> {
          s.getSpec().notifications = new LogSourceSpec.Notifications();
          s.getSpec().notifications.mode = LogSourceSpec.NotificationMode.Scan;
        });
    await()
        .atMost(TIMEOUT)
        .until(
            () ->
                Conditions.find(
                        get("switched").getStatus().conditions, LogSourceReconciler.QUEUE_READY)
                    .map(c -> ScanMode.NOT_USED.equals(c.getReason()))
                    .orElse(false));
    assertThat(get("switched").getStatus().queueUrl).isNull();
    // One scanner: the Deployment became Recreate (the API server's defaulted rollingUpdate
    // dropped).
    assertThat(deployment("switched").getSpec().getStrategy().getType()).isEqualTo("Recreate");
    assertThat(queueExists(names.queue())).isFalse();
    assertThat(queueExists(names.deadLetterQueue())).isFalse();
    assertThat(notifications().queueConfigurations()).containsExactly(foreign);
    assertThat(client.v1().events().inNamespace(namespace).list().getItems())
        .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("QueueRemoved"));
  }

  @Test
  void scanModeCreatesNoQueueNorNotificationAndItsSingleIngesterIndexesNewObjects()
      throws Exception {
    QueueConfiguration foreign = foreignEntry();
    LogSource source = cloudTrail("scanned", "AWSLogs/", DeletionPolicy.Delete);
    source.getSpec().notifications = new LogSourceSpec.Notifications();
    source.getSpec().notifications.mode = LogSourceSpec.NotificationMode.Scan;
    source.getSpec().notifications.scanInterval = "2s";
    source.getSpec().ingester.maxReplicas = 4;
    source.getSpec().index = new LogSourceSpec.IndexSettings();
    source.getSpec().index.prefix = namespace;
    client.resource(source).create();

    Condition queue = awaitCondition("scanned", LogSourceReconciler.QUEUE_READY, "True");
    assertThat(queue.getReason()).isEqualTo("NotUsedInScanMode");
    Condition notifications =
        awaitCondition("scanned", LogSourceReconciler.NOTIFICATIONS_READY, "True");
    assertThat(notifications.getReason()).isEqualTo("NotUsedInScanMode");
    assertThat(notifications.getMessage()).contains("s3://" + bucket + "/AWSLogs/ every 2s");
    LogSourceNames names = LogSourceNames.of(namespace, "scanned");
    assertThat(get("scanned").getStatus().queueUrl).isNull();
    assertThat(queueExists(names.queue())).isFalse();
    assertThat(queueExists(names.deadLetterQueue())).isFalse();
    assertThat(notifications().queueConfigurations()).containsExactly(foreign);
    await().atMost(TIMEOUT).until(() -> deployment("scanned") != null);
    Deployment deployment = deployment("scanned");
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
    assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("Recreate");
    String properties =
        client
            .configMaps()
            .inNamespace(namespace)
            .withName(names.ingester())
            .get()
            .getData()
            .get(IngesterWorkload.CONFIG_KEY);
    assertThat(properties)
        .contains("vigil.ingester.mode=scan")
        .contains("vigil.ingester.scan.bucket=" + bucket)
        .contains("vigil.ingester.scan.prefix=AWSLogs/")
        .contains("vigil.ingester.scan.interval=2s")
        .contains("vigil.ingester.scan.log-type=cloudtrail")
        .contains(
            "vigil.ingester.scan.checkpoint=s3://"
                + bucket
                + "/vigil-checkpoints/"
                + namespace
                + "/scanned/scan.json")
        .doesNotContain("vigil.ingester.queues");

    try (IngesterFromConfigMap ingester =
        IngesterFromConfigMap.start("ls-scan", properties, Map.of())) {
      java.time.Instant now = java.time.Instant.now();
      String day = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
      byte[] object = dev.vigil.testing.SyntheticCloudTrail.object(120, 11, now).readAllBytes();
      String key =
          "AWSLogs/123456789012/CloudTrail/us-east-1/"
              + day.replace('-', '/')
              + "/123456789012_CloudTrail_us-east-1_"
              + day.replace("-", "")
              + "T1000Z_scan.json.gz";
      s3.putObject(
          r -> r.bucket(bucket).key(key),
          software.amazon.awssdk.core.sync.RequestBody.fromBytes(gzip(object)));
      await()
          .atMost(Duration.ofMinutes(2))
          .until(() -> ingester.count(RealParts.openSearch(), namespace + "-cloudtrail-*") == 120);
      // The lag comes from the checkpoint's watermark once a pass has completed.
      await().atMost(TIMEOUT).until(() -> get("scanned").getStatus().lagSeconds != null);
      assertThat(get("scanned").getStatus().lagSeconds).isBetween(0L, 120L);
    }
    assertThat(s3.listObjectsV2(r -> r.bucket(bucket).prefix("vigil-checkpoints/")).contents())
        .as("the scan's checkpoint")
        .hasSize(1);
    assertThat(lifecycleRuleIds()).containsExactly(names.lifecycleRuleId());

    client.resource(get("scanned")).delete();
    await().atMost(TIMEOUT).until(() -> get("scanned") == null);
    assertThat(lifecycleRuleIds()).as("the only piece in AWS of a Scan LogSource").isEmpty();
    assertThat(notifications().queueConfigurations()).containsExactly(foreign);
    assertThat(queueExists(names.queue())).isFalse();
  }

  List<String> lifecycleRuleIds() {
    try {
      return s3.getBucketLifecycleConfiguration(r -> r.bucket(bucket)).rules().stream()
          .map(r -> r.id())
          .toList();
    } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
      if ("NoSuchLifecycleConfiguration".equals(e.awsErrorDetails().errorCode())) {
        return List.of();
      }
      throw e;
    }
  }

  static byte[] gzip(byte[] data) throws java.io.IOException {
    var out = new java.io.ByteArrayOutputStream();
    try (var gz = new java.util.zip.GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }

  @Test
  void cloudWatchLogGroupsMatchingThePatternAreSubscribedIncludingNewOnes() {
    var logs =
        moto.client(software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient.builder());
    String base = "/aws/lambda/" + namespace;
    logs.createLogGroup(r -> r.logGroupName(base + "-a"));
    logs.createLogGroup(r -> r.logGroupName(base + "-b"));
    logs.createLogGroup(r -> r.logGroupName("/other/" + namespace));
    client.resource(cloudWatch("cwl", base + "-*")).create();

    awaitCondition("cwl", LogSourceReconciler.SUBSCRIPTIONS_READY, "True");
    await().atMost(TIMEOUT).until(() -> get("cwl").getStatus().subscribedLogGroups == 2);
    String filter = LogSourceNames.of(namespace, "cwl").subscriptionFilter();
    assertThat(
            logs.describeSubscriptionFilters(r -> r.logGroupName(base + "-a"))
                .subscriptionFilters())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.filterName()).isEqualTo(filter);
              assertThat(f.destinationArn()).contains(":deliverystream/" + filter);
            });
    assertThat(
            logs.describeSubscriptionFilters(r -> r.logGroupName("/other/" + namespace))
                .subscriptionFilters())
        .isEmpty();

    // A group already carrying the two subscription filters AWS allows is reported, not clobbered.
    var firehose = moto.client(software.amazon.awssdk.services.firehose.FirehoseClient.builder());
    String other =
        firehose
            .createDeliveryStream(
                r ->
                    r.deliveryStreamName("other-" + namespace)
                        .extendedS3DestinationConfiguration(
                            d ->
                                d.bucketARN("arn:aws:s3:::" + bucket)
                                    .roleARN("arn:aws:iam::123456789012:role/other")))
            .deliveryStreamARN();
    logs.createLogGroup(r -> r.logGroupName(base + "-full"));
    for (String name : List.of("team-a", "team-b")) {
      logs.putSubscriptionFilter(
          r ->
              r.logGroupName(base + "-full")
                  .filterName(name)
                  .filterPattern("")
                  .destinationArn(other)
                  .roleArn("arn:aws:iam::123456789012:role/other"));
    }
    Condition full = awaitCondition("cwl", LogSourceReconciler.SUBSCRIPTIONS_READY, "False");
    assertThat(full.getReason()).isEqualTo("SubscriptionLimit");
    assertThat(full.getMessage()).contains(base + "-full").contains("team-a").contains("team-b");
    logs.deleteLogGroup(r -> r.logGroupName(base + "-full"));

    // A group created later is found on the next discovery pass.
    logs.createLogGroup(r -> r.logGroupName(base + "-c"));
    await().atMost(TIMEOUT).until(() -> get("cwl").getStatus().subscribedLogGroups == 3);

    client.resource(get("cwl")).delete();
    await().atMost(TIMEOUT).until(() -> get("cwl") == null);
    assertThat(
            logs.describeSubscriptionFilters(r -> r.logGroupName(base + "-c"))
                .subscriptionFilters())
        .isEmpty();
  }

  @Test
  void securityHubFindingsAreRoutedByAnEventBridgeRule() {
    LogSource source = cloudTrail("hub", "securityhub/", DeletionPolicy.Delete);
    source.getSpec().logType = LogTypeName.securityhub;
    source.getSpec().lifecycle = null;
    source.getSpec().eventBridge = new LogSourceSpec.EventBridgeRoute();
    source.getSpec().eventBridge.minimumSeverity = LogSourceSpec.Severity.HIGH;
    source.getSpec().eventBridge.firehoseRoleArn = "arn:aws:iam::123456789012:role/vigil-firehose";
    source.getSpec().eventBridge.eventsRoleArn = "arn:aws:iam::123456789012:role/vigil-events";
    client.resource(source).create();
    awaitCondition("hub", LogSourceReconciler.QUEUE_READY, "True");

    var events =
        moto.client(software.amazon.awssdk.services.eventbridge.EventBridgeClient.builder());
    String rule = LogSourceNames.of(namespace, "hub").eventRule();
    await()
        .atMost(TIMEOUT)
        .until(
            () -> {
              try {
                return events.describeRule(r -> r.name(rule)).eventPattern();
              } catch (
                  software.amazon.awssdk.services.eventbridge.model.ResourceNotFoundException e) {
                return null;
              }
            },
            p -> p != null && p.contains("aws.securityhub") && p.contains("CRITICAL"));
    assertThat(events.listTargetsByRule(r -> r.rule(rule)).targets())
        .singleElement()
        .satisfies(t -> assertThat(t.arn()).contains(":deliverystream/" + rule));

    client.resource(get("hub")).delete();
    await().atMost(TIMEOUT).until(() -> get("hub") == null);
    assertThat(events.listRules(r -> r.namePrefix(rule)).rules()).isEmpty();
  }

  @Test
  void anAdoptedQueueIsUsedWithTheAssumedRoleAndNeverDeleted() {
    String url = sqs.createQueue(q -> q.queueName("team-queue-" + bucket)).queueUrl();
    String arn =
        sqs.getQueueAttributes(a -> a.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
            .attributes()
            .get(QueueAttributeName.QUEUE_ARN);
    LogSource source = cloudTrail("adopt", "AWSLogs/", DeletionPolicy.Delete);
    source.getSpec().notifications = new LogSourceSpec.Notifications();
    source.getSpec().notifications.queueArn = arn;
    source.getSpec().aws = new LogSourceSpec.AwsAccess();
    source.getSpec().aws.roleArn = "arn:aws:iam::123456789012:role/vigil-log-archive-access";
    client.resource(source).create();

    awaitCondition("adopt", LogSourceReconciler.NOTIFICATIONS_READY, "True");
    var status = get("adopt").getStatus();
    assertThat(status.queueUrl).isEqualTo(url);
    assertThat(status.deadLetterQueueUrl).isNull();
    assertThat(status.identity).contains("assumed-role/vigil-log-archive-access/vigil-operator");
    assertThat(notifications().queueConfigurations())
        .singleElement()
        .satisfies(q -> assertThat(q.queueArn()).isEqualTo(arn));
    assertThat(
            client
                .configMaps()
                .inNamespace(namespace)
                .withName(LogSourceNames.of(namespace, "adopt").ingester())
                .get()
                .getData()
                .get(IngesterWorkload.CONFIG_KEY))
        .contains("vigil.ingester.aws.role-arn=" + source.getSpec().aws.roleArn);

    client.resource(get("adopt")).delete();
    await().atMost(TIMEOUT).until(() -> get("adopt") == null);
    assertThat(queueExists("team-queue-" + bucket)).isTrue();
    assertThat(notifications().queueConfigurations()).isEmpty();
  }

  @Test
  void logGroupsAreSubscribedInEveryMemberAccountOfTheOrganizationIncludingNewAccounts() {
    // The organization in moto: its management account is the tests' own account (excluded below,
    // as other tests' log groups live there); members are created per test run.
    OrganizationsApi organizations =
        new OrganizationsApi(
            moto.endpoint(),
            StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")),
            new dev.vigil.operator.common.AwsCallLimits(
                java.time.Duration.ofSeconds(30), java.time.Duration.ofSeconds(10)),
            new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
    try {
      organizations.call("CreateOrganization", JSON.createObjectNode().put("FeatureSet", "ALL"));
    } catch (software.amazon.awssdk.awscore.exception.AwsServiceException e) {
      assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AlreadyInOrganizationException");
    }
    String first = memberAccount(organizations, "first-" + namespace);
    String second = memberAccount(organizations, "second-" + namespace);
    String group = "/aws/lambda/" + namespace;
    for (String account : List.of(first, second)) {
      try (var logs = logsIn(account)) {
        logs.createLogGroup(r -> r.logGroupName(group + "-app"));
        logs.createLogGroup(r -> r.logGroupName("/other/" + namespace));
      }
    }
    java.util.Set<String> others =
        organizations.activeAccounts().stream()
            .map(OrganizationsApi.Account::id)
            .filter(id -> !id.equals(first) && !id.equals(second))
            .collect(java.util.stream.Collectors.toSet());

    LogSource source = cloudWatch("org", group + "-*");
    source.getSpec().aws = new LogSourceSpec.AwsAccess();
    source.getSpec().aws.roleArn = "arn:aws:iam::123456789012:role/vigil-access";
    source.getSpec().aws.allOrganizationAccounts = true;
    source.getSpec().aws.excludedAccounts = List.copyOf(others);
    client.resource(source).create();

    awaitCondition("org", LogSourceReconciler.ACCOUNTS_READY, "True");
    awaitCondition("org", LogSourceReconciler.SUBSCRIPTIONS_READY, "True");
    await().atMost(TIMEOUT).until(() -> get("org").getStatus().subscribedLogGroups == 2);
    assertThat(get("org").getStatus().memberAccounts)
        .satisfies(
            m -> {
              assertThat(m.total).isEqualTo(2);
              assertThat(m.ready).isEqualTo(2);
              assertThat(m.notReady).isNull();
            });
    // The same pass wrote the namespace's account directory, which the ingester pod mounts.
    await()
        .atMost(TIMEOUT)
        .until(
            () ->
                client
                        .configMaps()
                        .inNamespace(namespace)
                        .withName(dev.vigil.core.ingest.AccountDirectory.CONFIG_MAP)
                        .get()
                    != null);
    // Reported as an informational condition (stale names never make the LogSource not Ready).
    assertThat(awaitCondition("org", LogSourceReconciler.ACCOUNT_NAMES_READY, "True").getMessage())
        .contains("accounts in ConfigMap vigil-accounts, read from AWS Organizations at");
    String directory =
        client
            .configMaps()
            .inNamespace(namespace)
            .withName(dev.vigil.core.ingest.AccountDirectory.CONFIG_MAP)
            .get()
            .getData()
            .get(dev.vigil.core.ingest.AccountDirectory.FILE);
    try {
      assertThat(
              dev.vigil.core.ingest.AccountDirectory.parse(
                      directory.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                  .find(first)
                  .name())
          .isEqualTo("first-" + namespace);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
    String filter = LogSourceNames.of(namespace, "org").subscriptionFilter();
    for (String account : List.of(first, second)) {
      try (var logs = logsIn(account)) {
        // Each member's group goes to the Firehose stream Vigil made in that member account,
        // through the role of the same name there.
        assertThat(
                logs.describeSubscriptionFilters(r -> r.logGroupName(group + "-app"))
                    .subscriptionFilters())
            .singleElement()
            .satisfies(
                f -> {
                  assertThat(f.filterName()).isEqualTo(filter);
                  assertThat(f.destinationArn())
                      .contains(":" + account + ":deliverystream/" + filter);
                  assertThat(f.roleArn()).isEqualTo("arn:aws:iam::" + account + ":role/vigil-cwl");
                });
        assertThat(
                logs.describeSubscriptionFilters(r -> r.logGroupName("/other/" + namespace))
                    .subscriptionFilters())
            .isEmpty();
      }
    }

    // An account that joins later is provisioned on a later pass.
    String third = memberAccount(organizations, "third-" + namespace);
    try (var logs = logsIn(third)) {
      logs.createLogGroup(r -> r.logGroupName(group + "-app"));
    }
    await().atMost(TIMEOUT).until(() -> get("org").getStatus().subscribedLogGroups == 3);
    assertThat(get("org").getStatus().memberAccounts.total).isEqualTo(3);

    client.resource(get("org")).delete();
    await().atMost(TIMEOUT).until(() -> get("org") == null);
    assertThat(
            client
                .configMaps()
                .inNamespace(namespace)
                .withName(dev.vigil.core.ingest.AccountDirectory.CONFIG_MAP)
                .get())
        .as("the directory goes with the namespace's last LogSource reading Organizations")
        .isNull();
    for (String account : List.of(first, second, third)) {
      try (var logs = logsIn(account)) {
        assertThat(
                logs.describeSubscriptionFilters(r -> r.logGroupName(group + "-app"))
                    .subscriptionFilters())
            .isEmpty();
      }
    }
  }

  private static String memberAccount(OrganizationsApi organizations, String name) {
    return organizations
        .call(
            "CreateAccount",
            JSON.createObjectNode().put("AccountName", name).put("Email", name + "@example.com"))
        .path("CreateAccountStatus")
        .path("AccountId")
        .asText();
  }

  /** CloudWatch Logs in a member account, as a role assumed there. */
  private software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient logsIn(
      String account) {
    var sts = moto.client(software.amazon.awssdk.services.sts.StsClient.builder());
    var credentials =
        sts.assumeRole(
                r ->
                    r.roleArn("arn:aws:iam::" + account + ":role/test-admin")
                        .roleSessionName("test"))
            .credentials();
    return software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient.builder()
        .endpointOverride(moto.endpoint())
        .region(MotoServer.REGION)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                software.amazon.awssdk.auth.credentials.AwsSessionCredentials.create(
                    credentials.accessKeyId(),
                    credentials.secretAccessKey(),
                    credentials.sessionToken())))
        .build();
  }

  @Test
  @org.junit.jupiter.api.Order(Integer.MAX_VALUE)
  void everyAwsCallTheOperatorMadeIsAllowedByDocsIamMd() throws Exception {
    java.util.Set<String> allowed = dev.vigil.testing.IamPolicies.documented("Operator policy");
    java.util.Set<String> made =
        dev.vigil.testing.IamPolicies.actions(metrics.find("vigil_aws_calls_total").counters());
    assertThat(made)
        .as("operations the other tests made")
        .contains("sqs:CreateQueue", "s3:PutBucketNotification");
    assertThat(allowed).containsAll(made);
  }
}

package dev.vigil.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.api.v1alpha1.LogReplay;
import dev.vigil.api.v1alpha1.LogReplayStatus;
import dev.vigil.api.v1alpha1.LogSource;
import dev.vigil.core.parse.DocumentSink;
import dev.vigil.core.parse.IndexNaming;
import dev.vigil.core.parse.LogParsers;
import dev.vigil.core.parse.ObjectParser;
import dev.vigil.core.parse.ObjectRef;
import dev.vigil.core.parse.ParsedDocument;
import dev.vigil.core.parse.Rejection;
import dev.vigil.parts.KubeNode;
import dev.vigil.parts.MotoServer;
import dev.vigil.parts.OpenSearchNode;
import dev.vigil.testing.RealPartsExtension;
import dev.vigil.testing.SyntheticCloudTrail;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Vigil as deployed, on a real node: the operator image runs as a pod under exactly the RBAC of the
 * kustomize base, and the ingester Deployment it writes becomes real pods (kubelet, probes,
 * read-only root, service account token). Proven here, in order: a LogSource's objects are
 * searchable with the exact ids {@link ObjectParser} gives; a backlog scales the ingesters to 3
 * ready pods and back to 1; an ingester pod deleted while it works loses and duplicates nothing;
 * the operator pod killed, its replacement takes the lease and carries on; deleting the LogSource
 * removes its queues, notification and Deployment; a LogReplay runs as a Job pod and its documents
 * are searchable with the parser's ids. (Detections and notifications on pods: {@code
 * DemoCommandIT}, which runs the demo on this node.)
 */
@ExtendWith(RealPartsExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VigilOnNodeIT {
  private static final String NAMESPACE = "vigil-e2e";
  private static final String SOURCE = "trail";
  private static final String BUCKET = "vigil-e2e-trail";
  private static final String DEPLOYMENT = "vigil-ingester-" + SOURCE;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);
  private static final HttpClient METRICS_CLIENT = HttpClient.newHttpClient();

  private final KubeNode node;
  private final MotoServer moto;
  private final OpenSearchNode openSearch;
  private final KubernetesClient client;
  private final S3Client s3;
  private final Set<String> expected = new HashSet<>();
  private int objects;

  VigilOnNodeIT(KubeNode node, MotoServer moto, OpenSearchNode openSearch) {
    this.node = node;
    this.moto = moto;
    this.openSearch = openSearch;
    this.client = node.api().adminClient();
    this.s3 = moto.s3();
  }

  @BeforeAll
  void installVigilAndApplyALogSource() throws IOException {
    NodeInstall.install(
        node,
        DemoLayout.find(Path.of("target/node-e2e")),
        moto,
        Path.of("target/node-e2e/kustomization"),
        Map.of(
            "vigil.operator.connection-check-interval", "5s",
            "vigil.operator.retry-max-delay", "5s",
            "vigil.operator.ingesters.scale-interval", "2s",
            "vigil.operator.ingesters.scale-down-window", "20s"));
    NodeInstall.prepareNamespace(client, NAMESPACE);
    s3.createBucket(b -> b.bucket(BUCKET));
    apply(
        """
        apiVersion: siem.vigil.dev/v1alpha1
        kind: OpenSearchConnection
        metadata: {name: default, namespace: %s}
        spec:
          endpoint: %s
          auth: {type: None}
        ---
        apiVersion: siem.vigil.dev/v1alpha1
        kind: LogSource
        metadata: {name: %s, namespace: %s}
        spec:
          logType: cloudtrail
          s3: {bucket: %s, prefix: AWSLogs/}
          ingester: {minReplicas: 1, maxReplicas: 3, messagesPerReplica: 5}
          deletionPolicy: Delete
        """
            .formatted(
                NAMESPACE, node.reachableFromPods(openSearch.uri()), SOURCE, NAMESPACE, BUCKET));
  }

  @AfterAll
  void close() {
    client.close();
  }

  @Test
  @Order(1)
  void ingesterPodsAreReadyAndObjectsAreSearchableWithTheParsersIds() throws Exception {
    await("LogSource Ready").atMost(Duration.ofMinutes(4)).until(() -> ready(logSource()));
    await("an ingester pod ready")
        .atMost(Duration.ofMinutes(3))
        .until(() -> readyIngesters().size() >= 1);
    Pod pod = readyIngesters().get(0);
    assertThat(pod.getSpec().getNodeName()).isEqualTo(KubeNode.NODE_NAME);
    assertThat(pod.getSpec().getContainers().get(0).getImage()).contains("vigil-ingester");
    assertThat(
            pod.getSpec().getContainers().get(0).getSecurityContext().getReadOnlyRootFilesystem())
        .isTrue();

    for (int i = 0; i < 3; i++) {
      upload(200);
    }
    awaitExactlyTheExpectedDocuments();
  }

  @Test
  @Order(2)
  void aBacklogScalesToThreeReadyPodsAndADeletedPodLosesNothing() throws Exception {
    Instant start = Instant.now();
    for (int i = 0; i < 40; i++) {
      upload(2_500);
    }
    await("3 ready ingester pods")
        .atMost(Duration.ofMinutes(4))
        .until(() -> readyIngesters().size() == 3);
    phase("3 ready ingester pods", start);

    // Delete a pod while it works (kubectl delete pod: SIGTERM, grace period), as a rollout or a
    // scale-in would: its objects are finished or handed back, never lost or indexed twice. Three
    // pods may drain the backlog before one is seen working, so a look that finds none working
    // adds a larger object (at most one every 5 s, each a few seconds' work) and the looks come
    // every 100 ms: CI stops 27 and 28 looked once a second, right after each 2,500-event upload,
    // and every object was done by then.
    Instant[] lastUpload = {Instant.EPOCH};
    Pod busy =
        await("a pod working on a message")
            .pollInSameThread()
            .pollInterval(Duration.ofMillis(100))
            .atMost(Duration.ofMinutes(3))
            .until(
                () -> {
                  Pod working =
                      readyIngesters().stream()
                          .filter(VigilOnNodeIT::working)
                          .findFirst()
                          .orElse(null);
                  if (working == null && lastUpload[0].isBefore(Instant.now().minusSeconds(5))) {
                    upload(25_000);
                    lastUpload[0] = Instant.now();
                  }
                  return working;
                },
                java.util.Objects::nonNull);
    phase("a pod working (" + objects + " objects uploaded)", start);
    client.pods().resource(busy).delete();

    awaitExactlyTheExpectedDocuments();
    phase("exactly the expected documents", start);
    await("back to 1 ingester pod after the scale-down window")
        .atMost(Duration.ofMinutes(3))
        .until(() -> deployment().getSpec().getReplicas() == 1 && pods().size() == 1);
    phase("back to 1 ingester pod", start);
  }

  /** How long a phase took: a slow CI run says where its time went. */
  private static void phase(String reached, Instant start) {
    System.out.printf(
        "VigilOnNodeIT: %s after %d s%n",
        reached, Duration.between(start, Instant.now()).toSeconds());
  }

  @Test
  @Order(3)
  void aKilledOperatorIsReplacedAndTheNewPodTakesTheLeaseAndCarriesOn() {
    Pod operator = operatorPods().get(0);
    String before = lease().getSpec().getHolderIdentity();
    assertThat(before).contains(operator.getMetadata().getName());

    client.pods().resource(operator).withGracePeriod(0).delete();
    await("a new operator pod holding the lease")
        .atMost(Duration.ofMinutes(3))
        .until(
            () -> {
              String holder = lease().getSpec().getHolderIdentity();
              return holder != null
                  && !holder.contains(operator.getMetadata().getName())
                  && operatorPods().stream()
                      .anyMatch(p -> holder.contains(p.getMetadata().getName()));
            });

    // It reconciles: a changed LogSource reaches the Deployment.
    LogSource source = logSource();
    source.getSpec().ingester.minReplicas = 2;
    client.resource(source).update();
    await("the new operator scaled the ingesters to the new minimum")
        .atMost(Duration.ofMinutes(2))
        .until(() -> readyIngesters().size() == 2);
    assertThat(node.podLogs(NodeInstall.NAMESPACE, NodeInstall.OPERATOR))
        .doesNotContainIgnoringCase("forbidden");
  }

  @Test
  @Order(4)
  void deletingTheLogSourceRemovesItsQueuesNotificationAndDeployment() {
    String queueUrl = logSource().getStatus().queueUrl;
    assertThat(queueUrl).isNotNull();

    client.resources(LogSource.class).inNamespace(NAMESPACE).withName(SOURCE).delete();

    await("LogSource gone (finalizer done)")
        .atMost(Duration.ofMinutes(2))
        .until(() -> logSource() == null);
    await("ingester Deployment and pods gone")
        .atMost(Duration.ofMinutes(2))
        .until(() -> deployment() == null && pods().isEmpty());
    assertThat(moto.sqs().listQueues().queueUrls())
        .noneMatch(url -> url.endsWith(queueUrl.substring(queueUrl.lastIndexOf('/'))));
    assertThat(s3.getBucketNotificationConfiguration(b -> b.bucket(BUCKET)).queueConfigurations())
        .isEmpty();
  }

  /**
   * A LogReplay as a real Job: the operator writes it, the Job controller starts the ingester pod
   * in replay mode, which reads the archive from the emulator and indexes into the replay's own
   * index prefix; the LogReplay reports Succeeded with the checkpoint's count. Deleting the
   * LogReplay deletes its Job and pod (garbage collector, owner reference). Self-contained: its own
   * objects, under a prefix no LogSource reads.
   */
  @Test
  @Order(5)
  void aLogReplayRunsAsAJobPodAndIndexesTheArchiveIntoItsOwnIndices() throws Exception {
    Set<String> replayed = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      Instant start = Instant.parse("2026-11-01T00:00:00Z").plus(Duration.ofDays(i));
      String key =
          "archive/AWSLogs/123456789012/CloudTrail/us-east-1/"
              + DAY.format(start)
              + "/123456789012_CloudTrail_us-east-1_replay-"
              + i
              + ".json.gz";
      byte[] gzip = gzip(SyntheticCloudTrail.object(100, 1_000 + i, start));
      replayed.addAll(documentIds("e2e-replay", key, gzip));
      s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(gzip));
    }
    // Outside the range: listed, not replayed.
    byte[] later =
        gzip(SyntheticCloudTrail.object(10, 2_000, Instant.parse("2026-12-05T00:00:00Z")));
    s3.putObject(
        b ->
            b.bucket(BUCKET)
                .key(
                    "archive/AWSLogs/123456789012/CloudTrail/us-east-1/2026/12/05/"
                        + "123456789012_CloudTrail_us-east-1_later.json.gz"),
        RequestBody.fromBytes(later));

    apply(
        """
        apiVersion: siem.vigil.dev/v1alpha1
        kind: LogReplay
        metadata: {name: november, namespace: %s}
        spec:
          s3: {bucket: %s, prefix: archive/}
          from: "2026-11-01"
          to: "2026-11-30"
          logType: cloudtrail
          indexPrefix: e2e-replay
        """
            .formatted(NAMESPACE, BUCKET));

    LogReplay done =
        await("LogReplay Succeeded")
            .atMost(Duration.ofMinutes(5))
            .until(
                this::logReplay,
                r ->
                    r.getStatus() != null
                        && (r.getStatus().phase == LogReplayStatus.Phase.Succeeded
                            || r.getStatus().phase == LogReplayStatus.Phase.Failed));
    assertThat(done.getStatus().phase)
        .as("%s", node.podLogs(NAMESPACE, "vigil-replay-november"))
        .isEqualTo(LogReplayStatus.Phase.Succeeded);
    assertThat(done.getStatus().startTime).isNotNull();
    assertThat(done.getStatus().completionTime).isNotNull();
    LogReplayStatus.Progress progress =
        await("the final checkpoint read")
            .atMost(Duration.ofMinutes(1))
            .until(
                () -> logReplay().getStatus().progress,
                p -> p != null && Boolean.TRUE.equals(p.finished));
    assertThat(progress.objectsDone).isEqualTo(3L);
    assertThat(progress.lastCompletedKey).startsWith("archive/AWSLogs/");
    assertThat(ids("e2e-replay-cloudtrail-*")).isEqualTo(replayed);

    client.resources(LogReplay.class).inNamespace(NAMESPACE).withName("november").delete();
    await("the Job and its pod deleted with the LogReplay")
        .atMost(Duration.ofMinutes(2))
        .until(
            () ->
                client
                            .batch()
                            .v1()
                            .jobs()
                            .inNamespace(NAMESPACE)
                            .withName("vigil-replay-november")
                            .get()
                        == null
                    && client
                        .pods()
                        .inNamespace(NAMESPACE)
                        .withLabel(LogReplay.LABEL, "november")
                        .list()
                        .getItems()
                        .isEmpty());
  }

  private LogReplay logReplay() {
    return client.resources(LogReplay.class).inNamespace(NAMESPACE).withName("november").get();
  }

  private void apply(String yaml) {
    client
        .load(new java.io.ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))
        .inNamespace(NAMESPACE)
        .serverSideApply();
  }

  /** Uploads a CloudTrail object (the key layout CloudTrail writes) and records its documents. */
  private void upload(int events) {
    Instant start = Instant.parse("2026-12-01T00:00:00Z").plusSeconds(3_600L * objects);
    String key =
        "AWSLogs/123456789012/CloudTrail/us-east-1/"
            + DAY.format(start)
            + "/123456789012_CloudTrail_us-east-1_e2e-"
            + objects
            + ".json.gz";
    byte[] gzip = gzip(SyntheticCloudTrail.object(events, objects, start));
    expected.addAll(documentIds(key, gzip));
    s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(gzip));
    objects++;
  }

  private static byte[] gzip(InputStream content) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (content;
        GZIPOutputStream out = new GZIPOutputStream(bytes)) {
      content.transferTo(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** "index/id" of every document the parser makes of an object, as the ingester would. */
  private static Set<String> documentIds(String key, byte[] content) {
    return documentIds("vigil", key, content);
  }

  private static Set<String> documentIds(String indexPrefix, String key, byte[] content) {
    Set<String> ids = new HashSet<>();
    ObjectParser parser =
        new ObjectParser(
            new IndexNaming(indexPrefix, IndexNaming.Granularity.DAILY), LogParsers.all());
    try {
      parser.parse(
          new java.io.ByteArrayInputStream(content),
          new ObjectRef(BUCKET, key),
          null,
          new DocumentSink() {
            @Override
            public void document(ParsedDocument d) {
              ids.add(d.index() + "/" + d.id());
            }

            @Override
            public void rejected(Rejection rejection) {
              throw new AssertionError("synthetic CloudTrail rejected: " + rejection);
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return ids;
  }

  private void awaitExactlyTheExpectedDocuments() throws IOException, InterruptedException {
    await("every document indexed")
        .atMost(Duration.ofMinutes(5))
        .pollInterval(Duration.ofSeconds(2))
        .until(() -> count() >= expected.size());
    assertThat(indexedIds()).isEqualTo(expected);
  }

  private long count() throws IOException, InterruptedException {
    JsonNode body = search("/vigil-cloudtrail-*/_count");
    return body.path("count").asLong(-1);
  }

  /** Every "index/id" in the CloudTrail indices, read with a scroll. */
  private Set<String> indexedIds() throws IOException, InterruptedException {
    return ids("vigil-cloudtrail-*");
  }

  /** Every "index/id" in the indices matching the pattern, read with a scroll. */
  private Set<String> ids(String pattern) throws IOException, InterruptedException {
    search("/" + pattern + "/_refresh");
    Set<String> ids = new HashSet<>();
    JsonNode page = search("/" + pattern + "/_search?scroll=1m&size=5000&_source=false");
    while (page.path("hits").path("hits").size() > 0) {
      for (JsonNode hit : page.path("hits").path("hits")) {
        ids.add(hit.path("_index").asText() + "/" + hit.path("_id").asText());
      }
      page =
          post(
              "/_search/scroll",
              "{\"scroll\":\"1m\",\"scroll_id\":\"" + page.path("_scroll_id").asText() + "\"}");
    }
    return ids;
  }

  private JsonNode search(String path) throws IOException, InterruptedException {
    return JSON.readTree(
        openSearch
            .httpClient()
            .send(openSearch.request(path).build(), HttpResponse.BodyHandlers.ofString())
            .body());
  }

  private JsonNode post(String path, String body) throws IOException, InterruptedException {
    return JSON.readTree(
        openSearch
            .httpClient()
            .send(
                openSearch
                    .request(path)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body());
  }

  /** Whether the pod's ingester holds an SQS message right now (its metric, read on the pod IP). */
  private static boolean working(Pod pod) {
    try {
      String metrics =
          METRICS_CLIENT
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://" + pod.getStatus().getPodIP() + ":8080/q/metrics"))
                      .timeout(Duration.ofSeconds(3))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      return metrics
          .lines()
          .filter(l -> l.startsWith("vigil_ingester_messages_in_flight"))
          .anyMatch(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)) > 0);
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private LogSource logSource() {
    return client.resources(LogSource.class).inNamespace(NAMESPACE).withName(SOURCE).get();
  }

  private static boolean ready(LogSource source) {
    return source != null
        && source.getStatus() != null
        && source.getStatus().conditions != null
        && source.getStatus().conditions.stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private Deployment deployment() {
    return client.apps().deployments().inNamespace(NAMESPACE).withName(DEPLOYMENT).get();
  }

  private List<Pod> pods() {
    return client
        .pods()
        .inNamespace(NAMESPACE)
        .withLabel("app.kubernetes.io/instance", DEPLOYMENT)
        .list()
        .getItems()
        .stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .toList();
  }

  private List<Pod> readyIngesters() {
    return pods().stream().filter(VigilOnNodeIT::podReady).toList();
  }

  private List<Pod> operatorPods() {
    return client
        .pods()
        .inNamespace(NodeInstall.NAMESPACE)
        .withLabel("app.kubernetes.io/name", NodeInstall.OPERATOR)
        .list()
        .getItems()
        .stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .toList();
  }

  /** The operator's leader-election lease (the only lease in its namespace). */
  private Lease lease() {
    return client.leases().inNamespace(NodeInstall.NAMESPACE).list().getItems().stream()
        .findFirst()
        .orElseThrow(() -> new AssertionError("no lease in " + NodeInstall.NAMESPACE));
  }

  private static boolean podReady(Pod pod) {
    return pod.getStatus() != null
        && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }
}

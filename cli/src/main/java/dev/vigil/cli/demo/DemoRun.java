package dev.vigil.cli.demo;

import dev.vigil.parts.KubeApiServer;
import dev.vigil.parts.KubeNode;
import dev.vigil.parts.MotoServer;
import dev.vigil.parts.OpenSearchNode;
import dev.vigil.parts.PartLogs;
import dev.vigil.parts.RealParts;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;

/**
 * The whole SIEM on local real parts: OpenSearch, the AWS emulator and Kubernetes — a real node
 * running Vigil's images as pods where it can ({@link NodeRuntime}), else an API server with the
 * operator and ingesters as processes ({@link ProcessRuntime}); the {@code samples/demo} manifests;
 * the {@code samples/demo-logs} uploaded to the LogSources' buckets — and then reports, as it
 * happens, what the operator and ingesters make of it.
 */
public final class DemoRun {
  public static final String NAMESPACE = "vigil-demo";
  private static final Duration POLL = Duration.ofSeconds(2);

  private final DemoLayout layout;
  private final Console console;
  private final boolean once;
  private final Duration timeout;
  private final boolean processes;
  private final List<AutoCloseable> started = new ArrayList<>();
  private volatile boolean stopping;

  /**
   * @param processes run the operator and ingesters as local processes even where a node could run
   */
  public DemoRun(
      DemoLayout layout, Console console, boolean once, Duration timeout, boolean processes) {
    this.layout = layout;
    this.console = console;
    this.once = once;
    this.timeout = timeout;
    this.processes = processes;
  }

  /** Runs until Ctrl-C (or, with once, until everything happened); 0 when it all did. */
  public int run() throws InterruptedException {
    Thread hook = new Thread(this::stopEverything, "vigil-demo-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      return runParts();
    } finally {
      if (!stopping) {
        Runtime.getRuntime().removeShutdownHook(hook);
        stopEverything();
      }
    }
  }

  private int runParts() throws InterruptedException {
    console.line("Vigil demo — logs of every process go to " + PartLogs.directory());
    console.line(
        "(the first start builds Kubernetes from Go modules and installs moto from PyPI and the node's"
            + " containerd and runc from Debian: some minutes, with progress below; later starts take"
            + " seconds)");
    OpenSearchNode openSearch =
        start("OpenSearch " + OpenSearchNode.VERSION, RealParts::openSearch);
    MotoServer moto = start("AWS emulator (moto)", RealParts::moto);
    String noNode = processes ? "--processes was given" : KubeNode.whyNot();
    KubeApiServer kube;
    KubeNode node = null;
    if (noNode == null) {
      node = start("Kubernetes node (control plane, kubelet, containerd)", RealParts::kubeNode);
      kube = node.api();
    } else {
      console.event("operator and ingesters run as local processes, not pods: %s", noNode);
      kube = start("Kubernetes API server", RealParts::kube);
    }
    started.add(RealParts::stopAll);

    KubernetesClient client = kube.adminClient();
    started.add(0, client);
    Path kubeconfig = writeKubeconfig(kube);
    VigilRuntime vigil =
        node != null
            ? new NodeRuntime(layout, console, node, client, moto)
            : new ProcessRuntime(layout, console, kube, client, moto);
    started.add(0, vigil);

    WebhookReceiver webhook = WebhookReceiver.start(console);
    started.add(0, webhook);
    console.event(
        "webhook receiver listening on %s (the demo's NotificationChannel)", webhook.url());

    List<HasMetadata> manifests =
        DemoManifests.load(
            client,
            layout.manifests(),
            Map.of(
                DemoManifests.OPENSEARCH, vigil.reachable(openSearch.uri()).toString(),
                DemoManifests.WEBHOOK, vigil.reachable(webhook.url()).toString(),
                DemoManifests.SNAPSHOTS, openSearch.snapshotDirectory().toString()));
    S3Client s3 = moto.s3();
    for (String bucket : buckets(client, manifests)) {
      try {
        s3.createBucket(b -> b.bucket(bucket));
      } catch (BucketAlreadyOwnedByYouException e) {
        // a second demo run against the same emulator
      }
      console.event("bucket    s3://%s created in the AWS emulator", bucket);
    }

    List<String> reconciled = vigil.install(NAMESPACE);
    List<String> absent =
        ResourceStatusFeed.KINDS.stream().filter(k -> !reconciled.contains(k)).toList();
    console.event(
        "operator reconciles: %s%s",
        String.join(", ", reconciled),
        absent.isEmpty() ? "" : "   (not in this build: " + String.join(", ", absent) + ")");

    DemoManifests.apply(client, manifests);
    console.event(
        "applied %d manifests from samples/demo/ to namespace %s", manifests.size(), NAMESPACE);

    Expectations expect =
        new Expectations(
            names(manifests, "LogSource"),
            reconciled.contains("DetectionRule") ? names(manifests, "DetectionRule") : List.of(),
            reconciled.contains("DetectionRule") && reconciled.contains("NotificationChannel"));
    if (!reconciled.contains("DetectionRule")) {
      console.event("no detection engine in this build: alerts are not expected");
    }
    ResourceStatusFeed statuses = new ResourceStatusFeed(client, NAMESPACE, console);
    OpenSearchFeed search = new OpenSearchFeed(openSearch, console);
    Uploads uploads = new Uploads(s3, layout.logs(), console);
    long deadline = System.nanoTime() + timeout.toNanos();
    boolean summarized = false;
    while (!stopping) {
      try {
        statuses.poll();
        vigil.poll();
        uploads.poll(statuses.list("LogSource"));
        search.poll();
      } catch (RuntimeException e) {
        if (stopping) {
          break;
        }
        console.event("(poll failed, retrying: %s)", e.getMessage());
      }
      String operatorGone = vigil.operatorGone();
      if (operatorGone != null) {
        console.event("%s", operatorGone);
        return 1;
      }
      List<String> pending =
          expect.pending(statuses.all(), uploads, search.documents(), search.alerts(), webhook);
      if (pending.isEmpty() && !summarized) {
        summarize(openSearch, moto, kube, kubeconfig, webhook, search, vigil);
        summarized = true;
        if (once) {
          return 0;
        }
      }
      if (System.nanoTime() > deadline && !summarized) {
        console.line("");
        console.line("Not done within " + timeout.toSeconds() + " s:");
        pending.forEach(p -> console.line("  - " + p));
        console.line("Logs: " + PartLogs.directory());
        if (once) {
          return 1;
        }
        summarize(openSearch, moto, kube, kubeconfig, webhook, search, vigil);
        summarized = true;
      }
      Thread.sleep(POLL.toMillis()); // the polling interval of the feeds, not a wait for an outcome
    }
    return 0;
  }

  private void summarize(
      OpenSearchNode openSearch,
      MotoServer moto,
      KubeApiServer kube,
      Path kubeconfig,
      WebhookReceiver webhook,
      OpenSearchFeed search,
      VigilRuntime vigil) {
    String os = openSearch.uri().toString();
    console.line("");
    console.line("Vigil is running:");
    console.line("  OpenSearch             " + os + "   (plain HTTP, no authentication)");
    search
        .indices()
        .forEach(
            (type, indices) ->
                console.line(
                    String.format(
                        "    %-32s %6d documents (%s)",
                        String.join(",", indices), search.documents().get(type), type)));
    search
        .latest()
        .forEach(
            (index, findings) ->
                console.line(
                    String.format("    %-32s %6d findings (latest state)", index, findings)));
    console.line(String.format("    %-32s %6d alerts", "vigil-alerts", search.alerts().size()));
    console.line(
        "  AWS emulator (moto)    "
            + moto.endpoint()
            + "   (region "
            + MotoServer.REGION
            + ", access key testing/testing)");
    console.line("  Kubernetes API server  " + kube.url() + "   kubeconfig " + kubeconfig);
    String kubectl = kube.kubectl() + " --kubeconfig " + kubeconfig;
    vigil.describe(kubectl).forEach(console::line);
    console.line(
        "  webhook receiver       "
            + webhook.url()
            + "   ("
            + webhook.deliveries()
            + " deliveries)");
    console.line("  logs                   " + PartLogs.directory());
    console.line("");
    console.line("Explore:");
    console.line(
        "  "
            + kubectl
            + " -n "
            + NAMESPACE
            + " get opensearchconnections,logsources,detectionrules,notificationchannels,dashboards,snapshotpolicies");
    console.line("  " + kubectl + " -n " + NAMESPACE + " describe logsource cloudtrail");
    console.line(
        "  "
            + kubectl
            + " -n "
            + NAMESPACE
            + " get deployments,configmaps -l app.kubernetes.io/name=vigil-ingester");
    console.line("  curl -s '" + os + "/_cat/indices/vigil-*?v'");
    console.line(
        "  curl -s '" + os + "/vigil-cloudtrail-*/_search?q=event.action:StopLogging&pretty'");
    console.line("  curl -s '" + os + "/vigil-waf-*/_search?q=aws.waf.action:BLOCK&size=3&pretty'");
    console.line("  curl -s '" + os + "/vigil-alerts*/_search?pretty'");
    console.line(
        "  AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing aws --endpoint-url "
            + moto.endpoint()
            + " --region "
            + MotoServer.REGION.id()
            + " sqs list-queues");
    console.line("  bin/vigil rules test samples/demo/detections");
    console.line("  bin/vigil status --kubeconfig " + kubeconfig + " -n " + NAMESPACE);
    console.line("  bin/vigil alerts list --opensearch " + os + " --since 24h");
    if (!once) {
      console.line("");
      console.line("Press Ctrl-C to stop every process the demo started.");
    }
  }

  private <T> T start(String name, Supplier<T> starter) {
    console.partial("starting " + name + "… ");
    long t = System.nanoTime();
    T part = starter.get();
    console.line(String.format("ready in %.1f s", (System.nanoTime() - t) / 1e9));
    return part;
  }

  private Path writeKubeconfig(KubeApiServer kube) {
    try {
      Path file = layout.state().resolve("kubeconfig");
      Files.createDirectories(file.getParent());
      Files.copy(kube.kubeconfig(), file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      return file;
    } catch (IOException e) {
      throw new DemoException("cannot write the kubeconfig: " + e.getMessage(), e);
    }
  }

  private static TreeSet<String> buckets(KubernetesClient client, List<HasMetadata> manifests) {
    TreeSet<String> buckets = new TreeSet<>();
    for (HasMetadata item : manifests) {
      if ("LogSource".equals(item.getKind())) {
        Map<?, ?> map = client.getKubernetesSerialization().convertValue(item, Map.class);
        Map<?, ?> s3 = (Map<?, ?>) ((Map<?, ?>) map.get("spec")).get("s3");
        buckets.add((String) s3.get("bucket"));
      }
    }
    return buckets;
  }

  private static List<String> names(List<HasMetadata> manifests, String kind) {
    return manifests.stream()
        .filter(m -> kind.equals(m.getKind()))
        .map(m -> m.getMetadata().getName())
        .toList();
  }

  /** Stops what the demo started, newest first: ingesters, operator, receiver, then the parts. */
  private synchronized void stopEverything() {
    if (stopping) {
      return;
    }
    stopping = true;
    for (AutoCloseable c : started) {
      try {
        c.close();
      } catch (Exception e) {
        console.line("stopping " + c + " failed: " + e.getMessage());
      }
    }
    started.clear();
    console.line("stopped every process the demo started");
  }
}

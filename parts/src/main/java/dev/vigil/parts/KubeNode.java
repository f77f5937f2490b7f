package dev.vigil.parts;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A real one-node Kubernetes cluster on this machine: etcd, kube-apiserver,
 * kube-controller-manager, kube-scheduler, kubelet and kube-proxy (built from Go modules),
 * containerd + runc + the CNI bridge plugin (Debian packages). Pods run for real: images are
 * imported into containerd ({@link #importImage}), Deployments become ReplicaSets and pods, probes
 * are run by the kubelet, service account tokens are projected, ClusterIP Services work (iptables).
 *
 * <p>Pods live on the bridge {@value #BRIDGE} ({@value #POD_CIDR}); the node's IP {@value #NODE_IP}
 * sits on that bridge and the API server listens there. Nothing is routed off the host; parts on
 * loopback (OpenSearch, the AWS emulator, a test's own server) are made reachable from pods with
 * {@link #reachableFromPods}. Needs root; one node per machine at a time (a lock file), and every
 * start first removes whatever an earlier, killed run left behind ({@code node-host.sh}).
 */
public final class KubeNode implements AutoCloseable {
  public static final String NODE_NAME = "vigil-node";
  static final String BRIDGE = "vigil0";
  static final String NODE_IP = "10.244.0.1";
  static final String POD_CIDR = "10.244.0.0/24";
  static final String SERVICE_CIDR = "10.96.0.0/24";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
  private static final Path LOCK = Path.of("/tmp/vigil-node.lock");

  private final Path bin;
  private final Path hostScript;
  private final String kubeletToken = UUID.randomUUID().toString();
  private final List<ManagedProcess> processes = new ArrayList<>();
  private FileChannel lockFile;
  private FileLock lock;
  private Path base;
  private KubeApiServer api;
  private Path containerdSocket;
  private boolean closed;

  private KubeNode(Path bin, Path hostScript) {
    this.bin = bin;
    this.hostScript = hostScript;
  }

  /** Starts the node; fails with the reason (not root, a part that does not come up, …). */
  public static KubeNode start() {
    String whyNot = whyNot();
    if (whyNot != null) {
      throw new PartStartException(whyNot + "; run the tests as root, as CI does");
    }
    Path bin = BundledScripts.run("ensure-kube-binaries.sh").resolve("bin");
    Path parts = BundledScripts.run("ensure-node-parts.sh");
    KubeNode node = new KubeNode(bin, BundledScripts.extract("node-host.sh"));
    node.acquireMachineLock();
    // Pods, mounts and iptables rules outlive the JVM unless torn down; what a killed JVM leaves
    // is removed by the next start instead.
    Runtime.getRuntime().addShutdownHook(new Thread(node::close, "vigil-node-stop"));
    try {
      node.host("up", BRIDGE, NODE_IP + "/24");
      // Short: containerd's socket lives here, and unix socket paths are limited to 108 bytes.
      node.base = Files.createTempDirectory(Path.of("/tmp"), "vigil-node-");
      node.launch(parts);
      return node;
    } catch (IOException | RuntimeException e) {
      node.close();
      throw e instanceof PartStartException p
          ? p
          : new PartStartException("cannot start the Kubernetes node: " + e.getMessage(), e);
    }
  }

  private void launch(Path parts) throws IOException {
    api =
        KubeApiServer.start(
            Files.createDirectories(base.resolve("control-plane")),
            bin,
            new KubeApiServer.Settings(
                NODE_IP,
                SERVICE_CIDR,
                true,
                List.of(kubeletToken + ",system:node:" + NODE_NAME + ",kubelet,system:nodes"),
                "node-"));
    startContainerd(Files.readString(parts.resolve("pause.ref")).trim());
    importImage(parts.resolve("pause.tar"));
    startControllers();
    startKubelet();
    startProxy();
  }

  private void startContainerd(String sandboxImage) throws IOException {
    containerdSocket = base.resolve("containerd.sock");
    Path config = NodeFiles.containerd(base, containerdSocket, sandboxImage);
    NodeFiles.cni(base);
    ManagedProcess containerd =
        track(
            ManagedProcess.start(
                "node-containerd",
                List.of("containerd", "--config", config.toString()),
                base,
                Map.of()));
    containerd.awaitReady(
        "serving", START_TIMEOUT, () -> GoTools.run(ctr("version"), "").exit() == 0);
  }

  private void startControllers() {
    Path admin = api.kubeconfig();
    Path ca = api.servingCertificate();
    track(
        ManagedProcess.start(
            "node-kube-controller-manager",
            List.of(
                bin.resolve("kube-controller-manager").toString(),
                "--kubeconfig=" + admin,
                "--service-account-private-key-file=" + api.serviceAccountKey(),
                // Published to every namespace as kube-root-ca.crt, which pods trust the API
                // server with.
                "--root-ca-file=" + ca,
                "--leader-elect=false",
                "--secure-port=0"),
            base,
            Map.of()));
    track(
        ManagedProcess.start(
            "node-kube-scheduler",
            List.of(
                bin.resolve("kube-scheduler").toString(),
                "--kubeconfig=" + admin,
                "--leader-elect=false",
                "--secure-port=0"),
            base,
            Map.of()));
  }

  private void startKubelet() throws IOException {
    Path kubeconfig = api.kubeconfig("kubelet.kubeconfig", "kubelet", kubeletToken);
    Path config = NodeFiles.kubelet(base, containerdSocket, FreePorts.next());
    int healthz = FreePorts.next();
    ManagedProcess kubelet =
        track(
            ManagedProcess.start(
                "node-kubelet",
                List.of(
                    bin.resolve("kubelet").toString(),
                    "--config=" + config,
                    "--kubeconfig=" + kubeconfig,
                    "--root-dir=" + base.resolve("kubelet"),
                    "--cert-dir=" + base.resolve("kubelet/pki"),
                    "--hostname-override=" + NODE_NAME,
                    "--node-ip=" + NODE_IP,
                    "--healthz-port=" + healthz,
                    "--healthz-bind-address=127.0.0.1"),
                base,
                Map.of()));
    try (KubernetesClient client = api.adminClient()) {
      kubelet.awaitReady("Ready as node " + NODE_NAME, START_TIMEOUT, () -> nodeReady(client));
    }
  }

  private void startProxy() throws IOException {
    Path kubeconfig = api.kubeconfig();
    int healthz = FreePorts.next();
    Path config = NodeFiles.proxy(base, kubeconfig, healthz, FreePorts.next());
    ManagedProcess proxy =
        track(
            ManagedProcess.start(
                "node-kube-proxy",
                List.of(bin.resolve("kube-proxy").toString(), "--config=" + config),
                base,
                Map.of()));
    proxy.awaitReady(
        "serving Services",
        START_TIMEOUT,
        () -> answers(URI.create("http://127.0.0.1:" + healthz + "/healthz")));
    // Healthy is not synced: until kube-proxy has written the kubernetes Service's rule, a
    // connection to its ClusterIP leaves by the host's default route and may meet whatever answers
    // there (seen: a TLS peer with another certificate).
    String clusterIp;
    try (KubernetesClient client = api.adminClient()) {
      clusterIp =
          client
              .services()
              .inNamespace("default")
              .withName("kubernetes")
              .get()
              .getSpec()
              .getClusterIP();
    }
    proxy.awaitReady(
        "routing the kubernetes Service",
        START_TIMEOUT,
        () ->
            GoTools.run(List.of("iptables-save", "-t", "nat"), "")
                .stdout()
                .contains("-d " + clusterIp + "/32"));
  }

  private static boolean answers(URI uri) {
    try {
      return java.net.http.HttpClient.newHttpClient()
              .send(
                  java.net.http.HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
                  java.net.http.HttpResponse.BodyHandlers.discarding())
              .statusCode()
          == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static boolean nodeReady(KubernetesClient client) {
    try {
      Node node = client.nodes().withName(NODE_NAME).get();
      return node != null
          && node.getStatus() != null
          && node.getStatus().getConditions() != null
          && node.getStatus().getConditions().stream().anyMatch(c -> isTrue(c, "Ready"));
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static boolean isTrue(NodeCondition condition, String type) {
    return type.equals(condition.getType()) && "True".equals(condition.getStatus());
  }

  /** The node's API server (admin client, kubeconfig, kubectl). */
  public KubeApiServer api() {
    return api;
  }

  public String nodeIp() {
    return NODE_IP;
  }

  /**
   * Loads an image archive (docker-archive or OCI tarball) into the node's containerd, where pods
   * with {@code imagePullPolicy: IfNotPresent} find it without a registry.
   */
  public void importImage(Path archive) {
    GoTools.Result result = GoTools.run(ctr("images", "import", archive.toString()), "");
    if (result.exit() != 0) {
      throw new PartStartException("cannot import image " + archive + ": " + result.output());
    }
  }

  /**
   * The address pods use for a service listening on loopback here (OpenSearch, the AWS emulator, a
   * test's own server): the same port on the node IP, forwarded to 127.0.0.1 by the host.
   */
  public URI reachableFromPods(URI loopback) {
    int port = loopback.getPort();
    host("expose", BRIDGE, NODE_IP, Integer.toString(port));
    try {
      return new URI(
          loopback.getScheme(),
          loopback.getUserInfo(),
          NODE_IP,
          port,
          loopback.getPath(),
          loopback.getQuery(),
          loopback.getFragment());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /**
   * Where the kubelet writes container logs ({@code <namespace>_<pod>_<uid>/<container>/N.log}).
   */
  public Path podLogs() {
    return base.resolve("pod-logs");
  }

  /**
   * Everything the containers of pods in {@code namespace} whose names start with {@code podPrefix}
   * logged so far, earlier (restarted) containers included — what {@code kubectl logs --previous}
   * and {@code kubectl logs} show together.
   */
  public String podLogs(String namespace, String podPrefix) {
    if (!Files.isDirectory(podLogs())) {
      return "";
    }
    try (var dirs = Files.list(podLogs())) {
      StringBuilder all = new StringBuilder();
      for (Path pod :
          dirs.filter(d -> d.getFileName().toString().startsWith(namespace + "_" + podPrefix))
              .sorted()
              .toList()) {
        try (var files = Files.walk(pod)) {
          for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
            all.append(Files.readString(file));
          }
        }
      }
      return all.toString();
    } catch (IOException | UncheckedIOException e) {
      return "";
    }
  }

  private List<String> ctr(String... args) {
    List<String> command =
        new ArrayList<>(List.of("ctr", "--address", containerdSocket.toString(), "-n", "k8s.io"));
    command.addAll(List.of(args));
    return command;
  }

  private ManagedProcess track(ManagedProcess process) {
    processes.add(process);
    return process;
  }

  private void acquireMachineLock() {
    try {
      lockFile = FileChannel.open(LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      lock = lockFile.tryLock();
      if (lock == null) {
        System.err.println(
            "another Kubernetes test node runs on this machine (" + LOCK + " is locked); waiting…");
        lock = lockFile.lock();
      }
    } catch (IOException e) {
      throw new PartStartException("cannot lock " + LOCK + ": " + e.getMessage(), e);
    }
  }

  private void host(String... args) {
    List<String> command = new ArrayList<>(List.of("bash", hostScript.toString()));
    command.addAll(List.of(args));
    GoTools.Result result = GoTools.run(command, "");
    if (result.exit() != 0) {
      throw new PartStartException(
          "node-host.sh " + String.join(" ", args) + " failed: " + result.output());
    }
  }

  /** Stops every process of the node, keeps the pods' logs, and undoes the host setup. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (int i = processes.size() - 1; i >= 0; i--) {
      processes.get(i).stop(Duration.ofSeconds(10));
    }
    processes.clear();
    if (api != null) {
      api.close();
      api = null;
    }
    keepPodLogs();
    try {
      host("down", BRIDGE);
    } catch (PartStartException e) {
      System.err.println("tearing down the Kubernetes node: " + e.getMessage());
    }
    try {
      if (lock != null) {
        lock.release();
        lockFile.close();
      }
    } catch (IOException e) {
      System.err.println("releasing " + LOCK + ": " + e.getMessage());
    }
  }

  private void keepPodLogs() {
    if (base == null || !Files.isDirectory(podLogs())) {
      return;
    }
    Path target = PartLogs.directory().resolve("node-pods");
    try (var files = Files.walk(podLogs())) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        Path copy = target.resolve(podLogs().relativize(file).toString());
        Files.createDirectories(copy.getParent());
        Files.copy(file, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException | UncheckedIOException e) {
      System.err.println("keeping the pods' logs: " + e.getMessage());
    }
  }

  /** Why no node can run here, or null when one can. */
  public static String whyNot() {
    return runningAsRoot()
        ? null
        : "a Kubernetes node needs root (containerd, runc, network namespaces, cgroups)";
  }

  private static boolean runningAsRoot() {
    try {
      return Files.readAllLines(Path.of("/proc/self/status")).stream()
          .filter(l -> l.startsWith("Uid:"))
          .anyMatch(l -> l.split("\\s+")[1].equals("0"));
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return "Kubernetes node " + NODE_NAME + " (" + NODE_IP + ") at " + api;
  }
}

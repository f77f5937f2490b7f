package dev.vigil.parts;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A real Kubernetes API server (kube-apiserver + etcd, built from Go modules once into the cache)
 * on loopback. It validates CRD schemas and CEL rules, serves the status subresource and
 * server-side apply — what a mock cannot. Clients authenticate with a static bearer token in {@code
 * system:masters}.
 */
public final class KubeApiServer implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  /** Where the API server listens and what it serves beyond the API itself. */
  record Settings(
      String address,
      String serviceCidr,
      boolean withNodes,
      List<String> extraTokens,
      String logPrefix) {
    /** API only, on loopback: no kubelet, no controller-manager (what most tests need). */
    static final Settings API_ONLY = new Settings("127.0.0.1", "10.0.0.0/24", false, List.of(), "");
  }

  private final Path base;
  private final Path bin;
  private final Settings settings;
  private final int port;
  private final String token = UUID.randomUUID().toString();
  private ManagedProcess etcd;
  private ManagedProcess apiServer;
  // Created by start() (not a node's directory): deleted on close.
  private boolean ownsBase;

  private KubeApiServer(Path base, Path bin, Settings settings) {
    this.base = base;
    this.bin = bin;
    this.settings = settings;
    this.port = FreePorts.next();
  }

  public static KubeApiServer start() {
    Path bin = BundledScripts.run("ensure-kube-binaries.sh").resolve("bin");
    try {
      KubeApiServer server = start(ScratchDirs.create("vigil-kube-"), bin, Settings.API_ONLY);
      server.ownsBase = true;
      return server;
    } catch (IOException e) {
      throw new PartStartException(
          "cannot prepare the Kubernetes API server: " + e.getMessage(), e);
    }
  }

  static KubeApiServer start(Path base, Path bin, Settings settings) {
    KubeApiServer server = new KubeApiServer(base, bin, settings);
    try {
      server.launch(bin);
      return server;
    } catch (IOException e) {
      server.close();
      throw new PartStartException(
          "cannot prepare the Kubernetes API server: " + e.getMessage(), e);
    }
  }

  private void launch(Path bin) throws IOException {
    int etcdPort = FreePorts.next();
    int peerPort = FreePorts.next();
    String etcdUrl = "http://127.0.0.1:" + etcdPort;
    String peerUrl = "http://127.0.0.1:" + peerPort;
    etcd =
        ManagedProcess.start(
            settings.logPrefix() + "etcd",
            List.of(
                bin.resolve("etcd").toString(),
                "--name=vigil",
                "--data-dir=" + base.resolve("etcd"),
                "--listen-client-urls=" + etcdUrl,
                "--advertise-client-urls=" + etcdUrl,
                "--listen-peer-urls=" + peerUrl,
                "--initial-advertise-peer-urls=" + peerUrl,
                "--initial-cluster=vigil=" + peerUrl,
                // Test data need not survive a power cut; fsync would dominate start-up on slow
                // disks.
                "--unsafe-no-fsync=true"),
            base,
            Map.of());
    etcd.awaitReady(
        "healthy", START_TIMEOUT, () -> answers(URI.create(etcdUrl + "/health"), false));

    writeCredentials();
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                bin.resolve("kube-apiserver").toString(),
                "--etcd-servers=" + etcdUrl,
                "--bind-address=" + settings.address(),
                "--advertise-address=" + settings.address(),
                "--secure-port=" + port,
                "--cert-dir=" + base.resolve("certs"),
                "--token-auth-file=" + base.resolve("tokens.csv"),
                "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
                "--service-account-key-file=" + base.resolve("sa.pub"),
                "--service-account-signing-key-file=" + base.resolve("sa.key"),
                "--service-cluster-ip-range=" + settings.serviceCidr()));
    if (settings.withNodes()) {
      // As on any cluster: kubelets are authorized as nodes and may only touch their own pods.
      command.add("--authorization-mode=Node,RBAC");
      command.add("--enable-admission-plugins=NodeRestriction");
      // kubectl logs/exec: reach the kubelet at its node IP (no DNS knows the node's name here).
      command.add("--kubelet-preferred-address-types=InternalIP");
    } else {
      command.add("--authorization-mode=RBAC");
      // No controller-manager runs to create the service accounts this plugin waits for.
      command.add("--disable-admission-plugins=ServiceAccount");
    }
    apiServer =
        ManagedProcess.start(settings.logPrefix() + "kube-apiserver", command, base, Map.of());
    apiServer.awaitReady("ready", START_TIMEOUT, () -> answers(url().resolve("/readyz"), true));
  }

  private void writeCredentials() throws IOException {
    StringBuilder tokens = new StringBuilder(token + ",vigil-admin,vigil-admin,system:masters\n");
    // Static tokens of other users, as token,user,uid,"group".
    settings.extraTokens().forEach(line -> tokens.append(line).append('\n'));
    Files.writeString(base.resolve("tokens.csv"), tokens);
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      KeyPair pair = generator.generateKeyPair();
      Files.writeString(base.resolve("sa.key"), pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
      Files.writeString(base.resolve("sa.pub"), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no RSA", e);
    }
  }

  private static String pem(String type, byte[] der) {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }

  private boolean answers(URI uri, boolean tls) {
    try {
      HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
      HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5));
      if (tls) {
        if (!Files.exists(servingCertificate())) {
          return false;
        }
        client.sslContext(Tls.trusting(servingCertificate()));
        request.header("Authorization", "Bearer " + token);
      }
      return client
              .build()
              .send(request.build(), HttpResponse.BodyHandlers.discarding())
              .statusCode()
          == 200;
    } catch (IOException | PartStartException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  public URI url() {
    return URI.create("https://" + settings.address() + ":" + port);
  }

  /** The key service account tokens are signed with (the controller-manager signs with it too). */
  Path serviceAccountKey() {
    return base.resolve("sa.key");
  }

  /** The kubectl built with this API server (same version), for tests that run it like users do. */
  public Path kubectl() {
    return bin.resolve("kubectl");
  }

  /** Bearer token of a {@code system:masters} user. */
  public String adminToken() {
    return token;
  }

  /**
   * The API server's self-made serving certificate (with its CA), to trust instead of skipping
   * verification.
   */
  public Path servingCertificate() {
    return base.resolve("certs/apiserver.crt");
  }

  public Config adminConfig() {
    return new ConfigBuilder(Config.empty())
        .withMasterUrl(url().toString())
        .withOauthToken(token)
        .withCaCertFile(servingCertificate().toString())
        .withNamespace("default")
        .build();
  }

  /** A fabric8 client with cluster-admin rights. The caller closes it. */
  public KubernetesClient adminClient() {
    return new KubernetesClientBuilder().withConfig(adminConfig()).build();
  }

  /** A kubeconfig file for kubectl and other tools, written next to the server's files. */
  public Path kubeconfig() {
    return kubeconfig("kubeconfig", "vigil-admin", token);
  }

  /** A kubeconfig file {@code name} for a user authenticating with {@code userToken}. */
  Path kubeconfig(String name, String user, String userToken) {
    Path file = base.resolve(name);
    String content =
        String.join(
            "\n",
            "apiVersion: v1",
            "kind: Config",
            "clusters:",
            "- name: vigil-local",
            "  cluster:",
            "    server: " + url(),
            "    certificate-authority: " + servingCertificate(),
            "users:",
            "- name: " + user,
            "  user:",
            "    token: " + userToken,
            "contexts:",
            "- name: vigil-local",
            "  context:",
            "    cluster: vigil-local",
            "    user: " + user,
            "    namespace: default",
            "current-context: vigil-local",
            "");
    try {
      Files.writeString(file, content);
      return file;
    } catch (IOException e) {
      throw new PartStartException("cannot write kubeconfig " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    if (apiServer != null) {
      apiServer.stop(Duration.ofSeconds(10));
    }
    if (etcd != null) {
      etcd.stop(Duration.ofSeconds(10));
    }
    if (ownsBase) {
      ScratchDirs.delete(base);
    }
  }

  @Override
  public String toString() {
    return "Kubernetes API server at " + url();
  }
}

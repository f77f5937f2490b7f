package dev.vigil.testing;

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

  private final Path base;
  private final Path bin;
  private final int port;
  private final String token = UUID.randomUUID().toString();
  private ManagedProcess etcd;
  private ManagedProcess apiServer;

  private KubeApiServer(Path base, Path bin) {
    this.base = base;
    this.bin = bin;
    this.port = FreePorts.next();
  }

  public static KubeApiServer start() {
    Path bin = BundledScripts.run("ensure-kube-binaries.sh").resolve("bin");
    try {
      KubeApiServer server =
          new KubeApiServer(
              Files.createTempDirectory(
                  Path.of(System.getProperty("java.io.tmpdir")), "vigil-kube-"),
              bin);
      server.launch(bin);
      return server;
    } catch (IOException e) {
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
            "etcd",
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
    apiServer =
        ManagedProcess.start(
            "kube-apiserver",
            List.of(
                bin.resolve("kube-apiserver").toString(),
                "--etcd-servers=" + etcdUrl,
                "--bind-address=127.0.0.1",
                "--advertise-address=127.0.0.1",
                "--secure-port=" + port,
                "--cert-dir=" + base.resolve("certs"),
                "--token-auth-file=" + base.resolve("tokens.csv"),
                "--authorization-mode=RBAC",
                "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
                "--service-account-key-file=" + base.resolve("sa.pub"),
                "--service-account-signing-key-file=" + base.resolve("sa.key"),
                "--service-cluster-ip-range=10.0.0.0/24",
                // No controller-manager runs to create the token Secrets this plugin waits for.
                "--disable-admission-plugins=ServiceAccount"),
            base,
            Map.of());
    apiServer.awaitReady("ready", START_TIMEOUT, () -> answers(url().resolve("/readyz"), true));
  }

  private void writeCredentials() throws IOException {
    Files.writeString(
        base.resolve("tokens.csv"), token + ",vigil-admin,vigil-admin,system:masters\n");
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
    return URI.create("https://127.0.0.1:" + port);
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
    Path file = base.resolve("kubeconfig");
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
            "- name: vigil-admin",
            "  user:",
            "    token: " + token,
            "contexts:",
            "- name: vigil-local",
            "  context:",
            "    cluster: vigil-local",
            "    user: vigil-admin",
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
  }

  @Override
  public String toString() {
    return "Kubernetes API server at " + url();
  }
}

package dev.vigil.parts;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.net.ssl.SSLContext;
import org.apache.hc.client5.http.auth.AuthScope;
import org.apache.hc.client5.http.auth.UsernamePasswordCredentials;
import org.apache.hc.client5.http.impl.auth.BasicCredentialsProvider;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.nio.ssl.TlsStrategy;
import org.opensearch.client.json.jackson.JacksonJsonpMapper;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5TransportBuilder;

/**
 * A single-node OpenSearch 2.19.4 from the Maven artifact {@code
 * org.opensearch.distribution.integ-test-zip:opensearch}, unpacked into a fresh temp dir and
 * listening on loopback.
 *
 * <p>OpenSearch refuses to run as root, and CI runs as root: then the copy is handed to {@code
 * nobody} and started through {@code setpriv}. {@link #stop()} and {@link #start()} keep the data
 * directory, so fault tests can take the node away and bring it back with its indices.
 */
public final class OpenSearchNode implements AutoCloseable {
  public static final String VERSION = "2.19.4";
  public static final String ADMIN_USER = "admin";
  private static final String ADMIN_PASSWORD = "Vigil-Test-Pa55word!";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(180);

  private final Path base;
  private final Path home;
  private final boolean secured;
  private final int httpPort;
  private final int transportPort;
  private final String name;
  private String clusterName = "vigil-test";
  // Single node unless OpenSearchCluster sets seed hosts and the initial cluster managers.
  private String discovery = "discovery.type: single-node";
  private String heap = "512m";
  private ManagedProcess process;

  private OpenSearchNode(String name, Path base, Path home, boolean secured) {
    this.name = name;
    this.base = base;
    this.home = home;
    this.secured = secured;
    this.httpPort = FreePorts.next();
    this.transportPort = FreePorts.next();
  }

  /** Plain HTTP, no authentication: the node most tests use. */
  public static OpenSearchNode startPlain() {
    return create("opensearch", false);
  }

  /**
   * With the Security plugin: HTTPS with the plugin's demo CA, basic auth as {@link #ADMIN_USER}.
   */
  public static OpenSearchNode startSecured() {
    return create("opensearch-secured", true);
  }

  private static OpenSearchNode create(String name, boolean secured) {
    OpenSearchNode node = unpacked(name, secured);
    node.configure();
    node.start();
    return node;
  }

  /** A copy of the distribution with its ports chosen, neither configured nor started. */
  static OpenSearchNode unpacked(String name, boolean secured) {
    Path zip =
        artifact(
            "org/opensearch/distribution/integ-test-zip/opensearch",
            VERSION,
            "opensearch-" + VERSION + ".zip");
    try {
      Path base = ScratchDirs.create("vigil-" + name + "-");
      unzip(zip, base);
      Path home = base.resolve("opensearch-" + VERSION);
      return new OpenSearchNode(name, base, home, secured);
    } catch (IOException e) {
      throw new PartStartException(
          "cannot prepare OpenSearch from " + zip + ": " + e.getMessage(), e);
    }
  }

  /** Joins a cluster instead of running alone (before {@link #configure()}). */
  void joinCluster(String clusterName, String discovery, String heap) {
    this.clusterName = clusterName;
    this.discovery = discovery;
    this.heap = heap;
  }

  int transportPort() {
    return transportPort;
  }

  /** The node's {@code node.name} in its cluster. */
  public String name() {
    return name;
  }

  void configure() {
    try {
      writeConfiguration();
    } catch (IOException e) {
      throw new PartStartException(
          "cannot configure OpenSearch in " + home + ": " + e.getMessage(), e);
    }
  }

  private void writeConfiguration() throws IOException {
    Path data = Files.createDirectories(base.resolve("data"));
    Path logs = Files.createDirectories(base.resolve("logs"));
    Path repo = Files.createDirectories(base.resolve("snapshots"));
    String settings =
        String.join(
            "\n",
            "cluster.name: " + clusterName,
            "node.name: " + name,
            "network.host: 127.0.0.1",
            "http.port: " + httpPort,
            "transport.port: " + transportPort,
            discovery,
            "path.data: " + data,
            "path.logs: " + logs,
            "path.repo: [\"" + repo + "\"]",
            // Test machines run with little free disk at times; a watermark must not turn indices
            // read-only.
            "cluster.routing.allocation.disk.threshold_enabled: false",
            "");
    Files.writeString(home.resolve("config/opensearch.yml"), settings, StandardCharsets.UTF_8);
    Files.writeString(
        home.resolve("config/jvm.options.d/vigil.options"),
        "-Xms" + heap + "\n-Xmx" + heap + "\n",
        StandardCharsets.UTF_8);
    installGeoModule();
    if (secured) {
      installSecurityPlugin();
    }
    if (isRoot()) {
      exec(
          List.of("chown", "-R", "nobody:nogroup", base.toString()),
          "hand the OpenSearch copy to nobody");
    }
  }

  /**
   * The {@code geo} module of the full distribution (and of Amazon OpenSearch Service), which the
   * integ-test zip leaves out: it holds the {@code geohash_grid} / {@code geotile_grid}
   * aggregations that coordinate maps run. Its jar is published on Maven Central; the descriptor is
   * the one the distribution ships.
   */
  private void installGeoModule() throws IOException {
    Path jar = artifact("org/opensearch/plugin/geo", VERSION, "geo-" + VERSION + ".jar");
    Path module = Files.createDirectories(home.resolve("modules/geo"));
    Files.copy(jar, module.resolve(jar.getFileName()));
    Files.writeString(
        module.resolve("plugin-descriptor.properties"),
        String.join(
            "\n",
            "description=Plugin for geospatial features in OpenSearch.",
            "version=" + VERSION,
            "name=geo",
            "classname=org.opensearch.geo.GeoModulePlugin",
            "java.version=11",
            "opensearch.version=" + VERSION,
            "custom.foldername=",
            "extended.plugins=",
            "has.native.controller=false",
            ""),
        StandardCharsets.UTF_8);
  }

  private void installSecurityPlugin() {
    Path plugin =
        artifact(
            "org/opensearch/plugin/opensearch-security",
            VERSION + ".0",
            "opensearch-security-" + VERSION + ".0.zip");
    exec(
        List.of(
            home.resolve("bin/opensearch-plugin").toString(),
            "install",
            "--batch",
            plugin.toUri().toString()),
        "install the Security plugin");
    Path installer =
        home.resolve("plugins/opensearch-security/tools/install_demo_configuration.sh");
    installer.toFile().setExecutable(true);
    // -y: accept, -i: initialise the security index on first start, -s: do not start the node.
    exec(
        List.of(installer.toString(), "-y", "-i", "-s"),
        "install the Security plugin's demo TLS configuration");
  }

  /**
   * Starts (or restarts, keeping data) the node and waits until it answers with a usable cluster
   * health.
   */
  public synchronized void start() {
    if (process != null && process.isAlive()) {
      return;
    }
    launch();
    awaitHealthy();
  }

  /** Starts the process without waiting (cluster members wait only once all are running). */
  synchronized void launch() {
    List<String> command = new ArrayList<>();
    if (isRoot()) {
      command.addAll(
          List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"));
    }
    command.add(home.resolve("bin/opensearch").toString());
    process = ManagedProcess.start(name, command, home, environment());
  }

  void awaitHealthy() {
    process.awaitReady("answering on " + uri(), START_TIMEOUT, this::healthy);
  }

  /** SIGKILL, as a crash would; its data stays for a later {@link #start()}. */
  public synchronized void kill() {
    if (process != null) {
      process.kill();
    }
  }

  /** Stops the node gracefully; its data stays for a later {@link #start()}. */
  public synchronized void stop() {
    if (process != null) {
      process.stop(Duration.ofSeconds(30));
    }
  }

  /**
   * Stops the node and removes its copy of the distribution and its data (≈ 300 MB each: left
   * behind, a few hundred test runs fill the disk).
   */
  @Override
  public synchronized void close() {
    stop();
    ScratchDirs.delete(base);
  }

  public URI uri() {
    return URI.create((secured ? "https" : "http") + "://127.0.0.1:" + httpPort);
  }

  public boolean secured() {
    return secured;
  }

  /** Basic-auth user, or null when the node has no security plugin. */
  public String username() {
    return secured ? ADMIN_USER : null;
  }

  public String password() {
    return secured ? ADMIN_PASSWORD : null;
  }

  /** The CA that signed the node's HTTPS certificate (Security plugin demo CA); null when plain. */
  public Path caCertificate() {
    return secured ? home.resolve("config/root-ca.pem") : null;
  }

  /** Directory registered as {@code path.repo}, for {@code fs} snapshot repositories. */
  public Path snapshotDirectory() {
    return base.resolve("snapshots");
  }

  public Path log() {
    return PartLogs.file(name);
  }

  public long pid() {
    return process.pid();
  }

  /** An opensearch-java client for this node (authenticated, trusting its CA when secured). */
  public OpenSearchClient client() {
    HttpHost host = new HttpHost(uri().getScheme(), uri().getHost(), uri().getPort());
    var transport =
        ApacheHttpClient5TransportBuilder.builder(host)
            .setMapper(new JacksonJsonpMapper())
            .setHttpClientConfigCallback(
                http -> {
                  // httpclient5 5.6 decompresses responses itself; opensearch-java would gunzip
                  // them a second time.
                  http.disableContentCompression();
                  if (!secured) {
                    return http;
                  }
                  BasicCredentialsProvider credentials = new BasicCredentialsProvider();
                  credentials.setCredentials(
                      new AuthScope(host),
                      new UsernamePasswordCredentials(ADMIN_USER, ADMIN_PASSWORD.toCharArray()));
                  TlsStrategy tls =
                      ClientTlsStrategyBuilder.create().setSslContext(sslContext()).buildAsync();
                  return http.setDefaultCredentialsProvider(credentials)
                      .setConnectionManager(
                          PoolingAsyncClientConnectionManagerBuilder.create()
                              .setTlsStrategy(tls)
                              .build());
                })
            .build();
    return new OpenSearchClient(transport);
  }

  /** A JDK HTTP client set up for this node (trusts its CA when secured). */
  public HttpClient httpClient() {
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
    if (secured) {
      builder.sslContext(Tls.trusting(caCertificate()));
    }
    return builder.build();
  }

  /** A request to this node with authentication filled in. */
  public HttpRequest.Builder request(String path) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(uri().resolve(path)).timeout(Duration.ofSeconds(30));
    if (secured) {
      String token = ADMIN_USER + ":" + ADMIN_PASSWORD;
      builder.header(
          "Authorization",
          "Basic " + Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8)));
    }
    return builder;
  }

  /**
   * An SSL context trusting this node's CA, for clients built elsewhere (opensearch-java, Quarkus).
   */
  public SSLContext sslContext() {
    return Tls.trusting(caCertificate());
  }

  private boolean healthy() {
    try {
      HttpResponse<String> response =
          httpClient()
              .send(
                  request("/_cluster/health").GET().build(), HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 && !response.body().contains("\"status\":\"red\"");
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static Map<String, String> environment() {
    return Map.of(
        "OPENSEARCH_JAVA_HOME", System.getProperty("java.home"),
        "JAVA_HOME", System.getProperty("java.home"),
        "OPENSEARCH_INITIAL_ADMIN_PASSWORD", ADMIN_PASSWORD);
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static Path artifact(String groupPath, String version, String file) {
    Path path = VigilCache.mavenRepository().resolve(groupPath).resolve(version).resolve(file);
    if (!Files.isRegularFile(path)) {
      throw new PartStartException(
          path
              + " is missing: build the parts module first (./mvnw -pl parts -am install -DskipTests), which"
              + " downloads it from Maven Central");
    }
    return path;
  }

  private void exec(List<String> command, String what) {
    Path log = PartLogs.file(name + "-setup");
    try {
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(home.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      builder.environment().putAll(environment());
      Process p = builder.start();
      p.getOutputStream().close();
      int code = p.waitFor();
      if (code != 0) {
        throw new PartStartException(
            "cannot " + what + " (exit " + code + "); log " + log + ":\n" + PartLogs.tail(log, 30));
      }
    } catch (IOException e) {
      throw new PartStartException("cannot " + what + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PartStartException("interrupted: " + what, e);
    }
  }

  private static void unzip(Path zip, Path target) throws IOException {
    try (InputStream in = Files.newInputStream(zip);
        ZipInputStream entries = new ZipInputStream(in)) {
      for (ZipEntry entry; (entry = entries.getNextEntry()) != null; ) {
        Path out = target.resolve(entry.getName()).normalize();
        if (!out.startsWith(target)) {
          throw new IOException("zip entry escapes the target directory: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(out);
          continue;
        }
        Files.createDirectories(out.getParent());
        Files.copy(entries, out, StandardCopyOption.REPLACE_EXISTING);
        // ZipInputStream drops Unix modes; the launch scripts are the only files that must be
        // executable.
        if (out.getParent().getFileName().toString().equals("bin")
            || out.toString().endsWith(".sh")) {
          if (!out.toFile().setExecutable(true, false)) {
            throw new UncheckedIOException(new IOException("cannot make " + out + " executable"));
          }
        }
      }
    }
  }

  @Override
  public String toString() {
    return "OpenSearch " + VERSION + " at " + uri() + (secured ? " (TLS + basic auth)" : "");
  }
}

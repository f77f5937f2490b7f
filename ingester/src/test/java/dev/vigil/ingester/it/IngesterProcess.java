package dev.vigil.ingester.it;

import dev.vigil.parts.FreePorts;
import dev.vigil.parts.ManagedProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The ingester as users run it: the packaged Quarkus app ({@code
 * target/quarkus-app/quarkus-run.jar}, built by {@code package} before failsafe runs) in its own
 * JVM, configured through environment variables the way a Deployment does it.
 */
public final class IngesterProcess {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final ManagedProcess process;
  private final int port;

  private IngesterProcess(ManagedProcess process, int port) {
    this.process = process;
    this.port = port;
  }

  /** The packaged app, from the module directory (tests) or the repository root (the benchmark). */
  public static Path jar() {
    Path jar = Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      jar = Path.of("ingester/target/quarkus-app/quarkus-run.jar").toAbsolutePath();
    }
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: run `./mvnw -pl ingester package` first");
    }
    return jar;
  }

  /**
   * Starts the ingester with {@code properties} (vigil.ingester.* keys, turned into env vars) and
   * the moto credentials; does not wait for readiness.
   */
  public static IngesterProcess start(String name, Map<String, String> properties, String... jvm) {
    int port = FreePorts.next();
    Map<String, String> env = new HashMap<>();
    properties.forEach((key, value) -> env.put(envName(key), value));
    env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
    env.put("AWS_ACCESS_KEY_ID", "testing");
    env.put("AWS_SECRET_ACCESS_KEY", "testing");
    env.put("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of(jvm));
    command.add("-jar");
    command.add(jar().toString());
    ManagedProcess process = ManagedProcess.start(name, command, jar().getParent(), env);
    return new IngesterProcess(process, port);
  }

  /** {@code vigil.ingester.queues.logs.url} → {@code VIGIL_INGESTER_QUEUES_LOGS_URL}. */
  static String envName(String key) {
    return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
  }

  public IngesterProcess awaitReady(Duration timeout) {
    process.awaitReady("ready", timeout, () -> get("/q/health/ready") == 200);
    return this;
  }

  public int get(String path) {
    try {
      return HTTP.send(request(path), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  public String body(String path) {
    try {
      return HTTP.send(request(path), HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  /** The Prometheus metrics page as text. */
  public String metricsText() {
    return body("/q/metrics");
  }

  /** Sum of a Prometheus metric's samples whose line contains every one of {@code labels}. */
  public double metric(String name, String... labels) {
    double sum = 0;
    for (String line : body("/q/metrics").split("\n")) {
      if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
        continue;
      }
      boolean all = true;
      for (String label : labels) {
        all &= line.contains(label);
      }
      if (all) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  private HttpRequest request(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(5))
        .build();
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public Path log() {
    return process.log();
  }

  public String logText() {
    try {
      return Files.readString(process.log());
    } catch (IOException e) {
      return "";
    }
  }

  /** SIGKILL: a crash, nothing is released or flushed. */
  public void kill() {
    process.kill();
  }

  /** SIGTERM, as Kubernetes does, waiting up to {@code grace} before SIGKILL. */
  public void terminate(Duration grace) {
    process.stop(grace);
  }

  /** Resident memory (VmRSS) in MiB, from /proc. */
  public long rssMiB() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid() + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return -1;
  }
}

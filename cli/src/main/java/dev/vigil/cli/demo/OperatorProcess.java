package dev.vigil.cli.demo;

import dev.vigil.parts.FreePorts;
import dev.vigil.parts.KubeApiServer;
import dev.vigil.parts.ManagedProcess;
import dev.vigil.parts.MotoServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged operator as a child process, configured as on a cluster except for where things are:
 * the local API server (token + CA), the AWS emulator (endpoint, region, path-style S3, static
 * credentials) and short re-check intervals so the demo moves at a watchable pace.
 */
final class OperatorProcess implements AutoCloseable {
  private static final Pattern REGISTERED =
      Pattern.compile("Registered reconciler: '[^']*' for resource: '(?:class )?[\\w.]*\\.(\\w+)'");
  private final ManagedProcess process;
  private final URI health;

  private OperatorProcess(ManagedProcess process, URI health) {
    this.process = process;
    this.health = health;
  }

  static OperatorProcess start(Path jar, Path workDir, KubeApiServer kube, MotoServer moto) {
    int port = FreePorts.next();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>();
    command.add(java);
    command.add("-Xmx384m");
    command.add("-XX:TieredStopAtLevel=1");
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("quarkus.http.port", String.valueOf(port));
    settings.put("quarkus.kubernetes-client.api-server-url", kube.url().toString());
    settings.put("quarkus.kubernetes-client.ca-cert-file", kube.servingCertificate().toString());
    // Where a leader-election lease goes, as a pod's own namespace would say.
    settings.put("quarkus.kubernetes-client.namespace", "default");
    settings.put("vigil.operator.aws.endpoint-override", moto.endpoint().toString());
    settings.put("vigil.operator.aws.region", MotoServer.REGION.id());
    settings.put("vigil.operator.aws.s3-path-style", "true");
    settings.putAll(VigilRuntime.DEMO_SETTINGS);
    for (Map.Entry<String, String> p : settings.entrySet()) {
      command.add("-D" + p.getKey() + "=" + p.getValue());
    }
    command.add("-jar");
    command.add(jar.toString());
    try {
      Files.createDirectories(workDir);
    } catch (IOException e) {
      throw new DemoException("cannot create " + workDir, e);
    }
    ManagedProcess process =
        ManagedProcess.start(
            "operator",
            command,
            workDir,
            Map.of(
                // Secrets go through the environment, not the command line others can read.
                "QUARKUS_KUBERNETES_CLIENT_TOKEN", kube.adminToken(),
                "AWS_ACCESS_KEY_ID", "testing",
                "AWS_SECRET_ACCESS_KEY", "testing"));
    OperatorProcess operator =
        new OperatorProcess(process, URI.create("http://127.0.0.1:" + port + "/q/health/ready"));
    process.awaitReady("ready", Duration.ofSeconds(120), () -> HealthProbe.ok(operator.health));
    // Controllers are registered (and logged) before the operator starts; wait for the log line.
    process.awaitReady(
        "logging its reconcilers",
        Duration.ofSeconds(30),
        () -> !operator.reconciledKinds().isEmpty());
    return operator;
  }

  /** The kinds the operator registered a reconciler for, read from its start-up log. */
  List<String> reconciledKinds() {
    try {
      return reconciledKinds(Files.readString(process.log()));
    } catch (IOException e) {
      return List.of();
    }
  }

  /** The kinds an operator log says reconcilers were registered for. */
  static List<String> reconciledKinds(String log) {
    Matcher m = REGISTERED.matcher(log);
    List<String> kinds = new ArrayList<>();
    while (m.find()) {
      kinds.add(m.group(1));
    }
    return kinds;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  Path log() {
    return process.log();
  }

  @Override
  public void close() {
    process.stop(Duration.ofSeconds(15));
  }
}

package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.api.v1alpha1.Condition;
import dev.vigil.api.v1alpha1.LogReplay;
import dev.vigil.api.v1alpha1.LogReplaySpec;
import dev.vigil.api.v1alpha1.LogReplayStatus;
import dev.vigil.api.v1alpha1.LogTypeName;
import dev.vigil.parts.KubeApiServer;
import dev.vigil.parts.RealParts;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code vigil replay} against the real API server with Vigil's CRDs: the LogReplay it creates, the
 * API server's answer to an invalid one, and following one to its end. The test writes the status
 * as the operator would (the operator's half is LogReplayIT in the operator module).
 */
class ReplayCommandIT {
  private final KubeApiServer server = RealParts.kube();

  @Test
  void createsALogReplayFromFlagsAndFollowsItToItsEnd() throws Exception {
    try (KubernetesClient client = server.adminClient()) {
      StatusCommandIT.installCrds(client);
      namespace(client, "replay-cli");
      CompletableFuture<Result> result =
          CompletableFuture.supplyAsync(
              () ->
                  run(
                      "replay",
                      "march",
                      "--log-source",
                      "cloudtrail",
                      "--prefix",
                      "AWSLogs/123456789012/CloudTrail/",
                      "--from",
                      "2024-03-01",
                      "--to",
                      "2024-03-31",
                      "--index-prefix",
                      "audit",
                      "--wait",
                      "--timeout",
                      "60",
                      "-n",
                      "replay-cli",
                      "--kubeconfig",
                      server.kubeconfig().toString()));
      var resource = client.resources(LogReplay.class).inNamespace("replay-cli").withName("march");
      LogReplay created = resource.waitUntilCondition(r -> r != null, 30, TimeUnit.SECONDS);
      LogReplaySpec spec = created.getSpec();
      assertThat(spec.logSourceRef.name).isEqualTo("cloudtrail");
      assertThat(spec.s3).isNull();
      assertThat(spec.prefix).isEqualTo("AWSLogs/123456789012/CloudTrail/");
      assertThat(spec.from).isEqualTo("2024-03-01");
      assertThat(spec.to).isEqualTo("2024-03-31");
      assertThat(spec.indexPrefix).isEqualTo("audit");

      created.setStatus(new LogReplayStatus());
      created.getStatus().phase = LogReplayStatus.Phase.Running;
      created.getStatus().progress = new LogReplayStatus.Progress();
      created.getStatus().progress.objectsDone = 7L;
      created.getStatus().progress.lastCompletedKey = "AWSLogs/123456789012/CloudTrail/x.json.gz";
      created.getStatus().conditions.add(ready("True", "Running", "replay pod running"));
      created = client.resource(created).updateStatus();
      // The CLI prints the change before the end comes.
      created.getStatus().phase = LogReplayStatus.Phase.Succeeded;
      created.getStatus().progress.objectsDone = 31L;
      created.getStatus().conditions.set(0, ready("True", "Succeeded", "31 objects replayed"));
      awaitOutputOf(result, "Running: 7 objects done");
      client.resource(created).updateStatus();

      Result done = result.get(60, TimeUnit.SECONDS);
      assertThat(done.exit()).as(done.output()).isZero();
      assertThat(done.output())
          .contains("LogReplay replay-cli/march created")
          .contains(
              "Running: 7 objects done, through AWSLogs/123456789012/CloudTrail/x.json.gz"
                  + " (Running: replay pod running)")
          .contains("Succeeded: 31 objects done");
    }
  }

  @Test
  void anInvalidReplayIsRefusedWithTheApiServersReason(@TempDir Path dir) throws Exception {
    try (KubernetesClient client = server.adminClient()) {
      StatusCommandIT.installCrds(client);
      namespace(client, "replay-invalid");
    }
    String kubeconfig = server.kubeconfig().toString();
    Result backwards =
        run(
            "replay",
            "backwards",
            "--bucket",
            "archive",
            "--from",
            "2024-03-31",
            "--to",
            "2024-03-01",
            "-n",
            "replay-invalid",
            "--kubeconfig",
            kubeconfig);
    assertThat(backwards.exit()).as(backwards.output()).isEqualTo(ExitCodes.USAGE);
    assertThat(backwards.output()).contains("to must be the same day as from or later");

    Path manifest = dir.resolve("both.yaml");
    Files.writeString(
        manifest,
        """
        apiVersion: siem.vigil.dev/v1alpha1
        kind: LogReplay
        metadata: {name: both}
        spec:
          logSourceRef: {name: waf}
          s3: {bucket: archive}
          from: 2024-03-01
          to: 2024-03-31
        """);
    Result both =
        run(
            "replay",
            "-f",
            manifest.toString(),
            "-n",
            "replay-invalid",
            "--kubeconfig",
            kubeconfig);
    assertThat(both.exit()).as(both.output()).isEqualTo(ExitCodes.USAGE);
    assertThat(both.output()).contains("name exactly one of logSourceRef");
  }

  @Test
  void followsAnExistingReplayAndPrintsItsEndAsJson() throws Exception {
    try (KubernetesClient client = server.adminClient()) {
      StatusCommandIT.installCrds(client);
      namespace(client, "replay-json");
      LogReplay replay = new LogReplay();
      replay.getMetadata().setName("broken");
      replay.getMetadata().setNamespace("replay-json");
      replay.setSpec(new LogReplaySpec());
      replay.getSpec().s3 = new LogReplaySpec.Location();
      replay.getSpec().s3.bucket = "archive";
      replay.getSpec().from = "2024-01-01";
      replay.getSpec().to = "2024-01-02";
      replay.getSpec().logType = LogTypeName.waf;
      replay = client.resource(replay).create();
      replay.setStatus(new LogReplayStatus());
      replay.getStatus().phase = LogReplayStatus.Phase.Failed;
      replay.getStatus().jobName = "vigil-replay-broken";
      replay
          .getStatus()
          .conditions
          .add(ready("False", "JobFailed", "Job failed: BackoffLimitExceeded"));
      client.resource(replay).updateStatus();
    }

    Result result =
        run(
            "replay",
            "broken",
            "--wait",
            "-o",
            "json",
            "-n",
            "replay-json",
            "--kubeconfig",
            server.kubeconfig().toString());
    assertThat(result.exit()).as(result.output()).isEqualTo(ExitCodes.NOT_OK);
    JsonNode json = new ObjectMapper().readTree(result.output());
    assertThat(json.path("phase").asText()).isEqualTo("Failed");
    assertThat(json.path("job").asText()).isEqualTo("vigil-replay-broken");
    assertThat(json.path("reason").asText()).isEqualTo("JobFailed");

    Result missing =
        run(
            "replay",
            "nothing",
            "--wait",
            "-n",
            "replay-json",
            "--kubeconfig",
            server.kubeconfig().toString());
    assertThat(missing.exit()).isEqualTo(ExitCodes.NOT_FOUND);
  }

  /** Waits until the command's output (written as it goes) holds {@code text}. */
  private void awaitOutputOf(CompletableFuture<Result> result, String text) {
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(30))
        .until(() -> live.toString().contains(text) || result.isDone());
    assertThat(live.toString()).contains(text);
  }

  private static Condition ready(String status, String reason, String message) {
    Condition condition = new Condition();
    condition.setType("Ready");
    condition.setStatus(status);
    condition.setReason(reason);
    condition.setMessage(message);
    condition.setLastTransitionTime("2026-12-06T10:00:00Z");
    return condition;
  }

  private record Result(int exit, String output) {}

  /** What the command has written so far (the last run's). */
  private final StringBuffer live = new StringBuffer();

  private Result run(String... args) {
    StringWriter output =
        new StringWriter() {
          @Override
          public void write(String str, int off, int len) {
            super.write(str, off, len);
            live.append(str, off, off + len);
          }
        };
    live.setLength(0);
    CommandLine cli = VigilCommand.commandLine();
    cli.setOut(new PrintWriter(output, true));
    cli.setErr(new PrintWriter(output, true));
    int exit = cli.execute(args);
    return new Result(exit, output.toString());
  }

  private static void namespace(KubernetesClient client, String name) {
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .serverSideApply();
  }
}

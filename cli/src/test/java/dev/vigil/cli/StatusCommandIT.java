package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.vigil.api.v1alpha1.Condition;
import dev.vigil.api.v1alpha1.DetectionRule;
import dev.vigil.api.v1alpha1.DetectionRuleSpec;
import dev.vigil.api.v1alpha1.OpenSearchConnection;
import dev.vigil.api.v1alpha1.OpenSearchConnectionSpec;
import dev.vigil.api.v1alpha1.OpenSearchConnectionStatus;
import dev.vigil.api.v1alpha1.SnapshotPolicy;
import dev.vigil.api.v1alpha1.SnapshotPolicySpec;
import dev.vigil.api.v1alpha1.SnapshotPolicyStatus.RestoreStatus;
import dev.vigil.parts.FreePorts;
import dev.vigil.parts.KubeApiServer;
import dev.vigil.parts.RealParts;
import dev.vigil.parts.VigilCrds;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code vigil status}, {@code vigil restore} and {@code vigil ack} against the real API server
 * with Vigil's CRDs: what a user sees with a kubeconfig.
 */
class StatusCommandIT {
  private final KubeApiServer server = RealParts.kube();

  @Test
  void summarizesTheReadyConditionOfEveryVigilResourceInTheNamespace() throws IOException {
    try (KubernetesClient client = server.adminClient()) {
      installCrds(client);
      namespace(client, "status-mixed");
      OpenSearchConnection connection = new OpenSearchConnection();
      connection.getMetadata().setName("default");
      connection.getMetadata().setNamespace("status-mixed");
      connection.setSpec(new OpenSearchConnectionSpec());
      connection.getSpec().endpoint = "https://search.example:443";
      connection = client.resource(connection).create();
      connection.setStatus(new OpenSearchConnectionStatus());
      connection.getStatus().observedGeneration = 1L;
      connection.getStatus().conditions.add(ready("True", "Connected", "OpenSearch 2.19.4"));
      client.resource(connection).updateStatus();

      SnapshotPolicy policy = new SnapshotPolicy();
      policy.getMetadata().setName("nightly");
      policy.getMetadata().setNamespace("status-mixed");
      policy.setSpec(new SnapshotPolicySpec());
      policy.getSpec().schedule = "0 3 * * *";
      policy.getSpec().repository = new SnapshotPolicySpec.Repository();
      policy.getSpec().repository.name = "snapshots";
      policy.getSpec().repository.type = SnapshotPolicySpec.RepositoryType.Fs;
      policy.getSpec().repository.fs = new SnapshotPolicySpec.FsRepository();
      policy.getSpec().repository.fs.location = "/snapshots";
      client.resource(policy).create();
    }

    Result result =
        run("status", "-n", "status-mixed", "--kubeconfig", server.kubeconfig().toString());
    assertThat(result.exit()).as(result.output()).isEqualTo(1);
    assertThat(result.output())
        .containsPattern("OpenSearchConnection +default +True +Connected +OpenSearch 2.19.4")
        .containsPattern(
            "SnapshotPolicy +nightly +Unknown +NoStatus +the operator has not reported")
        .contains("1/2 Ready");

    for (String format : List.of("json", "yaml")) {
      Result structured =
          run(
              "status",
              "-n",
              "status-mixed",
              "-o",
              format,
              "--kubeconfig",
              server.kubeconfig().toString());
      assertThat(structured.exit()).as(format + " keeps the exit code").isEqualTo(1);
      JsonNode rows =
          (format.equals("json") ? new ObjectMapper() : new ObjectMapper(new YAMLFactory()))
              .readTree(structured.output());
      assertThat(rows).as(structured.output()).hasSize(2);
      assertThat(rows.findValuesAsText("kind"))
          .containsExactlyInAnyOrder("OpenSearchConnection", "SnapshotPolicy");
      assertThat(rows.findValuesAsText("ready")).containsExactlyInAnyOrder("True", "Unknown");
      assertThat(rows.findValuesAsText("namespace")).containsOnly("status-mixed");
    }
  }

  @Test
  void anUnreachableClusterExitsThree(@TempDir Path dir) throws IOException {
    Path kubeconfig = dir.resolve("kubeconfig");
    String unreachable = "https://127.0.0.1:" + FreePorts.next();
    Files.writeString(
        kubeconfig,
        Files.readString(server.kubeconfig())
            .replaceAll("server: *https://[^\\s]+", "server: " + unreachable));
    Result result = run("status", "-n", "x", "--kubeconfig", kubeconfig.toString());
    assertThat(result.exit()).as(result.output()).isEqualTo(3);
    // Where it went and why, not only the client's "An error has occurred."
    assertThat(result.output())
        .contains("cannot read Vigil resources")
        .contains("API server " + unreachable)
        .contains("Connect");
  }

  @Test
  void anEmptyNamespaceIsAllGood() {
    try (KubernetesClient client = server.adminClient()) {
      installCrds(client);
      namespace(client, "status-empty");
    }
    Result result =
        run("status", "-n", "status-empty", "--kubeconfig", server.kubeconfig().toString());
    assertThat(result.exit()).isZero();
    assertThat(result.output()).contains("No Vigil resources in namespace status-empty");
  }

  @Test
  void restoreOfAMissingPolicyNamesIt() {
    try (KubernetesClient client = server.adminClient()) {
      installCrds(client);
      namespace(client, "status-empty");
    }
    Result result =
        run(
            "restore",
            "--policy",
            "nope",
            "--date",
            "2026-11-01",
            "-n",
            "status-empty",
            "--kubeconfig",
            server.kubeconfig().toString());
    assertThat(result.exit()).as("not found").isEqualTo(5);
    assertThat(result.output()).contains("SnapshotPolicy status-empty/nope not found");
  }

  /**
   * The CLI's half of the restore protocol: it annotates the policy and waits for the answer with
   * its request id. The test writes that answer as the operator would (the operator's half is
   * SnapshotPolicyIT in the operator module).
   */
  @Test
  void restoreAnnotatesThePolicyAndReportsTheAnswerToItsOwnRequest() throws Exception {
    try (KubernetesClient client = server.adminClient()) {
      installCrds(client);
      namespace(client, "restore-cli");
      SnapshotPolicy policy = new SnapshotPolicy();
      policy.getMetadata().setName("nightly");
      policy.getMetadata().setNamespace("restore-cli");
      policy.setSpec(new SnapshotPolicySpec());
      policy.getSpec().schedule = "0 3 * * *";
      policy.getSpec().repository = new SnapshotPolicySpec.Repository();
      policy.getSpec().repository.name = "snapshots";
      policy.getSpec().repository.type = SnapshotPolicySpec.RepositoryType.Fs;
      policy.getSpec().repository.fs = new SnapshotPolicySpec.FsRepository();
      policy.getSpec().repository.fs.location = "/snapshots";
      policy
          .getMetadata()
          .setAnnotations(java.util.Map.of(SnapshotPolicy.RESTORE_INDICES_ANNOTATION, "waf"));
      policy = client.resource(policy).create();
      // An older answer for the same day must not be taken for this request's.
      policy.setStatus(new dev.vigil.api.v1alpha1.SnapshotPolicyStatus());
      policy.getStatus().lastRestore = new RestoreStatus();
      policy.getStatus().lastRestore.date = "2026-11-01";
      policy.getStatus().lastRestore.request = "older";
      policy.getStatus().lastRestore.state = "Failed";
      client.resource(policy).updateStatus();

      var result =
          java.util.concurrent.CompletableFuture.supplyAsync(
              () ->
                  run(
                      "restore",
                      "--policy",
                      "nightly",
                      "--date",
                      "2026-11-01",
                      "--indices",
                      "cloudtrail",
                      "--timeout",
                      "60",
                      "-n",
                      "restore-cli",
                      "--kubeconfig",
                      server.kubeconfig().toString()));
      var resource =
          client.resources(SnapshotPolicy.class).inNamespace("restore-cli").withName("nightly");
      SnapshotPolicy annotated =
          resource.waitUntilCondition(
              p ->
                  p.getMetadata()
                      .getAnnotations()
                      .containsKey(SnapshotPolicy.RESTORE_REQUEST_ANNOTATION),
              30,
              TimeUnit.SECONDS);
      var annotations = annotated.getMetadata().getAnnotations();
      assertThat(annotations)
          .containsEntry(SnapshotPolicy.RESTORE_ANNOTATION, "2026-11-01")
          .containsEntry(SnapshotPolicy.RESTORE_INDICES_ANNOTATION, "cloudtrail");
      RestoreStatus answer = new RestoreStatus();
      answer.date = "2026-11-01";
      answer.indices = "cloudtrail";
      answer.request = annotations.get(SnapshotPolicy.RESTORE_REQUEST_ANNOTATION);
      answer.state = "Restored";
      answer.message =
          "restored 1 index(es) of 2026-11-01 from vigil-restore-cli-nightly-2026.11.02-03.00";
      answer.restoredIndices = List.of("restored-vigil-cloudtrail-2026.11.01");
      annotated.getStatus().lastRestore = answer;
      client.resource(annotated).updateStatus();

      Result done = result.get(60, TimeUnit.SECONDS);
      assertThat(done.exit()).as(done.output()).isZero();
      assertThat(done.output())
          .contains("Restored: restored 1 index(es) of 2026-11-01")
          .contains("  restored-vigil-cloudtrail-2026.11.01");
    }
  }

  @Test
  void ackAddsAlertIdsToTheRuleKeepingThoseAlreadyThere() {
    try (KubernetesClient client = server.adminClient()) {
      installCrds(client);
      namespace(client, "ack-cli");
      DetectionRule rule = new DetectionRule();
      rule.getMetadata().setName("root-login");
      rule.getMetadata().setNamespace("ack-cli");
      rule.getMetadata()
          .setAnnotations(java.util.Map.of(DetectionRule.ACKNOWLEDGE_ANNOTATION, "first"));
      rule.setSpec(new DetectionRuleSpec());
      rule.getSpec().severity = 1;
      rule.getSpec().logType = dev.vigil.api.v1alpha1.LogTypeName.cloudtrail;
      rule.getSpec().query = "user.name:root";
      client.resource(rule).create();

      String kubeconfig = server.kubeconfig().toString();
      Result added =
          run("ack", "root-login", "second", "first", "-n", "ack-cli", "--kubeconfig", kubeconfig);
      assertThat(added.exit()).as(added.output()).isZero();
      assertThat(added.output()).contains("1 alert id(s) added, 2 to acknowledge");
      assertThat(
              client
                  .resources(DetectionRule.class)
                  .inNamespace("ack-cli")
                  .withName("root-login")
                  .get()
                  .getMetadata()
                  .getAnnotations())
          .containsEntry(DetectionRule.ACKNOWLEDGE_ANNOTATION, "first,second");

      Result missing = run("ack", "no-such-rule", "x", "-n", "ack-cli", "--kubeconfig", kubeconfig);
      assertThat(missing.exit()).as("not found").isEqualTo(5);
      assertThat(missing.output()).contains("DetectionRule ack-cli/no-such-rule not found");
    }
  }

  private static Condition ready(String status, String reason, String message) {
    Condition condition = new Condition();
    condition.setType("Ready");
    condition.setStatus(status);
    condition.setReason(reason);
    condition.setMessage(message);
    condition.setLastTransitionTime("2026-11-27T10:00:00Z");
    return condition;
  }

  private record Result(int exit, String output) {}

  private static Result run(String... args) {
    StringWriter output = new StringWriter();
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

  /** The committed CRDs, as users install them. */
  static void installCrds(KubernetesClient client) {
    VigilCrds.install(client, Path.of("").toAbsolutePath().getParent().resolve("crds"));
  }
}

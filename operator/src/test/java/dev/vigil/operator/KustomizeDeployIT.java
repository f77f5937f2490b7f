package dev.vigil.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.parts.KubeApiServer;
import dev.vigil.testing.RealPartsExtension;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The kustomize overlays render and the real API server accepts every object (kubectl's server-side
 * dry run).
 */
@ExtendWith(RealPartsExtension.class)
class KustomizeDeployIT {

  @ParameterizedTest
  @ValueSource(strings = {"kind", "eks"})
  void overlayIsAcceptedByTheApiServer(String overlay, KubeApiServer server) throws Exception {
    try (KubernetesClient client = server.adminClient()) {
      // A dry run creates nothing, so the namespace the overlay's objects live in must already
      // exist.
      client
          .namespaces()
          .resource(
              new NamespaceBuilder()
                  .withNewMetadata()
                  .withName("vigil-system")
                  .endMetadata()
                  .build())
          .serverSideApply();
    }
    String path =
        KubeApiServerResource.repositoryRoot()
            .resolve("deploy/kustomize/overlays/" + overlay)
            .toString();
    Result result =
        run(
            List.of(
                server.kubectl().toString(),
                "--kubeconfig",
                server.kubeconfig().toString(),
                "apply",
                "-k",
                path,
                "--dry-run=server"));

    assertThat(result.exit()).as(result.output()).isZero();
    // Other tests in this JVM may have installed the CRDs already: then they are "configured", not
    // "created".
    for (String object :
        List.of(
            "customresourcedefinition.apiextensions.k8s.io/logsources.siem.vigil.dev",
            "deployment.apps/vigil-operator",
            "clusterrole.rbac.authorization.k8s.io/vigil-operator",
            "serviceaccount/vigil-operator")) {
      assertThat(result.output())
          .containsPattern(
              java.util.regex.Pattern.quote(object)
                  + " (created|configured|unchanged) \\(server dry run\\)");
    }
  }

  @org.junit.jupiter.api.Test
  void monitoringComponentAddsServiceMonitorPodMonitorAndAlertRules(KubeApiServer server)
      throws Exception {
    // The Prometheus Operator CRDs are not installed here: render with kubectl's kustomize only.
    String path =
        KubeApiServerResource.repositoryRoot()
            .resolve("deploy/kustomize/overlays/kind-monitoring")
            .toString();
    Result result = run(List.of(server.kubectl().toString(), "kustomize", path));
    assertThat(result.exit()).as(result.output()).isZero();
    assertThat(result.output())
        .contains("kind: ServiceMonitor")
        .contains("kind: PodMonitor")
        .contains("kind: PrometheusRule")
        .contains("alert: VigilSnapshotOverdue")
        .contains("namespace: vigil-system")
        .contains("kind: Deployment");
  }

  /**
   * The policies component (the operator's PodDisruptionBudget and NetworkPolicy) on the eks
   * overlay: the real API server accepts both (server-side dry run; nothing here enforces the
   * NetworkPolicy).
   */
  @org.junit.jupiter.api.Test
  void policiesComponentIsAcceptedWithTheEksOverlay(KubeApiServer server) throws Exception {
    try (KubernetesClient client = server.adminClient()) {
      client
          .namespaces()
          .resource(
              new NamespaceBuilder()
                  .withNewMetadata()
                  .withName("vigil-system")
                  .endMetadata()
                  .build())
          .serverSideApply();
    }
    Path root = KubeApiServerResource.repositoryRoot();
    Path overlay = Files.createTempDirectory(Path.of("target"), "policies-").toAbsolutePath();
    Files.writeString(
        overlay.resolve("kustomization.yaml"),
        """
        resources: [%s]
        components: [%s]
        """
            .formatted(
                overlay.relativize(root.resolve("deploy/kustomize/overlays/eks")),
                overlay.relativize(root.resolve("deploy/kustomize/components/policies"))));
    Result result =
        run(
            List.of(
                server.kubectl().toString(),
                "--kubeconfig",
                server.kubeconfig().toString(),
                "apply",
                "-k",
                overlay.toString(),
                "--dry-run=server"));
    assertThat(result.exit()).as(result.output()).isZero();
    assertThat(result.output())
        .contains("poddisruptionbudget.policy/vigil-operator created (server dry run)")
        .contains("networkpolicy.networking.k8s.io/vigil-operator created (server dry run)")
        .contains("deployment.apps/vigil-operator");
  }

  /**
   * kustomize's {@code images:} sets the operator's image and the ingester image it runs (the env
   * var VIGIL_OPERATOR_INGESTERS_IMAGE, rewritten through the base's image-fields.yaml): the kind
   * overlay names this build's tags, and a user's overlay can move both to another registry.
   */
  @org.junit.jupiter.api.Test
  void imagesEntriesSetTheOperatorAndIngesterImages(KubeApiServer server) throws Exception {
    String version = System.getProperty("vigil.version");
    Path root = KubeApiServerResource.repositoryRoot();
    assertThat(renderedImages(server, root.resolve("deploy/kustomize/overlays/kind")))
        .containsExactly(
            "ghcr.io/vigil-siem/vigil-operator:" + version,
            "ghcr.io/vigil-siem/vigil-ingester:" + version);

    Path overlay = Files.createTempDirectory(Path.of("target"), "overlay-").toAbsolutePath();
    Files.writeString(
        overlay.resolve("kustomization.yaml"),
        """
        resources: [%s]
        images:
          - name: ghcr.io/vigil-siem/vigil-operator
            newName: registry.example/vigil/vigil-operator
          - name: ghcr.io/vigil-siem/vigil-ingester
            newName: registry.example/vigil/vigil-ingester
            newTag: "1.2.3"
        """
            .formatted(overlay.relativize(root.resolve("deploy/kustomize/overlays/eks"))));
    assertThat(renderedImages(server, overlay))
        .containsExactly(
            "registry.example/vigil/vigil-operator:" + version.replace("-SNAPSHOT", ""),
            "registry.example/vigil/vigil-ingester:1.2.3");
  }

  /** The operator container's image and its VIGIL_OPERATOR_INGESTERS_IMAGE, as rendered. */
  private static List<String> renderedImages(KubeApiServer server, Path kustomization)
      throws Exception {
    Result result =
        run(List.of(server.kubectl().toString(), "kustomize", kustomization.toString()));
    assertThat(result.exit()).as(result.output()).isZero();
    Deployment deployment;
    try (KubernetesClient client = server.adminClient()) {
      deployment =
          client
              .load(
                  new java.io.ByteArrayInputStream(
                      result.output().getBytes(StandardCharsets.UTF_8)))
              .items()
              .stream()
              .filter(Deployment.class::isInstance)
              .map(Deployment.class::cast)
              .findFirst()
              .orElseThrow();
    }
    Container operator = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    String ingester =
        operator.getEnv().stream()
            .filter(e -> e.getName().equals("VIGIL_OPERATOR_INGESTERS_IMAGE"))
            .findFirst()
            .orElseThrow()
            .getValue();
    return List.of(operator.getImage(), ingester);
  }

  private record Result(int exit, String output) {}

  private static Result run(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Result(process.exitValue(), output);
  }
}

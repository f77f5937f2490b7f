package dev.vigil.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.parts.GoTools;
import dev.vigil.parts.KubeNode;
import dev.vigil.testing.RealPartsExtension;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Helm chart on the real node, as a user runs it: {@code helm install} brings the operator up
 * Ready from this build's images, {@code helm upgrade} rolls out changed values — here the move to
 * namespace-scoped RBAC (Roles only), under which the operator still reconciles and reports — and
 * {@code helm uninstall} removes the operator and its RBAC and leaves the CRDs (as Helm does for
 * crds/). A release of its own, watching only its namespace, so that it never touches what other
 * node tests installed with kustomize.
 */
@ExtendWith(RealPartsExtension.class)
class HelmOnNodeIT {
  private static final String RELEASE = "vigil-helm";
  private static final String NAMESPACE = "vigil-helm";

  @Test
  void installUpgradeUninstall(KubeNode node) throws Exception {
    DemoLayout layout = DemoLayout.find(Path.of("target/helm-on-node"));
    node.importImage(layout.operatorImage());
    node.importImage(layout.ingesterImage());
    String version = System.getProperty("vigil.version");
    Path values = Files.createDirectories(Path.of("target/helm-on-node")).resolve("values.yaml");
    Files.writeString(
        values,
        """
        image:
          operator: {tag: "%1$s"}
          ingester: {tag: "%1$s"}
        operator:
          watchNamespaces: [%2$s]
          env:
            - {name: VIGIL_OPERATOR_AWS_REGION, value: us-east-1}
            # Statuses read into metrics every 5 s (default 30 s) for the metrics check below.
            - {name: VIGIL_OPERATOR_STATUS_METRICS_INTERVAL, value: 5s}
        """
            .formatted(version, NAMESPACE));
    String chart = layout.root().resolve("deploy/helm/vigil").toString();

    try (KubernetesClient client = node.api().adminClient()) {
      helm(
          node,
          "install",
          RELEASE,
          chart,
          "--namespace",
          NAMESPACE,
          "--create-namespace",
          "--values",
          values.toString(),
          "--wait",
          "--timeout",
          "5m");
      awaitOperatorReady(client);
      assertThat(
              operator(client).getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
          .isEqualTo("ghcr.io/vigil-siem/vigil-operator:" + version);
      assertThat(client.rbac().clusterRoles().withName(RELEASE + "-operator").get()).isNotNull();

      helm(
          node,
          "upgrade",
          RELEASE,
          chart,
          "--namespace",
          NAMESPACE,
          "--values",
          values.toString(),
          "--set",
          "operator.resources.limits.memory=640Mi",
          "--set",
          "operator.rbac.scope=Namespaces",
          "--wait",
          "--timeout",
          "5m");
      awaitOperatorReady(client);
      assertThat(client.rbac().clusterRoles().withName(RELEASE + "-operator").get())
          .as("namespace-scoped: nothing cluster-wide")
          .isNull();
      assertThat(client.rbac().roles().inNamespace(NAMESPACE).withName(RELEASE + "-operator").get())
          .isNotNull();
      reconcilesAndReportsWithRolesOnly(client, node);
      assertThat(
              operator(client)
                  .getSpec()
                  .getTemplate()
                  .getSpec()
                  .getContainers()
                  .get(0)
                  .getResources()
                  .getLimits()
                  .get("memory")
                  .toString())
          .isEqualTo("640Mi");
      assertThat(helm(node, "history", RELEASE, "--namespace", NAMESPACE, "--max", "5"))
          .contains("Install complete")
          .contains("Upgrade complete");

      helm(node, "uninstall", RELEASE, "--namespace", NAMESPACE, "--wait", "--timeout", "3m");
      assertThat(operator(client)).isNull();
      assertThat(client.rbac().clusterRoles().withName(RELEASE + "-operator").get()).isNull();
      assertThat(
              client
                  .apiextensions()
                  .v1()
                  .customResourceDefinitions()
                  .withName("logsources.siem.vigil.dev")
                  .get())
          .as("Helm leaves the CRDs of crds/")
          .isNotNull();
    }
  }

  /**
   * An OpenSearchConnection (to a closed port) gets its Ready condition and its health metric from
   * the operator restarted under the Roles, and the operator's log has no {@code forbidden}: the
   * informers, status patches, Events and the metrics' listing all stay inside the namespace.
   */
  private static void reconcilesAndReportsWithRolesOnly(KubernetesClient client, KubeNode node) {
    GenericKubernetesResource connection =
        client
            .getKubernetesSerialization()
            .unmarshal(
                """
                apiVersion: siem.vigil.dev/v1alpha1
                kind: OpenSearchConnection
                metadata: {name: default, namespace: %s}
                spec: {endpoint: "http://127.0.0.1:9"}
                """
                    .formatted(NAMESPACE),
                GenericKubernetesResource.class);
    client.resource(connection).create();
    await("the OpenSearchConnection reconciled under Roles")
        .atMost(Duration.ofMinutes(2))
        .until(
            () -> {
              GenericKubernetesResource current = client.resource(connection).get();
              Object conditions = current.get("status", "conditions");
              return conditions != null && conditions.toString().contains("type=Ready");
            });
    Pod pod =
        client
            .pods()
            .inNamespace(NAMESPACE)
            .withLabel("app.kubernetes.io/name", "vigil-operator")
            .list()
            .getItems()
            .stream()
            .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
            .findFirst()
            .orElseThrow();
    await("vigil_resource_ready of the connection on the operator's metrics")
        .atMost(Duration.ofMinutes(1))
        // a scrape that times out on a loaded node is asked again, not a failure
        .ignoreExceptionsInstanceOf(HttpTimeoutException.class)
        .until(
            () ->
                metrics(pod)
                    .contains(
                        "vigil_resource_ready{kind=\"OpenSearchConnection\",name=\"default\",namespace=\""
                            + NAMESPACE
                            + "\"}"));
    assertThat(node.podLogs(NAMESPACE, "vigil-operator"))
        .as("the operator's log under namespace-scoped RBAC")
        .doesNotContainIgnoringCase("forbidden");
    client.resource(connection).delete();
    await("the connection's finalizer removed by the operator")
        .atMost(Duration.ofMinutes(1))
        .until(() -> client.resource(connection).get() == null);
  }

  private static String metrics(Pod pod) throws IOException, InterruptedException {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(
                    URI.create("http://" + pod.getStatus().getPodIP() + ":8080/q/metrics"))
                .timeout(Duration.ofSeconds(3))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private static Deployment operator(KubernetesClient client) {
    return client.apps().deployments().inNamespace(NAMESPACE).withName("vigil-operator").get();
  }

  private static void awaitOperatorReady(KubernetesClient client) {
    await("operator Deployment rolled out and Ready")
        .atMost(Duration.ofMinutes(4))
        .until(
            () -> {
              Deployment d = operator(client);
              return d != null
                  && d.getStatus() != null
                  && d.getStatus().getObservedGeneration() != null
                  && d.getStatus().getObservedGeneration() >= d.getMetadata().getGeneration()
                  && d.getStatus().getUpdatedReplicas() != null
                  && d.getStatus().getUpdatedReplicas() == 1
                  && d.getStatus().getReadyReplicas() != null
                  && d.getStatus().getReadyReplicas() == 1
                  && (d.getStatus().getReplicas() == null || d.getStatus().getReplicas() == 1);
            });
  }

  private static String helm(KubeNode node, String... args) {
    List<String> command = new ArrayList<>(List.of(GoTools.helm().toString()));
    command.addAll(List.of(args));
    command.addAll(List.of("--kubeconfig", node.api().kubeconfig().toString()));
    GoTools.Result result = GoTools.run(command, "");
    assertThat(result.exit())
        .as("helm " + String.join(" ", args) + "\n" + result.output())
        .isZero();
    return result.stdout();
  }
}

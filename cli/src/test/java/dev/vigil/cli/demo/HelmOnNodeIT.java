package dev.vigil.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.testing.GoTools;
import dev.vigil.testing.KubeNode;
import dev.vigil.testing.RealPartsExtension;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Helm chart on the real node, as a user runs it: {@code helm install} brings the operator up
 * Ready from this build's images, {@code helm upgrade} rolls out a changed value, {@code helm
 * uninstall} removes the operator and its cluster-scoped RBAC and leaves the CRDs (as Helm does for
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
          "--wait",
          "--timeout",
          "5m");
      awaitOperatorReady(client);
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

package dev.vigil.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.parts.KubeNode;
import dev.vigil.parts.Tls;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The node runs pods for real: a Deployment becomes running, ready pods on the pod network (the
 * controller-manager, scheduler, kubelet, containerd, runc and CNI all took part), and the {@code
 * kubernetes} Service's ClusterIP reaches the API server through kube-proxy's rules.
 */
@ExtendWith(RealPartsExtension.class)
class KubeNodeSmokeIT {
  @Test
  void aDeploymentBecomesReadyPodsOnThePodNetwork(KubeNode node) {
    try (KubernetesClient client = node.api().adminClient()) {
      Map<String, String> labels = Map.of("app", "smoke");
      Deployment deployment =
          new DeploymentBuilder()
              .withNewMetadata()
              .withName("smoke")
              .withNamespace("default")
              .endMetadata()
              .withNewSpec()
              .withReplicas(2)
              .withNewSelector()
              .withMatchLabels(labels)
              .endSelector()
              .withNewTemplate()
              .withNewMetadata()
              .withLabels(labels)
              .endMetadata()
              .withNewSpec()
              .addNewContainer()
              .withName("pause")
              .withImage("registry.k8s.io/pause:3.10.1")
              .withImagePullPolicy("Never")
              .withNewSecurityContext()
              .withRunAsNonRoot(true)
              .withReadOnlyRootFilesystem(true)
              .withAllowPrivilegeEscalation(false)
              .endSecurityContext()
              .endContainer()
              .endSpec()
              .endTemplate()
              .endSpec()
              .build();
      client.apps().deployments().resource(deployment).create();

      await()
          .atMost(Duration.ofMinutes(2))
          .until(
              () ->
                  client.pods().inNamespace("default").withLabels(labels).list().getItems().stream()
                          .filter(KubeNodeSmokeIT::ready)
                          .count()
                      == 2);
      List<Pod> pods = client.pods().inNamespace("default").withLabels(labels).list().getItems();
      assertThat(pods)
          .allSatisfy(
              pod -> {
                assertThat(pod.getSpec().getNodeName()).isEqualTo(KubeNode.NODE_NAME);
                assertThat(pod.getStatus().getPodIP()).startsWith("10.244.0.");
              });
      assertThat(pods.get(0).getStatus().getPodIP())
          .isNotEqualTo(pods.get(1).getStatus().getPodIP());
      client.apps().deployments().resource(deployment).delete();
    }
  }

  @Test
  void theKubernetesServiceReachesTheApiServerThroughKubeProxy(KubeNode node) throws Exception {
    String clusterIp;
    try (KubernetesClient client = node.api().adminClient()) {
      clusterIp =
          client
              .services()
              .inNamespace("default")
              .withName("kubernetes")
              .get()
              .getSpec()
              .getClusterIP();
    }
    HttpClient http =
        HttpClient.newBuilder().sslContext(Tls.trusting(node.api().servingCertificate())).build();
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create("https://" + clusterIp + ":443/readyz"))
                .header("Authorization", "Bearer " + node.api().adminToken())
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
  }

  private static boolean ready(Pod pod) {
    return pod.getStatus() != null
        && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }
}

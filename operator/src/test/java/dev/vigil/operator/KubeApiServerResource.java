package dev.vigil.operator;

import dev.vigil.parts.KubeApiServer;
import dev.vigil.parts.RealParts;
import dev.vigil.parts.VigilCrds;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Points the operator's Kubernetes client at the real kube-apiserver of the test harness, with the
 * committed CRDs from {@code crds/} installed first (what users install is what is tested).
 */
public class KubeApiServerResource implements QuarkusTestResourceLifecycleManager {
  @Override
  public Map<String, String> start() {
    KubeApiServer server = RealParts.kube();
    try (KubernetesClient client = server.adminClient()) {
      installCrds(client);
    }
    return Map.of(
        "quarkus.kubernetes-client.api-server-url", server.url().toString(),
        "quarkus.kubernetes-client.token", server.adminToken(),
        "quarkus.kubernetes-client.ca-cert-file", server.servingCertificate().toString(),
        "quarkus.kubernetes-client.namespace", "default");
  }

  /** Applies every CRD in {@code crds/} and waits until the API server serves it. */
  public static List<CustomResourceDefinition> installCrds(KubernetesClient client) {
    return VigilCrds.install(client, repositoryRoot().resolve("crds"));
  }

  public static Path repositoryRoot() {
    return dev.vigil.testing.RepositoryRoot.find();
  }

  @Override
  public void stop() {
    // The server is shared by the JVM and stopped when it exits.
  }
}

package dev.vigil.operator;

import dev.vigil.testing.KubeApiServer;
import dev.vigil.testing.RealParts;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Points the operator's Kubernetes client at the real kube-apiserver of the test harness. */
public class KubeApiServerResource implements QuarkusTestResourceLifecycleManager {
  @Override
  public Map<String, String> start() {
    KubeApiServer server = RealParts.kube();
    return Map.of(
        "quarkus.kubernetes-client.api-server-url", server.url().toString(),
        "quarkus.kubernetes-client.token", server.adminToken(),
        "quarkus.kubernetes-client.ca-cert-file", server.servingCertificate().toString(),
        "quarkus.kubernetes-client.namespace", "default");
  }

  @Override
  public void stop() {
    // The server is shared by the JVM and stopped when it exits.
  }
}

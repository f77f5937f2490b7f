package dev.vigil.operator.faults;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.api.v1alpha1.ConnectionRef;
import dev.vigil.api.v1alpha1.DetectionRule;
import dev.vigil.api.v1alpha1.DetectionRuleSpec;
import dev.vigil.api.v1alpha1.LogTypeName;
import dev.vigil.operator.KubeApiServerResource;
import dev.vigil.operator.LeaderElection;
import dev.vigil.operator.Leadership;
import dev.vigil.operator.TestNamespace;
import dev.vigil.operator.detection.DetectionScheduler;
import dev.vigil.parts.KubeApiServer;
import dev.vigil.parts.RealParts;
import dev.vigil.testing.GateProxy;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The leader whose API server is gone for longer than the renew deadline (the real kube-apiserver
 * behind a {@link GateProxy} that refuses connections): it loses the lease but keeps running —
 * controllers paused, the built-in engine's schedule emptied — and once the API server is back it
 * wins the lease again and reconciles everything, including a rule created while it was cut off.
 */
@QuarkusTest
@TestProfile(LeaseLossIT.Gated.class)
class LeaseLossIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final String NAMESPACE = "lease-loss";

  // Set by GatedKube (a test resource may live in another class loader: no static handover).
  GateProxy gate;

  @Inject DetectionScheduler scheduler;
  @Inject Leadership leadership;

  @Test
  void aLeaderCutOffLongerThanItsRenewDeadlineLeadsAgainOnceTheApiServerIsBack()
      throws IOException {
    try (KubernetesClient admin = RealParts.kube().adminClient()) {
      await().atMost(TIMEOUT).until(leadership::isLeading);
      assertThat(metric("vigil_operator_leader")).isEqualTo(1);
      String holder = holder(admin);
      TestNamespace.withConnection(admin, NAMESPACE, RealParts.openSearch().uri().toString());
      admin.resource(rule("before")).create();
      await().atMost(TIMEOUT).until(() -> scheduler.isScheduled(NAMESPACE + "/before"));

      gate.set(GateProxy.State.DOWN);
      await().atMost(TIMEOUT).until(() -> !leadership.isLeading());
      assertThat(metric("vigil_operator_leader")).isZero();
      assertThat(scheduler.size()).isZero();
      admin.resource(rule("while-cut-off")).create();

      gate.set(GateProxy.State.OPEN);
      await().atMost(TIMEOUT).until(leadership::isLeading);
      assertThat(holder(admin)).isEqualTo(holder);
      await()
          .atMost(TIMEOUT)
          .until(
              () ->
                  scheduler.isScheduled(NAMESPACE + "/before")
                      && scheduler.isScheduled(NAMESPACE + "/while-cut-off"));
      await()
          .atMost(TIMEOUT)
          .until(
              () ->
                  admin
                      .resources(DetectionRule.class)
                      .inNamespace(NAMESPACE)
                      .withName("while-cut-off")
                      .get(),
              r -> r.getStatus() != null && r.getStatus().lastResult != null);
    }
  }

  private static String holder(KubernetesClient admin) {
    Lease lease =
        admin.resources(Lease.class).inNamespace("default").withName(LeaderElection.LEASE).get();
    return lease.getSpec().getHolderIdentity();
  }

  private static DetectionRule rule(String name) {
    DetectionRuleSpec spec = new DetectionRuleSpec();
    spec.severity = 2;
    spec.logType = LogTypeName.cloudtrail;
    spec.engine = DetectionRuleSpec.Engine.BuiltIn;
    spec.query = "eventName:StopLogging";
    spec.interval = "1m";
    spec.message = "{{eventName}}";
    spec.connectionRef = new ConnectionRef("default");
    DetectionRule rule = new DetectionRule();
    rule.getMetadata().setName(name);
    rule.getMetadata().setNamespace(NAMESPACE);
    rule.setSpec(spec);
    return rule;
  }

  private static double metric(String name) {
    String body = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
    return body.lines()
        .filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }

  /** Leader election on (as in production), short lease times, the API server through a gate. */
  public static class Gated implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "quarkus.operator-sdk.activate-leader-election-for-profiles", "test",
          "vigil.operator.leader-election.lease-duration", "6s",
          "vigil.operator.leader-election.renew-deadline", "4s",
          "vigil.operator.leader-election.retry-period", "1s");
    }

    @Override
    public List<TestResourceEntry> testResources() {
      return List.of(new TestResourceEntry(GatedKube.class));
    }

    @Override
    public boolean disableGlobalTestResources() {
      return true;
    }
  }

  /** The real API server (CRDs installed) reached only through the test's gate. */
  public static class GatedKube implements QuarkusTestResourceLifecycleManager {
    private GateProxy gate;

    @Override
    public Map<String, String> start() {
      KubeApiServer server = RealParts.kube();
      try (KubernetesClient client = server.adminClient()) {
        KubeApiServerResource.installCrds(client);
      }
      try {
        gate = new GateProxy(server.url());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return Map.of(
          "quarkus.kubernetes-client.api-server-url",
          URI.create("https://127.0.0.1:" + gate.uri().getPort()).toString(),
          "quarkus.kubernetes-client.token",
          server.adminToken(),
          "quarkus.kubernetes-client.ca-cert-file",
          server.servingCertificate().toString(),
          "quarkus.kubernetes-client.namespace",
          "default");
    }

    @Override
    public void inject(TestInjector injector) {
      injector.injectIntoFields(gate, new TestInjector.MatchesType(GateProxy.class));
    }

    @Override
    public void stop() {
      try {
        gate.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}

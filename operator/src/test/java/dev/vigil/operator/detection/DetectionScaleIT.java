package dev.vigil.operator.detection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.api.v1alpha1.DetectionRule;
import dev.vigil.api.v1alpha1.DetectionRuleSpec;
import dev.vigil.api.v1alpha1.LogTypeName;
import dev.vigil.api.v1alpha1.OpenSearchConnection;
import dev.vigil.operator.KubeApiServerResource;
import dev.vigil.operator.TestNamespace;
import dev.vigil.operator.common.Conditions;
import dev.vigil.parts.RealParts;
import dev.vigil.testing.UserEdits;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Scale: {@value #RULES} DetectionRules applied to the real API server all reach the built-in
 * engine and run once against real OpenSearch; then a change that makes every one of them reconcile
 * again (their connection is edited) costs zero status writes. Prints the time and the heap (of
 * this test JVM, which holds the operator in-process).
 */
@QuarkusTest
@QuarkusTestResource(KubeApiServerResource.class)
class DetectionScaleIT {
  private static final int RULES = Integer.getInteger("vigil.scale.rules", 1000);
  private static final String NAMESPACE = "scale";

  @Inject KubernetesClient client;
  @Inject MeterRegistry metrics;
  @Inject DetectionScheduler scheduler;

  @Test
  void everyRuleIsRunningAndAFullReconcileOfAllOfThemWritesNothing() {
    TestNamespace.withConnection(client, NAMESPACE, RealParts.openSearch().uri().toString());

    long start = System.nanoTime();
    for (int i = 0; i < RULES; i++) {
      DetectionRuleSpec spec = new DetectionRuleSpec();
      spec.severity = 1 + i % 5;
      spec.logType = LogTypeName.cloudtrail;
      spec.query = "eventName:ScaleProbe" + i;
      spec.interval = "1h";
      DetectionRule rule = new DetectionRule();
      rule.getMetadata().setName("rule-" + i);
      rule.getMetadata().setNamespace(NAMESPACE);
      rule.setSpec(spec);
      client.resource(rule).create();
    }
    long applied = System.nanoTime();
    await()
        .atMost(Duration.ofMinutes(5))
        .pollInterval(Duration.ofSeconds(2))
        .until(() -> running() == RULES);
    long synced = System.nanoTime();
    System.gc();
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    System.out.printf(
        "scale: %d rules applied in %.1f s, all running (first run done) %.1f s after the first"
            + " was applied; heap after GC %d MiB; %d rules scheduled%n",
        RULES, (applied - start) / 1e9, (synced - start) / 1e9, heap >> 20, scheduler.size());

    // Edit the connection: every rule that uses it is reconciled again, and none writes. (Checked
    // on these rules' resourceVersions: rules of other tests in this JVM may still be running.)
    // First let the last first-run results land: the rules' versions hold still across two polls.
    Map<String, String> versions = new HashMap<>();
    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofSeconds(3))
        .until(
            () -> {
              Map<String, String> now = versions();
              boolean still = now.equals(versions);
              versions.clear();
              versions.putAll(now);
              return still;
            });
    double unchanged = counter("vigil_status_unchanged_total");
    UserEdits.edit(
        client.resources(OpenSearchConnection.class).inNamespace(NAMESPACE).withName("default"),
        c -> {
          if (c.getMetadata().getAnnotations() == null) {
            c.getMetadata().setAnnotations(new HashMap<>());
          }
          c.getMetadata().getAnnotations().put("example.com/touched", "yes");
        });
    await()
        .atMost(Duration.ofMinutes(2))
        .until(() -> counter("vigil_status_unchanged_total") >= unchanged + RULES);
    assertThat(versions())
        .as("resourceVersions while %d rules reconcile unchanged", RULES)
        .isEqualTo(versions);
  }

  private Map<String, String> versions() {
    Map<String, String> out = new HashMap<>();
    for (DetectionRule r :
        client.resources(DetectionRule.class).inNamespace(NAMESPACE).list().getItems()) {
      out.put(r.getMetadata().getName(), r.getMetadata().getResourceVersion());
    }
    return out;
  }

  private long running() {
    return client.resources(DetectionRule.class).inNamespace(NAMESPACE).list().getItems().stream()
        .filter(
            r ->
                r.getStatus() != null
                    && Conditions.find(r.getStatus().conditions, Conditions.READY)
                        .map(c -> "Running".equals(c.getReason()))
                        .orElse(false))
        .count();
  }

  private double counter(String name) {
    var counter = metrics.find(name).tag("kind", "DetectionRule").counter();
    return counter == null ? 0 : counter.count();
  }
}

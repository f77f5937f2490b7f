package dev.vigil.operator.detection;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.api.v1alpha1.ConnectionRef;
import dev.vigil.api.v1alpha1.DetectionRule;
import dev.vigil.api.v1alpha1.DetectionRuleSpec;
import dev.vigil.api.v1alpha1.LogTypeName;
import dev.vigil.operator.KubeApiServerResource;
import dev.vigil.operator.TestNamespace;
import dev.vigil.parts.RealParts;
import dev.vigil.testing.GateProxy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * A built-in engine rule while its OpenSearch is down (real OpenSearch behind a {@link GateProxy}
 * that refuses connections, the operator in-process against the real API server): its failed runs
 * come no faster than its backoff allows, however long the outage lasts, and it runs normally again
 * once OpenSearch is back.
 */
@QuarkusTest
@QuarkusTestResource(KubeApiServerResource.class)
class DetectionOutageIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  // The test profile's backoff (application.properties): 500ms doubling up to 2s.
  private static final Duration RETRY_MAX = Duration.ofSeconds(2);
  // Longer than the longest retry delay: failed runs are retried before the next interval.
  private static final String INTERVAL = "5s";
  // Long enough for several intervals: a retry chain per interval would show as growth.
  private static final Duration OUTAGE = Duration.ofSeconds(25);

  @Inject KubernetesClient client;
  @Inject DetectionScheduler scheduler;

  @Test
  void failedRunsWhileOpenSearchIsDownStayWithinTheBackoffAndStopWhenItIsBack() throws Exception {
    String namespace = "outage-backoff";
    try (GateProxy gate = new GateProxy(RealParts.openSearch().uri())) {
      TestNamespace.withConnection(client, namespace, gate.uri().toString());
      client.resource(rule(namespace, "steady")).create();
      String key = namespace + "/steady";
      awaitRule(namespace, r -> "NoMatch".equals(r.getStatus().lastResult));

      gate.set(GateProxy.State.DOWN);
      long down = System.nanoTime();
      await().atMost(TIMEOUT).until(() -> scheduler.consecutiveFailures(key) >= 1);
      assertThat(metric("vigil_detection_rules_backing_off")).isGreaterThanOrEqualTo(1);

      // Waits out the outage window, or ends early once the count passes its bound.
      await()
          .atMost(OUTAGE.plus(TIMEOUT))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> {
                Duration elapsed = Duration.ofNanos(System.nanoTime() - down);
                return elapsed.compareTo(OUTAGE) >= 0
                    || scheduler.consecutiveFailures(key) > mostFailedRuns(elapsed);
              });
      Duration elapsed = Duration.ofNanos(System.nanoTime() - down);
      int failed = scheduler.consecutiveFailures(key);
      System.out.printf(
          "DetectionOutageIT: %d failed runs in %d ms of outage (bound %d)%n",
          failed, elapsed.toMillis(), mostFailedRuns(elapsed));
      assertThat(failed).isBetween(3, mostFailedRuns(elapsed));

      gate.set(GateProxy.State.OPEN);
      awaitRule(namespace, r -> "NoMatch".equals(r.getStatus().lastResult));
      assertThat(scheduler.consecutiveFailures(key)).isZero();
    }
  }

  /**
   * The most failed runs {@code elapsed} allows: delays of 0.5 s, 1 s, then 2 s each, plus the run
   * in progress when the outage began and one for rounding.
   */
  private static int mostFailedRuns(Duration elapsed) {
    return 4 + (int) (elapsed.toMillis() / RETRY_MAX.toMillis());
  }

  private static DetectionRule rule(String namespace, String name) {
    DetectionRuleSpec spec = new DetectionRuleSpec();
    spec.severity = 2;
    spec.logType = LogTypeName.cloudtrail;
    spec.engine = DetectionRuleSpec.Engine.BuiltIn;
    spec.query = "eventName:StopLogging";
    spec.interval = INTERVAL;
    spec.message = "{{eventName}}";
    spec.connectionRef = new ConnectionRef("default");
    DetectionRule rule = new DetectionRule();
    rule.getMetadata().setName(name);
    rule.getMetadata().setNamespace(namespace);
    rule.setSpec(spec);
    return rule;
  }

  private DetectionRule awaitRule(String namespace, Predicate<DetectionRule> test) {
    return await()
        .atMost(TIMEOUT)
        .until(
            () ->
                client
                    .resources(DetectionRule.class)
                    .inNamespace(namespace)
                    .withName("steady")
                    .get(),
            r -> r != null && r.getStatus() != null && test.test(r));
  }

  private static double metric(String name) {
    String body = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
    return body.lines()
        .filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }
}

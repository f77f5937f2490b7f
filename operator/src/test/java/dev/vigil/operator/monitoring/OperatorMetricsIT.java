package dev.vigil.operator.monitoring;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.api.v1alpha1.OpenSearchConnection;
import dev.vigil.api.v1alpha1.OpenSearchConnectionSpec;
import dev.vigil.api.v1alpha1.SnapshotPolicy;
import dev.vigil.api.v1alpha1.SnapshotPolicySpec;
import dev.vigil.operator.KubeApiServerResource;
import dev.vigil.operator.TestNamespace;
import dev.vigil.parts.RealParts;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetricsV2;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The operator's Prometheus endpoint carries the reconcile metrics of the operator SDK, Vigil's
 * resource health gauges and external-call timings, and every metric the shipped PrometheusRule
 * alerts on really exists (operator metrics in this scrape, ingester metrics in its documented
 * list).
 */
@QuarkusTest
@QuarkusTestResource(KubeApiServerResource.class)
class OperatorMetricsIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final String NAMESPACE = "metrics-it";

  @Inject KubernetesClient client;

  @Test
  void exportsResourceHealthReconcilesAndEveryMetricTheAlertsUse() throws Exception {
    TestNamespace.create(client, NAMESPACE);
    OpenSearchConnection connection = new OpenSearchConnection();
    connection.getMetadata().setName("default");
    connection.getMetadata().setNamespace(NAMESPACE);
    connection.setSpec(new OpenSearchConnectionSpec());
    connection.getSpec().endpoint = RealParts.openSearch().uri().toString();
    client.resource(connection).serverSideApply();
    SnapshotPolicy policy = new SnapshotPolicy();
    policy.getMetadata().setName("nightly");
    policy.getMetadata().setNamespace(NAMESPACE);
    policy.setSpec(new SnapshotPolicySpec());
    policy.getSpec().schedule = "0 3 * * *";
    policy.getSpec().repository = new SnapshotPolicySpec.Repository();
    policy.getSpec().repository.name = "metrics-it";
    policy.getSpec().repository.type = SnapshotPolicySpec.RepositoryType.Fs;
    policy.getSpec().repository.fs = new SnapshotPolicySpec.FsRepository();
    policy.getSpec().repository.fs.location =
        RealParts.openSearch().snapshotDirectory().resolve("metrics-it").toString();
    client.resource(policy).serverSideApply();
    SnapshotPolicy broken = new SnapshotPolicy();
    broken.getMetadata().setName("broken");
    broken.getMetadata().setNamespace(NAMESPACE);
    broken.setSpec(policy.getSpec());
    broken.getSpec().connectionRef = new dev.vigil.api.v1alpha1.ConnectionRef("missing");
    client.resource(broken).serverSideApply();

    String labels = "kind=\"SnapshotPolicy\",name=\"%s\",namespace=\"" + NAMESPACE + "\"";
    await()
        .atMost(TIMEOUT)
        .until(
            () -> {
              String scrape = scrape();
              return scrape.contains(
                      "vigil_resource_ready{" + String.format(labels, "nightly") + "} 1.0")
                  && scrape.contains(
                      "vigil_resource_ready{" + String.format(labels, "broken") + "} 0.0")
                  && scrape.contains(
                      "vigil_resource_ready{kind=\"OpenSearchConnection\",name=\"default\",namespace=\""
                          + NAMESPACE
                          + "\"} 1.0");
            });
    String scrape = scrape();
    assertThat(scrape)
        .containsPattern(
            "vigil_opensearch_cluster_status\\{name=\"default\",namespace=\""
                + NAMESPACE
                + "\",status=\"(green|yellow)\"} 1\\.0")
        .containsPattern(
            "vigil_opensearch_cluster_status\\{name=\"default\",namespace=\""
                + NAMESPACE
                + "\",status=\"red\"} 0\\.0")
        .containsPattern(
            "vigil_resource_sync_lag_seconds\\{"
                + Pattern.quote(String.format(labels, "nightly"))
                + "} 0\\.0")
        .containsPattern(
            "reconciliations_started_total\\{controller_name=\"snapshotpolicy\"} [1-9]")
        .containsPattern(
            "vigil_operator_external_calls_seconds_count\\{[^}]*operation=\"put_repository\",outcome=\"success\",target=\"opensearch\"} [1-9]");

    Set<String> exported = new TreeSet<>();
    Matcher names = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)").matcher(scrape);
    while (names.find()) {
      exported.add(names.group(1));
    }
    Path root = KubeApiServerResource.repositoryRoot();
    String rules =
        Files.readString(
            root.resolve("deploy/kustomize/components/monitoring/prometheusrule.yaml"));
    String ingesterDocs = Files.readString(root.resolve("docs/ingester.md"));
    Set<String> used = new TreeSet<>();
    Matcher expr = Pattern.compile("expr: (?:>-\\n)?((?:.*\\n?)(?: {12}.*\\n)*)").matcher(rules);
    while (expr.find()) {
      Matcher metric =
          Pattern.compile("\\b(vigil_[a-z_]+|reconciliations_[a-z_]+)\\b").matcher(expr.group(1));
      while (metric.find()) {
        used.add(metric.group(1));
      }
    }
    assertThat(used).hasSizeGreaterThan(8);
    for (String metric : used) {
      if (metric.equals(prometheusName(MicrometerMetricsV2.RECONCILIATIONS_FAILED))) {
        continue; // the operator SDK creates its failure counter at the first failure
      }
      if (metric.startsWith("vigil_ingester_")) {
        assertThat(ingesterDocs)
            .as("ingester metric " + metric + " is documented")
            .contains(metric);
      } else {
        assertThat(exported).as("operator exports " + metric).contains(metric);
      }
    }
  }

  private static String prometheusName(String micrometerName) {
    return micrometerName.replace('.', '_');
  }

  private static String scrape() {
    return given().when().get("/q/metrics").then().statusCode(200).extract().asString();
  }
}

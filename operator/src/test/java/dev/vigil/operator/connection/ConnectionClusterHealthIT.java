package dev.vigil.operator.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.api.v1alpha1.Condition;
import dev.vigil.api.v1alpha1.OpenSearchConnection;
import dev.vigil.api.v1alpha1.OpenSearchConnectionSpec;
import dev.vigil.core.LogType;
import dev.vigil.core.parse.IndexNaming;
import dev.vigil.core.parse.IndexTemplates;
import dev.vigil.operator.KubeApiServerResource;
import dev.vigil.operator.TestNamespace;
import dev.vigil.operator.common.Conditions;
import dev.vigil.parts.OpenSearchCluster;
import dev.vigil.parts.OpenSearchNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Against a three-node cluster: a log index made from Vigil's templates has one replica (the
 * default {@code 0-1} follows the data nodes); an OpenSearchConnection follows the cluster's
 * health: a data node killed leaves an index's replicas unassigned (yellow) in the connection's
 * status and in {@code vigil_opensearch_cluster_status}, still Ready; the node started again with
 * its data brings both back to green.
 */
@QuarkusTest
@QuarkusTestResource(KubeApiServerResource.class)
class ConnectionClusterHealthIT {
  private static final Duration TIMEOUT = Duration.ofMinutes(3);
  private static final IndexNaming NAMING =
      new IndexNaming("replicas", IndexNaming.Granularity.DAILY);

  @Inject KubernetesClient client;
  @Inject MeterRegistry metrics;

  @Test
  void healthGoesYellowWhenADataNodeDiesAndGreenWhenItReturnsInStatusAndMetrics() throws Exception {
    String namespace = "conn-cluster-health";
    TestNamespace.create(client, namespace);
    try (OpenSearchCluster cluster = OpenSearchCluster.start(3)) {
      OpenSearchNode first = cluster.node(0);
      OpenSearchNode victim = cluster.node(2);
      // A log index made from Vigil's templates gets a replica once there is a second data node.
      IndexTemplates templates = new IndexTemplates(NAMING);
      send(
          first,
          "PUT",
          "/_component_template/" + templates.componentName(),
          templates.componentTemplate().toString());
      send(
          first,
          "PUT",
          "/_index_template/" + templates.templateName(LogType.CLOUDTRAIL),
          templates.indexTemplate(LogType.CLOUDTRAIL).toString());
      String logIndex = NAMING.index(LogType.CLOUDTRAIL, Instant.parse("2026-11-27T00:00:00Z"));
      send(first, "PUT", "/" + logIndex, "{}");
      // Two replicas need all three nodes: with one gone they stay unassigned until it returns.
      send(
          first,
          "PUT",
          "/health-probe",
          "{\"settings\":{\"number_of_shards\":1,\"number_of_replicas\":2}}");
      OpenSearchConnection connection = new OpenSearchConnection();
      connection.getMetadata().setName("cluster");
      connection.getMetadata().setNamespace(namespace);
      connection.setSpec(new OpenSearchConnectionSpec());
      connection.getSpec().endpoint = first.uri().toString();
      client.resource(connection).create();

      awaitHealth(namespace, "green");
      assertThat(send(first, "GET", "/" + logIndex + "/_settings", null))
          .contains("\"number_of_replicas\":\"1\"")
          .contains("\"auto_expand_replicas\":\"" + IndexTemplates.DEFAULT_REPLICAS + "\"");
      victim.kill();
      awaitHealth(namespace, "yellow");
      Condition ready = readyCondition(namespace).orElseThrow();
      assertThat(ready.getStatus()).as("yellow is still usable").isEqualTo("True");
      assertThat(ready.getMessage()).contains("health yellow");

      victim.start();
      awaitHealth(namespace, "green");
    }
  }

  /** Waits until both the status and the metric say {@code health}. */
  private void awaitHealth(String namespace, String health) {
    await()
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                health.equals(status(namespace))
                    && metric(namespace, health) == 1
                    && metric(namespace, "green".equals(health) ? "yellow" : "green") == 0);
  }

  private String status(String namespace) {
    OpenSearchConnection connection = get(namespace);
    return connection == null || connection.getStatus() == null
        ? null
        : connection.getStatus().clusterHealth;
  }

  private Optional<Condition> readyCondition(String namespace) {
    return Optional.ofNullable(get(namespace).getStatus())
        .flatMap(s -> Conditions.find(s.conditions, Conditions.READY));
  }

  private OpenSearchConnection get(String namespace) {
    return client
        .resources(OpenSearchConnection.class)
        .inNamespace(namespace)
        .withName("cluster")
        .get();
  }

  private double metric(String namespace, String status) {
    Gauge gauge =
        metrics
            .find("vigil_opensearch_cluster_status")
            .tag("namespace", namespace)
            .tag("name", "cluster")
            .tag("status", status)
            .gauge();
    return gauge == null ? -1 : gauge.value();
  }

  private static String send(OpenSearchNode node, String method, String path, String body)
      throws Exception {
    HttpResponse<String> response =
        node.httpClient()
            .send(
                node.request(path)
                    .header("Content-Type", "application/json")
                    .method(
                        method,
                        body == null
                            ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("%s %s: %s", method, path, response.body()).isEqualTo(200);
    return response.body();
  }
}

package dev.vigil.operator.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.api.v1alpha1.Condition;
import dev.vigil.api.v1alpha1.DeletionPolicy;
import dev.vigil.api.v1alpha1.LogTypeName;
import dev.vigil.api.v1alpha1.OpenSearchConnection;
import dev.vigil.api.v1alpha1.OpenSearchConnectionSpec;
import dev.vigil.api.v1alpha1.SnapshotPolicy;
import dev.vigil.operator.KubeApiServerResource;
import dev.vigil.operator.common.Conditions;
import dev.vigil.parts.OpenSearchNode;
import dev.vigil.parts.RealParts;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The plugin engine in the running operator: the connection reports Index Management (the contract
 * server serves the Snapshot Management and ISM APIs and forwards everything else to the real
 * node), so the policy becomes an SM policy and ISM hot-retention policies; the repository is
 * registered on the real node; deletion with {@code Delete} removes what Vigil created.
 */
@QuarkusTest
@QuarkusTestResource(KubeApiServerResource.class)
class SnapshotPolicyPluginIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final String NAMESPACE = "snap-plugin";

  @Inject KubernetesClient client;

  @Test
  void autoEngineUsesSnapshotManagementAndIsmWhereReportedDocumentedSchemaOnly() throws Exception {
    OpenSearchNode node = RealParts.openSearch();
    try (IndexManagementContractServer cluster = new IndexManagementContractServer(node.uri())) {
      client
          .namespaces()
          .resource(
              new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
          .serverSideApply();
      OpenSearchConnection connection = new OpenSearchConnection();
      connection.getMetadata().setName("default");
      connection.getMetadata().setNamespace(NAMESPACE);
      connection.setSpec(new OpenSearchConnectionSpec());
      connection.getSpec().endpoint = cluster.uri().toString();
      client.resource(connection).serverSideApply();

      SnapshotPolicy policy =
          SnapshotPolicies.fs(
              NAMESPACE,
              "managed",
              node.snapshotDirectory().resolve(NAMESPACE).toString(),
              "0 3 * * *");
      policy.getSpec().retention = SnapshotPolicies.retention("30d", 60, 7);
      policy.getSpec().hotRetention =
          List.of(SnapshotPolicies.hot(LogTypeName.waf, null, "14d", true));
      policy.getSpec().deletionPolicy = DeletionPolicy.Delete;
      client.resource(policy).create();

      Condition ready = awaitReady();
      assertThat(ready.getReason()).isEqualTo("SnapshotManagement");
      var status = get().getStatus();
      assertThat(status.engine).isEqualTo("Plugin");
      assertThat(status.nextRunTime)
          .as("from the plugin's _explain")
          .isEqualTo(Instant.ofEpochMilli(1_795_000_000_000L).toString());
      assertThat(cluster.smPolicies).containsKey("vigil-snap-plugin-managed");
      assertThat(
              cluster
                  .smPolicies
                  .get("vigil-snap-plugin-managed")
                  .body()
                  .at("/snapshot_config/repository")
                  .asText())
          .isEqualTo("managed-repo");
      assertThat(cluster.ismPolicies).containsKey("vigil-snap-plugin-managed-hot-waf");
      assertThat(cluster.attached)
          .containsEntry("vigil-waf-*", "vigil-snap-plugin-managed-hot-waf");
      assertThat(
              SnapshotPolicies.rest(node.uri())
                  .get("_snapshot/managed-repo")
                  .path("managed-repo")
                  .path("type")
                  .asText())
          .as("the repository is registered on the real node through the core API")
          .isEqualTo("fs");

      // Re-checks every second write nothing more to the plugins.
      int writes = cluster.writes().size();
      await()
          .atMost(TIMEOUT)
          .until(() -> cluster.requests.stream().filter(r -> r.endsWith("/_explain")).count() >= 3);
      assertThat(cluster.writes()).hasSize(writes);

      client.resource(get()).delete();
      await()
          .atMost(TIMEOUT)
          .until(() -> cluster.smPolicies.isEmpty() && cluster.ismPolicies.isEmpty());
    }
  }

  private SnapshotPolicy get() {
    return client.resources(SnapshotPolicy.class).inNamespace(NAMESPACE).withName("managed").get();
  }

  private Condition awaitReady() {
    return await()
        .atMost(TIMEOUT)
        .until(
            () ->
                Optional.ofNullable(get().getStatus())
                    .flatMap(s -> Conditions.find(s.conditions, Conditions.READY))
                    .filter(c -> "True".equals(c.getStatus()))
                    .orElse(null),
            Objects::nonNull);
  }
}

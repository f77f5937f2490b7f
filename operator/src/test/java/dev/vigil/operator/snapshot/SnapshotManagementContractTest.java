package dev.vigil.operator.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.api.v1alpha1.LogTypeName;
import dev.vigil.api.v1alpha1.OpenSearchConnectionStatus.Capabilities;
import dev.vigil.api.v1alpha1.SnapshotPolicy;
import dev.vigil.api.v1alpha1.SnapshotPolicySpec.Engine;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The plugin path (Snapshot Management policies and ISM hot retention) against a strict contract
 * server of the Index Management plugin's documented APIs. Unlike Alerting and Notifications (held
 * to the plugins' own request models, see PluginModels), Index Management publishes no request
 * model: these bodies are checked against the documented schema only, as the test names say.
 */
class SnapshotManagementContractTest {
  private final IndexManagementContractServer server;
  private final SnapshotApi api;

  SnapshotManagementContractTest() throws Exception {
    server = new IndexManagementContractServer();
    api =
        new SnapshotApi(
            SnapshotPolicies.rest(server.uri()), new SnapshotMetrics(new SimpleMeterRegistry()));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static PolicySettings settings(String schedule) throws Exception {
    SnapshotPolicy policy = SnapshotPolicies.fs("security", "nightly", "/snapshots", schedule);
    policy.getSpec().retention = SnapshotPolicies.retention("30d", 60, 7);
    policy.getSpec().hotRetention =
        List.of(
            SnapshotPolicies.hot(LogTypeName.cloudtrail, null, "14d", true),
            SnapshotPolicies.hot(null, "app-logs-*", "30d", false));
    return PolicySettings.from(policy);
  }

  @Test
  void documentedSchemaSnapshotPolicyIsCreatedOnceUpdatedBySequenceNumberAndExplained()
      throws Exception {
    PolicySettings settings = settings("0 3 * * *");
    assertThat(SnapshotManagementPolicies.ensure(api, settings)).isTrue();
    assertThat(server.writes())
        .containsExactly("POST /_plugins/_sm/policies/vigil-security-nightly");
    ObjectNode stored = (ObjectNode) server.smPolicies.get("vigil-security-nightly").body();
    assertThat(stored.at("/creation/schedule/cron/expression").asText()).isEqualTo("0 3 * * *");
    assertThat(stored.at("/creation/schedule/cron/timezone").asText()).isEqualTo("UTC");
    assertThat(stored.at("/deletion/condition/max_age").asText()).isEqualTo("720h");
    assertThat(stored.at("/deletion/condition/max_count").asInt()).isEqualTo(60);
    assertThat(stored.at("/deletion/condition/min_count").asInt()).isEqualTo(7);
    assertThat(stored.at("/snapshot_config/repository").asText()).isEqualTo("nightly-repo");
    assertThat(stored.at("/snapshot_config/indices").asText()).isEqualTo("vigil-*");
    assertThat(stored.at("/snapshot_config/include_global_state").asText()).isEqualTo("false");
    assertThat(stored.at("/snapshot_config/date_format").asText()).isEqualTo("yyyy.MM.dd-HH.mm");
    assertThat(stored.at("/snapshot_config/date_format_timezone").asText()).isEqualTo("UTC");

    // Unchanged (the plugin's added defaults do not count as drift): no write.
    assertThat(SnapshotManagementPolicies.ensure(api, settings)).isFalse();
    assertThat(server.writes()).hasSize(1);

    // Changed schedule: an update carrying the stored sequence number and primary term.
    assertThat(SnapshotManagementPolicies.ensure(api, settings("30 2 * * *"))).isTrue();
    assertThat(server.writes())
        .last()
        .isEqualTo("PUT /_plugins/_sm/policies/vigil-security-nightly");
    assertThat(
            server
                .smPolicies
                .get("vigil-security-nightly")
                .body()
                .at("/creation/schedule/cron/expression")
                .asText())
        .isEqualTo("30 2 * * *");

    var explained = SnapshotManagementPolicies.explain(api, settings);
    assertThat(explained.nextRun()).isEqualTo(Instant.ofEpochMilli(1_795_000_000_000L));

    SnapshotManagementPolicies.delete(api, settings);
    SnapshotManagementPolicies.delete(api, settings); // already gone: fine
    assertThat(server.smPolicies).isEmpty();
  }

  @Test
  void documentedSchemaNoRetentionMeansNoDeletionBlock() throws Exception {
    SnapshotPolicy policy = SnapshotPolicies.fs("security", "keepall", "/snapshots", "0 3 * * *");
    PolicySettings settings = PolicySettings.from(policy);
    SnapshotManagementPolicies.ensure(api, settings);
    assertThat(server.smPolicies.get("vigil-security-keepall").body().has("deletion")).isFalse();
  }

  @Test
  void documentedSchemaHotRetentionBecomesOneIsmPolicyPerRuleOnExistingIndices() throws Exception {
    PolicySettings settings = settings("0 3 * * *");
    assertThat(IsmHotRetention.ensure(api, settings)).isEqualTo(2);
    var cloudtrail = server.ismPolicies.get("vigil-security-nightly-hot-cloudtrail").body();
    assertThat(cloudtrail.at("/policy/default_state").asText()).isEqualTo("hot");
    assertThat(cloudtrail.at("/policy/states/0/transitions/0/state_name").asText())
        .isEqualTo("snapshot");
    assertThat(cloudtrail.at("/policy/states/0/transitions/0/conditions/min_index_age").asText())
        .isEqualTo("336h");
    assertThat(cloudtrail.at("/policy/states/1/actions/0/snapshot/repository").asText())
        .isEqualTo("nightly-repo");
    assertThat(cloudtrail.at("/policy/states/2/actions/0").has("delete")).isTrue();
    assertThat(cloudtrail.at("/policy/ism_template/0/index_patterns/0").asText())
        .isEqualTo("vigil-cloudtrail-*");
    String app = IsmHotRetention.policyId(settings, settings.hotRules().get(1));
    assertThat(
            server
                .ismPolicies
                .get(app)
                .body()
                .at("/policy/states/0/transitions/0/state_name")
                .asText())
        .as("no snapshot required: straight to delete")
        .isEqualTo("delete");
    assertThat(server.attached)
        .containsEntry("vigil-cloudtrail-*", "vigil-security-nightly-hot-cloudtrail")
        .containsEntry("app-logs-*", app);

    int writes = server.writes().size();
    assertThat(IsmHotRetention.ensure(api, settings))
        .as("ISM's added retry blocks are not drift")
        .isZero();
    assertThat(server.writes()).hasSize(writes);

    IsmHotRetention.delete(api, settings);
    assertThat(server.ismPolicies).isEmpty();
  }

  @Test
  void autoUsesThePluginOnlyWhereTheConnectionReportsIt() {
    Capabilities bare = new Capabilities();
    Capabilities managed = new Capabilities();
    managed.snapshotManagement = true;
    assertThat(SnapshotPolicyReconciler.usesSnapshotManagement(Engine.Auto, bare)).isFalse();
    assertThat(SnapshotPolicyReconciler.usesSnapshotManagement(Engine.Auto, managed)).isTrue();
    assertThat(SnapshotPolicyReconciler.usesSnapshotManagement(Engine.BuiltIn, managed)).isFalse();
    assertThat(SnapshotPolicyReconciler.usesSnapshotManagement(Engine.Plugin, bare)).isTrue();
  }
}

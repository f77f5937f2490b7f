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
import dev.vigil.operator.TestNamespace;
import dev.vigil.operator.common.Conditions;
import dev.vigil.operator.opensearch.OpenSearchException;
import dev.vigil.operator.opensearch.OpenSearchRest;
import dev.vigil.parts.OpenSearchNode;
import dev.vigil.parts.RealParts;
import dev.vigil.testing.UserEdits;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The SnapshotPolicy reconciler in the running operator, against the real API server and the real
 * OpenSearch node: a snapshot every minute into an {@code fs} repository, status, restore by
 * annotation, invalid cron values, clean-up on deletion.
 */
@QuarkusTest
@QuarkusTestResource(KubeApiServerResource.class)
class SnapshotPolicyIT {
  /** A run every minute: the first snapshot comes within two minutes. */
  private static final Duration TIMEOUT = Duration.ofSeconds(150);

  @Inject KubernetesClient client;
  @Inject MeterRegistry metrics;

  private final OpenSearchNode node = RealParts.openSearch();
  private final OpenSearchRest rest = SnapshotPolicies.rest(node.uri());
  private String namespace;

  @BeforeEach
  void setUp(TestInfo test) {
    namespace =
        "snap-"
            + test.getTestMethod()
                .orElseThrow()
                .getName()
                .toLowerCase()
                .replaceAll("[^a-z0-9]", "")
                .substring(0, 16);
    TestNamespace.create(client, namespace);
    OpenSearchConnection connection = new OpenSearchConnection();
    connection.getMetadata().setName("default");
    connection.getMetadata().setNamespace(namespace);
    connection.setSpec(new OpenSearchConnectionSpec());
    connection.getSpec().endpoint = node.uri().toString();
    client.resource(connection).serverSideApply();
  }

  @Test
  void takesScheduledSnapshotsReportsThemAndRestoresADayOnRequest() throws Exception {
    for (int i = 0; i < 2; i++) {
      rest.put("vigil-guardduty-2026.08.01/_doc/" + i + "?refresh=true", Map.of("n", i));
    }
    SnapshotPolicy policy = policy("minutely", "* * * * *");
    policy.getSpec().indices = List.of("vigil-guardduty-2026.08.*");
    policy.getSpec().deletionPolicy = DeletionPolicy.Delete;
    client.resource(policy).create();

    Condition ready = awaitCondition("minutely", Conditions.READY, "True");
    assertThat(ready.getReason()).isEqualTo("Scheduled");
    assertThat(ready.getMessage()).contains("minutely-repo").contains("next run");
    assertThat(get("minutely").getStatus().engine)
        .as("the bare node has no SM plugin")
        .isEqualTo("BuiltIn");
    assertThat(get("minutely").getStatus().nextRunTime).endsWith(":00Z");
    assertThat(rest.get("_snapshot/minutely-repo").path("minutely-repo").path("type").asText())
        .isEqualTo("fs");

    awaitCondition("minutely", SnapshotPolicyReconciler.LAST_SNAPSHOT_SUCCEEDED, "True");
    var status = get("minutely").getStatus();
    assertThat(status.lastSnapshot.name).startsWith("vigil-" + namespace + "-minutely-2026.");
    assertThat(status.snapshotsKept).isGreaterThanOrEqualTo(1);
    assertThat(status.failures).isNull();
    assertThat(Conditions.isTrue(status.conditions, SnapshotPolicyReconciler.ON_SCHEDULE)).isTrue();
    assertThat(
            metrics
                .find("vigil_snapshot_kept")
                .tags("namespace", namespace, "policy", "minutely")
                .gauge()
                .value())
        .isGreaterThanOrEqualTo(1);

    rest.delete("vigil-guardduty-2026.08.01");
    deleteIfPresent("restored-vigil-guardduty-2026.08.01");
    UserEdits.edit(
        client.resources(SnapshotPolicy.class).inNamespace(namespace).withName("minutely"),
        p -> {
          p.getMetadata().getAnnotations().put(SnapshotPolicy.RESTORE_ANNOTATION, "2026-08-01");
          p.getMetadata()
              .getAnnotations()
              .put(SnapshotPolicy.RESTORE_INDICES_ANNOTATION, "guardduty");
          p.getMetadata().getAnnotations().put(SnapshotPolicy.RESTORE_REQUEST_ANNOTATION, "r1");
        });
    var restore =
        await()
            .atMost(TIMEOUT)
            .until(
                () -> get("minutely").getStatus().lastRestore,
                r -> r != null && "r1".equals(r.request));
    assertThat(restore.state).as(restore.message).isEqualTo("Restored");
    assertThat(restore.restoredIndices).containsExactly("restored-vigil-guardduty-2026.08.01");
    await().atMost(TIMEOUT).until(() -> count("restored-vigil-guardduty-2026.08.01") == 2);

    client.resource(get("minutely")).delete();
    await()
        .atMost(TIMEOUT)
        .until(
            () -> {
              try {
                rest.get("_snapshot/minutely-repo");
                return false;
              } catch (OpenSearchException e) {
                return e.isNotFound();
              }
            });
  }

  @Test
  void invalidCronValuesAndAMissingConnectionAreReportedNotRetried() {
    client.resource(policy("badcron", "0 25 * * *")).create();
    Condition invalid = awaitCondition("badcron", Conditions.READY, "False");
    assertThat(invalid.getReason()).isEqualTo("InvalidSpec");
    assertThat(invalid.getMessage()).isEqualTo("spec.schedule: hour: 25 is outside 0-23");

    SnapshotPolicy orphan = policy("orphan", "0 3 * * *");
    orphan.getSpec().connectionRef = new dev.vigil.api.v1alpha1.ConnectionRef("elsewhere");
    client.resource(orphan).create();
    Condition missing = awaitCondition("orphan", Conditions.READY, "False");
    assertThat(missing.getReason()).isEqualTo("ConnectionNotFound");
    assertThat(missing.getMessage()).contains("spec.connectionRef").contains("elsewhere");
  }

  @Test
  void hotRetentionSaysWhenNoSnapshotWillHoldAnExpiredIndexAndDeletesItWhenAllowed()
      throws Exception {
    rest.put("vigil-route53resolver-2025.01.01/_doc/1?refresh=true", Map.of("n", 1));
    rest.put("vigil-route53resolver-latest/_doc/1?refresh=true", Map.of("n", 1));
    SnapshotPolicy policy = policy("hot", "0 3 * * *");
    policy.getSpec().indices = List.of("vigil-alb-2025.*");
    policy.getSpec().hotRetention =
        List.of(SnapshotPolicies.hot(LogTypeName.route53resolver, null, "1d", true));
    client.resource(policy).create();

    Condition waiting = awaitCondition("hot", SnapshotPolicyReconciler.HOT_RETENTION, "False");
    assertThat(waiting.getReason()).isEqualTo("NotCoveredBySnapshots");
    assertThat(waiting.getMessage()).contains("vigil-route53resolver-2025.01.01");
    assertThat(get("hot").getStatus().indicesAwaitingSnapshot)
        .containsExactly("vigil-route53resolver-2025.01.01");
    assertThat(count("vigil-route53resolver-2025.01.01")).isEqualTo(1);

    UserEdits.edit(
        client.resources(SnapshotPolicy.class).inNamespace(namespace).withName("hot"),
        p -> {
          p.getSpec().hotRetention.get(0).requireSnapshot = false;
        });
    Condition done = awaitCondition("hot", SnapshotPolicyReconciler.HOT_RETENTION, "True");
    assertThat(done.getReason()).isEqualTo("UpToDate");
    assertThat(get("hot").getStatus().expiredIndices)
        .containsExactly("vigil-route53resolver-2025.01.01");
    assertThat(count("vigil-route53resolver-2025.01.01")).as("deleted").isEqualTo(-1);
    assertThat(count("vigil-route53resolver-latest")).as("no date: never deleted").isEqualTo(1);
  }

  private SnapshotPolicy policy(String name, String schedule) {
    SnapshotPolicy policy =
        SnapshotPolicies.fs(
            namespace,
            name,
            node.snapshotDirectory().resolve(namespace + "-" + name).toString(),
            schedule);
    policy.getMetadata().setAnnotations(new java.util.HashMap<>());
    return policy;
  }

  private SnapshotPolicy get(String name) {
    return client.resources(SnapshotPolicy.class).inNamespace(namespace).withName(name).get();
  }

  private Condition awaitCondition(String name, String type, String value) {
    return await()
        .atMost(TIMEOUT)
        .until(
            () ->
                Optional.ofNullable(get(name).getStatus())
                    .flatMap(s -> Conditions.find(s.conditions, type))
                    .filter(c -> value.equals(c.getStatus()))
                    .orElse(null),
            Objects::nonNull);
  }

  private long count(String index) {
    try {
      return rest.get(index + "/_count").path("count").asLong();
    } catch (OpenSearchException e) {
      return -1;
    }
  }

  private void deleteIfPresent(String index) {
    try {
      rest.delete(index);
    } catch (OpenSearchException e) {
      // absent
    }
  }
}

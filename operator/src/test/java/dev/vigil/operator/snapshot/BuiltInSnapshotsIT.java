package dev.vigil.operator.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.vigil.api.v1alpha1.LogTypeName;
import dev.vigil.api.v1alpha1.SnapshotPolicy;
import dev.vigil.api.v1alpha1.SnapshotPolicyStatus.RestoreStatus;
import dev.vigil.core.snapshot.SnapshotInfo;
import dev.vigil.operator.opensearch.OpenSearchException;
import dev.vigil.operator.opensearch.OpenSearchRest;
import dev.vigil.parts.OpenSearchNode;
import dev.vigil.parts.RealParts;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The operator's own snapshot engine against a real OpenSearch node with an {@code fs} repository:
 * real snapshots, real deletions, real restores. Time is simulated (the schedule decides with a
 * given "now"), the snapshots themselves are not.
 */
class BuiltInSnapshotsIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final OpenSearchNode node = RealParts.openSearch();
  private final OpenSearchRest rest = SnapshotPolicies.rest(node.uri());
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final SnapshotApi api = new SnapshotApi(rest, new SnapshotMetrics(registry));
  private String test;

  @BeforeEach
  void name(TestInfo info) {
    test = info.getTestMethod().orElseThrow().getName().toLowerCase().substring(0, 12);
  }

  @Test
  void registersTheRepositoryOnceAndTakesEachScheduledRunOnceWithRetentionByCount()
      throws Exception {
    index("vigil-cloudtrail-2026.10.01", 2);
    SnapshotPolicy policy = policy("0 * * * *");
    policy.getSpec().indices = List.of("vigil-cloudtrail-2026.10.*");
    policy.getSpec().retention = SnapshotPolicies.retention(null, 2, 1);
    PolicySettings settings = PolicySettings.from(policy);

    assertThat(Repositories.ensure(api, settings)).isTrue();
    assertThat(Repositories.ensure(api, settings)).as("unchanged: no write").isFalse();
    assertThat(api.repository(settings.repository()).path("type").asText()).isEqualTo("fs");

    Instant t0 = Instant.parse("2026-11-27T10:20:00Z");
    var first = BuiltInSnapshots.run(api, settings, null, t0);
    assertThat(first.started()).as("the first look only schedules").isNull();
    assertThat(first.nextRun()).isEqualTo(Instant.parse("2026-11-27T11:00:00Z"));

    Instant due = first.nextRun();
    var taking = BuiltInSnapshots.run(api, settings, due, due.plusSeconds(5));
    assertThat(taking.started()).isEqualTo(settings.names().forRun(due));
    assertThat(taking.nextRun()).isEqualTo(Instant.parse("2026-11-27T12:00:00Z"));
    awaitFinished(settings);
    // The operator crashed before recording the new next run: the same run is not taken twice.
    assertThat(BuiltInSnapshots.run(api, settings, due, due.plusSeconds(9)).started()).isNull();

    Instant run = taking.nextRun();
    for (int i = 0; i < 2; i++) {
      var pass = BuiltInSnapshots.run(api, settings, run, run);
      assertThat(pass.started()).isNotNull();
      awaitFinished(settings);
      run = pass.nextRun();
    }
    List<SnapshotInfo> before = api.snapshots(settings.repository(), settings.names());
    assertThat(before).hasSize(3).allMatch(SnapshotInfo::succeeded);
    assertThat(before.get(0).indices()).containsExactly("vigil-cloudtrail-2026.10.01");

    var retention = BuiltInSnapshots.run(api, settings, run, run.minusSeconds(60));
    assertThat(retention.started()).isNull();
    assertThat(retention.deleted()).containsExactly(before.get(0).name());
    assertThat(names(api.snapshots(settings.repository(), settings.names())))
        .containsExactly(before.get(1).name(), before.get(2).name());
    assertThat(
            registry
                .find("vigil_operator_external_calls_seconds")
                .tags("target", "opensearch", "operation", "create_snapshot", "outcome", "success")
                .timer()
                .count())
        .isEqualTo(3);
  }

  @Test
  void retentionByAgeKeepsMinCount() throws Exception {
    index("vigil-cloudtrail-2026.09.01", 1);
    SnapshotPolicy policy = policy("*/5 * * * *");
    policy.getSpec().indices = List.of("vigil-cloudtrail-2026.09.*");
    policy.getSpec().retention = SnapshotPolicies.retention("1d", null, 1);
    PolicySettings settings = PolicySettings.from(policy);
    Repositories.ensure(api, settings);
    Instant run = Instant.parse("2026-11-27T10:05:00Z");
    for (int i = 0; i < 2; i++) {
      var pass = BuiltInSnapshots.run(api, settings, run, run);
      assertThat(pass.started()).isNotNull();
      awaitFinished(settings);
      run = pass.nextRun();
    }
    // Real start times are now; two days later both are older than 1d, the newest stays.
    Instant later = Instant.now().plus(Duration.ofDays(2));
    var pass = BuiltInSnapshots.run(api, settings, later.plusSeconds(3600), later);
    assertThat(pass.deleted()).hasSize(1);
    assertThat(api.snapshots(settings.repository(), settings.names())).hasSize(1);
  }

  @Test
  void aRepositoryOutsidePathRepoIsRefusedWithOpenSearchsReason() throws Exception {
    SnapshotPolicy policy = policy("0 3 * * *");
    policy.getSpec().repository.fs.location = "/definitely/not/in/path.repo";
    PolicySettings settings = PolicySettings.from(policy);
    assertThatThrownBy(() -> Repositories.ensure(api, settings))
        .isInstanceOf(OpenSearchException.class)
        .hasMessageContaining("path.repo");
  }

  @Test
  void hotRetentionDeletesExpiredIndicesOnlyOnceASnapshotHoldsThem() throws Exception {
    String today = dotted(LocalDate.now(java.time.ZoneOffset.UTC));
    index("vigil-vpcflow-2026.01.01", 1);
    index("vigil-vpcflow-2026.01.02", 1);
    index("vigil-vpcflow-" + today, 1);
    index("vigil-vpcflow-latest", 1);
    index("app-" + test + "-2026.01.01", 1);
    SnapshotPolicy policy = policy("0 3 * * *");
    policy.getSpec().indices = List.of("vigil-vpcflow-*");
    policy.getSpec().hotRetention =
        List.of(
            SnapshotPolicies.hot(LogTypeName.vpcflow, null, "14d", true),
            SnapshotPolicies.hot(null, "app-" + test + "-*", "1d", false));
    PolicySettings settings = PolicySettings.from(policy);
    Repositories.ensure(api, settings);
    Instant now = Instant.now();

    var before = BuiltInHotRetention.run(api, settings, List.of(), now);
    assertThat(before.deleted()).containsExactly("app-" + test + "-2026.01.01");
    assertThat(before.waitingForSnapshot())
        .containsExactly("vigil-vpcflow-2026.01.01", "vigil-vpcflow-2026.01.02");
    assertThat(api.indices("vigil-vpcflow-*")).hasSize(4);

    Instant due = Instant.parse("2026-11-27T03:00:00Z");
    BuiltInSnapshots.run(api, settings, due, due.plusSeconds(1));
    awaitFinished(settings);
    var after =
        BuiltInHotRetention.run(
            api, settings, api.snapshots(settings.repository(), settings.names()), now);
    assertThat(after.deleted())
        .containsExactly("vigil-vpcflow-2026.01.01", "vigil-vpcflow-2026.01.02");
    assertThat(api.indices("vigil-vpcflow-*"))
        .containsExactlyInAnyOrder("vigil-vpcflow-" + today, "vigil-vpcflow-latest");
    assertThat(api.indices("app-" + test + "-*")).isEmpty();
  }

  @Test
  void restoresOneDaysIndicesUnderThePrefixAndIsHarmlessTwice() throws Exception {
    index("vigil-waf-2026.11.01", 3);
    index("vigil-waf-2026.11.02", 1);
    index("vigil-alb-2026.11.01", 1);
    SnapshotPolicy policy = policy("0 3 * * *");
    policy.getSpec().indices = List.of("vigil-waf-2026.11.*", "vigil-alb-2026.11.*");
    PolicySettings settings = PolicySettings.from(policy);
    Repositories.ensure(api, settings);
    Instant due = Instant.parse("2026-11-03T03:00:00Z");
    BuiltInSnapshots.run(api, settings, due, due);
    awaitFinished(settings);
    api.deleteIndices(List.of("vigil-waf-2026.11.01")); // gone from the hot window
    deleteIfPresent("restored-vigil-waf-2026.11.01");
    List<SnapshotInfo> snapshots = api.snapshots(settings.repository(), settings.names());

    RestoreStatus restored =
        Restores.restore(api, settings, snapshots, LocalDate.parse("2026-11-01"), "waf");
    assertThat(restored.state).isEqualTo("Restored");
    assertThat(restored.snapshot).isEqualTo(settings.names().forRun(due));
    assertThat(restored.restoredIndices).containsExactly("restored-vigil-waf-2026.11.01");
    await().atMost(TIMEOUT).until(() -> count("restored-vigil-waf-2026.11.01") == 3);
    assertThat(api.indices("vigil-waf-2026.11.01")).as("the live name stays free").isEmpty();
    assertThat(api.indices("restored-vigil-alb-*")).as("only the asked log type").isEmpty();

    RestoreStatus again =
        Restores.restore(api, settings, snapshots, LocalDate.parse("2026-11-01"), "waf");
    assertThat(again.state).isEqualTo("Restored");
    assertThat(again.message).contains("1 were restored before");

    RestoreStatus nothing =
        Restores.restore(api, settings, snapshots, LocalDate.parse("2026-10-01"), null);
    assertThat(nothing.state).isEqualTo("NothingToRestore");
    assertThat(nothing.message).contains("2026-10-01");
  }

  private SnapshotPolicy policy(String schedule) {
    String location = node.snapshotDirectory().resolve(test).toString();
    return SnapshotPolicies.fs("it-" + test, "p", location, schedule);
  }

  private void awaitFinished(PolicySettings settings) {
    await()
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                api.snapshots(settings.repository(), settings.names()).stream()
                    .noneMatch(SnapshotInfo::inProgress));
  }

  private void index(String index, int documents) throws Exception {
    deleteIfPresent(index);
    for (int i = 0; i < documents; i++) {
      rest.put(index + "/_doc/" + i + "?refresh=true", Map.of("n", i));
    }
  }

  private void deleteIfPresent(String index) throws Exception {
    api.deleteIndices(List.of(index));
  }

  private long count(String index) {
    try {
      return rest.get(index + "/_count").path("count").asLong();
    } catch (OpenSearchException e) {
      return -1;
    }
  }

  private static List<String> names(List<SnapshotInfo> snapshots) {
    return snapshots.stream().map(SnapshotInfo::name).toList();
  }

  private static String dotted(LocalDate day) {
    return dev.vigil.core.snapshot.IndexPartitions.daySuffix(day);
  }
}

package dev.vigil.operator.opensearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.api.v1alpha1.LogTypeName;
import dev.vigil.api.v1alpha1.SnapshotPolicy;
import dev.vigil.api.v1alpha1.SnapshotPolicyStatus.RestoreStatus;
import dev.vigil.core.LogType;
import dev.vigil.core.alerts.AlertIndexMapping;
import dev.vigil.core.alerts.StreamDetector;
import dev.vigil.core.parse.IndexNaming;
import dev.vigil.core.parse.IndexTemplates;
import dev.vigil.core.rules.RuleCompiler;
import dev.vigil.core.rules.RuleManifest;
import dev.vigil.core.snapshot.SnapshotInfo;
import dev.vigil.operator.connection.ClusterFacts;
import dev.vigil.operator.connection.ClusterProbe;
import dev.vigil.operator.detection.AlertIndex;
import dev.vigil.operator.detection.AlertNotifier;
import dev.vigil.operator.detection.BuiltInEngine;
import dev.vigil.operator.detection.RunOutcome;
import dev.vigil.operator.detection.ScheduledRule;
import dev.vigil.operator.snapshot.BuiltInHotRetention;
import dev.vigil.operator.snapshot.BuiltInSnapshots;
import dev.vigil.operator.snapshot.PolicySettings;
import dev.vigil.operator.snapshot.Repositories;
import dev.vigil.operator.snapshot.Restores;
import dev.vigil.operator.snapshot.SnapshotApi;
import dev.vigil.operator.snapshot.SnapshotMetrics;
import dev.vigil.operator.snapshot.SnapshotPolicies;
import dev.vigil.parts.OpenSearchNode;
import dev.vigil.parts.RealParts;
import dev.vigil.testing.VigilSecurityRoles;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The operator's OpenSearch calls — the connection probe, the built-in detection engine and its
 * {@code vigil-alerts}, snapshots, hot retention and restores — authenticated as the user that
 * {@code deploy/opensearch-security} maps to {@code vigil_operator}, on the node with the Security
 * plugin. The same credentials cannot write log data or touch indices outside Vigil's.
 *
 * <p>The Alerting, Notifications, ISM and Snapshot Management plugins are not runnable here
 * (docs/opensearch-security.md lists their permissions from the plugins' action names).
 */
class OperatorRoleIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final Path RULE = Path.of("../samples/detectionrule-cloudtrail-tampering.yaml");

  private final OpenSearchNode node = RealParts.securedOpenSearch();
  private final OpenSearchRest rest = operatorRest(node);
  private final SnapshotApi api =
      new SnapshotApi(rest, new SnapshotMetrics(new SimpleMeterRegistry()));

  @Test
  void theConnectionProbeReadsVersionHealthAndPlugins() throws Exception {
    ClusterFacts facts = ClusterProbe.probe(rest);
    assertThat(facts.version()).isEqualTo(OpenSearchNode.VERSION);
    assertThat(facts.health()).isIn("green", "yellow");
    assertThat(facts.plugins()).contains("opensearch-security");
  }

  @Test
  void theBuiltInEngineCreatesVigilAlertsSearchesTheRulesIndicesAndRaisesThenUpdatesAnAlert()
      throws Exception {
    admin("DELETE", "/" + AlertIndexMapping.INDEX + "?ignore_unavailable=true", null);
    // The ingester's templates (the ingester installs them; its own IT proves its role may).
    IndexTemplates templates = new IndexTemplates(IndexNaming.defaults());
    admin(
        "PUT",
        "/_component_template/" + templates.componentName(),
        templates.componentTemplate().toString());
    admin(
        "PUT",
        "/_index_template/" + templates.templateName(LogType.CLOUDTRAIL),
        templates.indexTemplate(LogType.CLOUDTRAIL).toString());
    String user = "arn:aws:iam::111122223333:user/operator-role-" + UUID.randomUUID();
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    String index =
        "vigil-cloudtrail-"
            + dev.vigil.core.snapshot.IndexPartitions.daySuffix(LocalDate.now(ZoneOffset.UTC));
    admin(
        "PUT",
        "/" + index + "/_doc/" + UUID.randomUUID() + "?refresh=true",
        stopLogging(user, now));

    StreamDetector.StreamRule compiled =
        StreamDetector.select(
                RuleManifest.read(Files.readString(RULE), RULE.toString()), RuleCompiler.defaults())
            .rules()
            .get(0);
    ScheduledRule rule =
        new ScheduledRule(
            "vigil",
            "cloudtrail-tampering",
            compiled.compiled(),
            compiled.alerts(),
            Duration.ofMinutes(5),
            rest,
            List.of(),
            Set.of());
    BuiltInEngine engine =
        new BuiltInEngine(
            new AlertIndex(), AlertNotifier.NONE, Clock.systemUTC(), Duration.ofMinutes(15));

    RunOutcome first = engine.run(rule);
    assertThat(first.result()).isEqualTo(RunOutcome.TRIGGERED);
    assertThat(alertsOf(user)).hasSize(1);
    RunOutcome second = engine.run(rule); // updates the open alert (an "index" bulk item)
    assertThat(second.result()).isEqualTo(RunOutcome.TRIGGERED);
    assertThat(alertsOf(user)).hasSize(1);
  }

  @Test
  void snapshotsHotRetentionAndRestoresOfVigilIndices() throws Exception {
    String test = "role" + UUID.randomUUID().toString().substring(0, 6);
    String old = "vigil-waf-2026.10.01";
    for (String index : List.of(old, "restored-" + old)) {
      admin("DELETE", "/" + index + "?ignore_unavailable=true", null);
    }
    admin("PUT", "/" + old + "/_doc/1?refresh=true", "{\"n\":1}");
    SnapshotPolicy policy =
        SnapshotPolicies.fs(
            "vigil", test, node.snapshotDirectory().resolve(test).toString(), "0 3 * * *");
    policy.getSpec().indices = List.of("vigil-waf-2026.10.*");
    policy.getSpec().hotRetention =
        List.of(SnapshotPolicies.hot(LogTypeName.waf, null, "14d", true));
    PolicySettings settings = PolicySettings.from(policy);

    assertThat(Repositories.ensure(api, settings)).isTrue();
    Instant due = Instant.parse("2026-10-02T03:00:00Z");
    assertThat(BuiltInSnapshots.run(api, settings, due, due).started()).isNotNull();
    await()
        .atMost(TIMEOUT)
        .until(
            () ->
                api.snapshots(settings.repository(), settings.names()).stream()
                    .allMatch(SnapshotInfo::succeeded));
    List<SnapshotInfo> snapshots = api.snapshots(settings.repository(), settings.names());
    assertThat(snapshots).hasSize(1);

    var hot = BuiltInHotRetention.run(api, settings, snapshots, Instant.now());
    assertThat(hot.deleted()).contains(old);
    assertThat(api.indices(old)).isEmpty();

    RestoreStatus restored =
        Restores.restore(api, settings, snapshots, LocalDate.parse("2026-10-01"), "waf");
    assertThat(restored.state).as(restored.message).isEqualTo("Restored");
    await().atMost(TIMEOUT).until(() -> api.indices("restored-" + old).size() == 1);

    // OpenSearch refuses (503) to delete a snapshot while a restore from it runs.
    await()
        .atMost(TIMEOUT)
        .ignoreException(OpenSearchException.class)
        .until(
            () -> {
              api.deleteSnapshots(settings.repository(), List.of(snapshots.get(0).name()));
              return true;
            });
    api.deleteRepository(settings.repository());
    assertThat(api.repository(settings.repository())).isNull();
  }

  @Test
  void theOperatorsCredentialsCannotWriteLogDataOrTouchOtherIndices() throws Exception {
    admin("PUT", "/elsewhere-operator/_doc/1?refresh=true", "{\"n\":1}");
    assertRefused(() -> rest.put("elsewhere-operator/_doc/2", JSON.createObjectNode()));
    assertRefused(() -> rest.delete("elsewhere-operator"));
    assertRefused(() -> rest.post("elsewhere-operator/_search", JSON.createObjectNode()));
    // Log data is the ingesters' to write; the operator reads it and deletes whole indices only.
    String logs = "vigil-cloudtrail-2026.10.05";
    admin("PUT", "/" + logs + "/_doc/real?refresh=true", "{\"n\":1}");
    assertRefused(() -> rest.put(logs + "/_doc/forged", JSON.createObjectNode()));
    assertRefused(() -> rest.delete(logs + "/_doc/real"));
    assertRefused(
        () -> rest.put("vigil-cloudtrail-2026.10.06/_doc/forged", JSON.createObjectNode()));
    assertThat(admin("HEAD", "/elsewhere-operator", null).statusCode()).isEqualTo(200);
    assertThat(admin("HEAD", "/" + logs + "/_doc/real", null).statusCode()).isEqualTo(200);
    assertThat(admin("HEAD", "/" + logs + "/_doc/forged", null).statusCode()).isEqualTo(404);
  }

  private interface Call {
    void run() throws OpenSearchException;
  }

  private static void assertRefused(Call call) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            OpenSearchException.class,
            e -> assertThat(e.status()).as(e.getMessage()).isEqualTo(403));
  }

  private List<JsonNode> alertsOf(String user) throws Exception {
    ObjectNode body = JSON.createObjectNode();
    body.putObject("query").putObject("term").put("key.userIdentity.arn", user);
    HttpResponse<String> response =
        admin("POST", "/" + AlertIndexMapping.INDEX + "/_search", body.toString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    List<JsonNode> out = new java.util.ArrayList<>();
    JSON.readTree(response.body()).path("hits").path("hits").forEach(h -> out.add(h));
    return out;
  }

  private static String stopLogging(String user, Instant time) {
    ObjectNode e = JSON.createObjectNode();
    e.put("@timestamp", time.toString());
    e.put("eventTime", time.toString());
    e.put("eventSource", "cloudtrail.amazonaws.com");
    e.put("eventName", "StopLogging");
    e.put("awsRegion", "eu-west-1");
    e.putObject("userIdentity").put("type", "IAMUser").put("arn", user);
    e.putObject("requestParameters").put("name", "org-trail");
    return e.toString();
  }

  @Test
  void theEngineReadsEveryOpenAlertOfARulePageAfterPage() throws Exception {
    AlertIndex index = new AlertIndex();
    index.ensure(rest);
    String rule = "many-" + UUID.randomUUID().toString().substring(0, 8);
    StringBuilder bulk = new StringBuilder();
    for (int i = 0; i < 25; i++) {
      String state = i == 0 ? "COMPLETED" : i % 3 == 0 ? "ACKNOWLEDGED" : "ACTIVE";
      String id = rule + "-" + i;
      bulk.append("{\"create\":{\"_index\":\"")
          .append(AlertIndexMapping.INDEX)
          .append("\",\"_id\":\"")
          .append(id)
          .append("\"}}\n")
          .append("{\"id\":\"")
          .append(id)
          .append("\",\"rule\":{\"namespace\":\"role\",\"name\":\"")
          .append(rule)
          .append("\"},\"state\":\"")
          .append(state)
          .append("\"}\n");
    }
    assertThat(admin("POST", "/_bulk?refresh=true", bulk.toString()).body())
        .contains("\"errors\":false");

    // Pages of 10 (the engine reads 1,000): the 24 open alerts take three, each read once.
    List<String> ids = index.open(rest, "role", rule, 10).stream().map(alert -> alert.id).toList();

    assertThat(ids).hasSize(24).doesNotHaveDuplicates().doesNotContain(rule + "-0");
  }

  private static OpenSearchRest operatorRest(OpenSearchNode node) {
    VigilSecurityRoles.User user = VigilSecurityRoles.operator(node);
    return new OpenSearchRest(
        new OpenSearchEndpoint(
            URI.create(node.uri() + "/"),
            RequestAuth.basic(user.name(), user.password()),
            node.sslContext(),
            false,
            Duration.ofSeconds(30)));
  }

  private HttpResponse<String> admin(String method, String path, String body) throws Exception {
    return node.httpClient()
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
  }
}

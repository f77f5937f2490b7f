package dev.vigil.operator.alerting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.api.v1alpha1.DeletionPolicy;
import dev.vigil.core.alerts.DesiredMonitor;
import dev.vigil.core.alerts.MonitorDestination;
import dev.vigil.core.alerts.MonitorRenderer;
import dev.vigil.core.alerts.VigilMarker;
import dev.vigil.core.rules.RuleDefinition;
import dev.vigil.operator.opensearch.OpenSearchException;
import dev.vigil.operator.opensearch.OpenSearchRest;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Monitor sync against {@link AlertingContractServer}, which parses every request body with the
 * Alerting plugin's own {@code Monitor} model and answers with its serialization (the plugin itself
 * cannot run here): a body the plugin would refuse fails the test.
 */
class MonitorSyncContractTest {
  private static final List<MonitorDestination> SLACK =
      List.of(
          new MonitorDestination("security-slack", "vigil-vigil-security-slack-0000", Set.of()));

  private AlertingContractServer server;
  private OpenSearchRest rest;
  private final MonitorRenderer renderer = new MonitorRenderer();

  @BeforeEach
  void start() throws Exception {
    server = new AlertingContractServer();
    rest = server.rest();
  }

  @AfterEach
  void stop() {
    if (server == null) {
      return;
    }
    assertThat(server.rejections()).as("requests the contract rejected").isEmpty();
    server.close();
  }

  private DesiredMonitor stopLogging() {
    return SampleRules.named("cloudtrail-tampering").render(renderer, SLACK);
  }

  @Test
  void createsTheMonitorOnceAndAnUnchangedReSyncWritesNothing() throws Exception {
    DesiredMonitor desired = stopLogging();
    MonitorSync.Result created = MonitorSync.sync(rest, desired);
    assertThat(created.action()).isEqualTo(SyncAction.CREATED);
    assertThat(server.writes()).isEqualTo(1);
    JsonNode stored = server.monitors().get(created.monitorId()).monitor();
    assertThat(stored.path("name").asText()).isEqualTo("vigil/vigil/cloudtrail-tampering");
    assertThat(VigilMarker.isOurs(stored, "vigil", "cloudtrail-tampering")).isTrue();
    assertThat(stored.path("ui_metadata").path("vigil").path("hash").asText())
        .isEqualTo(desired.hash());

    server.resetCounts();
    MonitorSync.Result byName = MonitorSync.sync(rest, stopLogging());
    MonitorSync.Result byId =
        MonitorSync.sync(
            rest, stopLogging(), new MonitorSync.Known(created.monitorId(), created.version()));
    assertThat(byName.action()).isEqualTo(SyncAction.UNCHANGED);
    assertThat(byId.action()).isEqualTo(SyncAction.UNCHANGED);
    assertThat(byName.monitorId()).isEqualTo(created.monitorId());
    assertThat(server.writes()).as("writes in the steady state").isZero();
    assertThat(server.reads()).isEqualTo(2);
    assertThat(server.monitors()).hasSize(1);
  }

  @Test
  void whatVigilReadsBackIsThePluginsSerializationAndDriftDetectionSeesNoDrift() throws Exception {
    DesiredMonitor desired = stopLogging();
    MonitorSync.Result created = MonitorSync.sync(rest, desired);
    JsonNode stored =
        rest.get("/_plugins/_alerting/monitors/" + created.monitorId()).path("monitor");
    // Not what Vigil sent: the model adds defaults and stamps, OpenSearch's builders rewrite the
    // DSL.
    assertThat(stored).isNotEqualTo(desired.body());
    assertThat(stored.path("last_update_time").isNumber()).isTrue();
    assertThat(stored.path("enabled_time").isNumber()).isTrue();
    assertThat(stored.path("triggers").get(0).has("query_level_trigger")).isTrue();
    JsonNode range =
        stored
            .path("inputs")
            .get(0)
            .path("search")
            .path("query")
            .path("query")
            .path("bool")
            .path("filter")
            .get(1)
            .path("range")
            .path("@timestamp");
    assertThat(range.has("from") && range.has("include_lower") && range.has("boost")).isTrue();
    assertThat(range.has("gte")).isFalse();
    assertThat(
            stored
                .path("inputs")
                .get(0)
                .path("search")
                .path("query")
                .path("track_total_hits")
                .isNumber())
        .as("track_total_hits as a number")
        .isTrue();
    // Yet the drift comparison finds nothing to repair in that shape.
    assertThat(MonitorDrift.differences(desired.body(), stored)).isEmpty();
  }

  @Test
  void aChangedRuleUpdatesTheSameMonitor() throws Exception {
    MonitorSync.Result created = MonitorSync.sync(rest, stopLogging());
    SampleRules.Sample sample = SampleRules.named("cloudtrail-tampering");
    RuleDefinition i = sample.info();
    RuleDefinition lower = SampleRules.renamed(i, i.namespace(), i.name(), 4);
    server.resetCounts();
    MonitorSync.Result updated =
        MonitorSync.sync(rest, renderer.render(sample.compiled(), lower, SLACK));
    assertThat(updated.action()).isEqualTo(SyncAction.UPDATED);
    assertThat(updated.monitorId()).isEqualTo(created.monitorId());
    assertThat(server.writes()).isEqualTo(1);
    JsonNode trigger =
        server
            .monitors()
            .get(created.monitorId())
            .monitor()
            .path("triggers")
            .get(0)
            .path("query_level_trigger");
    assertThat(trigger.path("severity").asText()).isEqualTo("4");
  }

  @Test
  void handEditsAreRepaired() throws Exception {
    MonitorSync.Result created = MonitorSync.sync(rest, stopLogging());
    String id = created.monitorId();

    // A trigger condition edited by hand (marker and hash untouched).
    server.handEdit(
        id,
        m ->
            ((ObjectNode)
                    m.path("triggers")
                        .get(0)
                        .path("query_level_trigger")
                        .path("condition")
                        .path("script"))
                .put("source", "ctx.results[0].hits.total.value > 1000"));
    MonitorSync.Result repaired = MonitorSync.sync(rest, stopLogging());
    assertThat(repaired.action()).isEqualTo(SyncAction.REPAIRED);
    assertThat(repaired.detail()).contains("condition.script.source");
    assertThat(
            server
                .monitors()
                .get(id)
                .monitor()
                .path("triggers")
                .get(0)
                .path("query_level_trigger")
                .path("condition")
                .path("script")
                .path("source")
                .asText())
        .isEqualTo("ctx.results[0].hits.total.value > 0");

    // The query edited by hand: a value Vigil set is gone.
    server.handEdit(id, m -> replaceText(m.path("inputs"), "StopLogging", "Nothing"));
    assertThat(MonitorSync.sync(rest, stopLogging()).action()).isEqualTo(SyncAction.REPAIRED);
    assertThat(server.monitors().get(id).monitor().path("inputs").toString())
        .contains("StopLogging");

    // An edit Vigil cannot see in the fields (only added), caught by the version it last wrote.
    MonitorSync.Result last = MonitorSync.sync(rest, stopLogging());
    assertThat(last.action()).isEqualTo(SyncAction.UNCHANGED);
    server.handEdit(
        id,
        m ->
            ((ObjectNode) m.path("inputs").get(0).path("search").path("query"))
                .put("timeout", "1ms"));
    MonitorSync.Known known = new MonitorSync.Known(id, last.version());
    MonitorSync.Result byVersion = MonitorSync.sync(rest, stopLogging(), known);
    assertThat(byVersion.action()).isEqualTo(SyncAction.REPAIRED);
    assertThat(
            server
                .monitors()
                .get(id)
                .monitor()
                .path("inputs")
                .get(0)
                .path("search")
                .path("query")
                .has("timeout"))
        .isFalse();
    server.resetCounts();
    assertThat(
            MonitorSync.sync(rest, stopLogging(), new MonitorSync.Known(id, byVersion.version()))
                .action())
        .isEqualTo(SyncAction.UNCHANGED);
    assertThat(server.writes()).isZero();

    // The marker itself removed (e.g. an editor that rewrites ui_metadata): found by name,
    // restored.
    server.handEdit(id, m -> m.remove("ui_metadata"));
    MonitorSync.Result remarked =
        MonitorSync.sync(rest, stopLogging(), new MonitorSync.Known(id, byVersion.version()));
    assertThat(remarked.action()).isEqualTo(SyncAction.REPAIRED);
    assertThat(remarked.monitorId()).isEqualTo(id);
    assertThat(
            VigilMarker.isOurs(
                server.monitors().get(id).monitor(), "vigil", "cloudtrail-tampering"))
        .isTrue();
    assertThat(server.monitors()).hasSize(1);
  }

  @Test
  void aRuleWithAVeryLongNameIsStillFoundAgain() throws Exception {
    SampleRules.Sample s = SampleRules.named("cloudtrail-tampering");
    RuleDefinition i = s.info();
    String longName = "x".repeat(253);
    RuleDefinition longRule =
        SampleRules.renamed(i, "a-namespace-with-a-long-name", longName, i.severity());
    DesiredMonitor desired = renderer.render(s.compiled(), longRule, SLACK);
    assertThat(MonitorSync.sync(rest, desired).action()).isEqualTo(SyncAction.CREATED);
    server.resetCounts();
    assertThat(MonitorSync.sync(rest, renderer.render(s.compiled(), longRule, SLACK)).action())
        .isEqualTo(SyncAction.UNCHANGED);
    assertThat(server.writes()).isZero();
    assertThat(desired.name()).hasSizeLessThanOrEqualTo(200).startsWith("vigil/a-namespace");
    assertThat(VigilMarker.monitorName("ns", longName))
        .isNotEqualTo(VigilMarker.monitorName("ns", longName.substring(1) + "y"));
  }

  @Test
  void aMonitorDeletedByHandIsCreatedAgain() throws Exception {
    MonitorSync.Result created = MonitorSync.sync(rest, stopLogging());
    server.handDelete(created.monitorId());
    MonitorSync.Result again =
        MonitorSync.sync(
            rest, stopLogging(), new MonitorSync.Known(created.monitorId(), created.version()));
    assertThat(again.action()).isEqualTo(SyncAction.REPAIRED);
    assertThat(again.monitorId()).isNotEqualTo(created.monitorId());
    assertThat(server.monitors()).containsOnlyKeys(again.monitorId());
  }

  @Test
  void deleteRemovesOnlyVigilsMonitorAndHonoursRetain() throws Exception {
    MonitorSync.Result created = MonitorSync.sync(rest, stopLogging());
    ObjectNode foreign = stopLogging().body().deepCopy();
    foreign.remove("ui_metadata");
    foreign.put("name", "someone-elses-monitor");
    String foreignId = server.handCreate(foreign);

    MonitorSync.Known known = new MonitorSync.Known(created.monitorId(), created.version());
    assertThat(
            MonitorSync.delete(rest, "vigil", "cloudtrail-tampering", known, DeletionPolicy.Retain))
        .isZero();
    assertThat(server.monitors()).containsKey(created.monitorId());

    assertThat(
            MonitorSync.delete(rest, "vigil", "cloudtrail-tampering", known, DeletionPolicy.Delete))
        .isEqualTo(1);
    assertThat(server.monitors()).containsOnlyKeys(foreignId);
    // Already gone is success.
    assertThat(
            MonitorSync.delete(rest, "vigil", "cloudtrail-tampering", known, DeletionPolicy.Delete))
        .isZero();
  }

  @Test
  void anExistingMonitorWithTheSameNameIsAdoptedNotDuplicated() throws Exception {
    ObjectNode handMade = stopLogging().body().deepCopy();
    handMade.remove("ui_metadata");
    String existing = server.handCreate(handMade);

    MonitorSync.Result adopted = MonitorSync.sync(rest, stopLogging());
    assertThat(adopted.action()).isEqualTo(SyncAction.ADOPTED);
    assertThat(adopted.monitorId()).isEqualTo(existing);
    assertThat(server.monitors()).containsOnlyKeys(existing);
    assertThat(
            VigilMarker.isOurs(
                server.monitors().get(existing).monitor(), "vigil", "cloudtrail-tampering"))
        .isTrue();
    server.resetCounts();
    assertThat(MonitorSync.sync(rest, stopLogging()).action()).isEqualTo(SyncAction.UNCHANGED);
    assertThat(server.writes()).isZero();
  }

  @Test
  void duplicateVigilMonitorsOfOneRuleAreReducedToOne() throws Exception {
    String first = server.handCreate(stopLogging().body());
    String second = server.handCreate(stopLogging().body());
    MonitorSync.Result result = MonitorSync.sync(rest, stopLogging());
    assertThat(result.action()).isEqualTo(SyncAction.UNCHANGED);
    assertThat(result.removedDuplicates()).isEqualTo(1);
    assertThat(server.monitors()).containsOnlyKeys(result.monitorId());
    assertThat(List.of(first, second)).contains(result.monitorId());
  }

  @Test
  void aGroupedThresholdBecomesABucketLevelMonitor() throws Exception {
    DesiredMonitor desired = SampleRules.named("s3-access-denied-spike").render(renderer, SLACK);
    assertThat(desired.type()).isEqualTo("bucket_level_monitor");
    MonitorSync.Result created = MonitorSync.sync(rest, desired);
    assertThat(created.action()).isEqualTo(SyncAction.CREATED);
    JsonNode m = server.monitors().get(created.monitorId()).monitor();
    JsonNode search = m.path("inputs").get(0).path("search");
    assertThat(search.path("indices").get(0).asText()).isEqualTo("vigil-cloudtrail-*");
    JsonNode composite =
        search.path("query").path("aggregations").path("composite_agg").path("composite");
    assertThat(
            composite
                .path("sources")
                .get(0)
                .path("userIdentity.arn")
                .path("terms")
                .path("field")
                .asText())
        .isEqualTo("userIdentity.arn");
    JsonNode trigger = m.path("triggers").get(0).path("bucket_level_trigger");
    assertThat(trigger.path("severity").asText()).isEqualTo("3");
    assertThat(trigger.path("condition").path("parent_bucket_path").asText())
        .isEqualTo("composite_agg");
    assertThat(trigger.path("condition").path("script").path("source").asText())
        .isEqualTo("params._count > 20");
    JsonNode action = trigger.path("actions").get(0);
    assertThat(action.path("destination_id").asText()).isEqualTo(SLACK.get(0).configId());
    assertThat(action.path("throttle").path("value").asInt()).isEqualTo(60); // suppression 1h
    server.resetCounts();
    assertThat(MonitorSync.sync(rest, desired).action()).isEqualTo(SyncAction.UNCHANGED);
    assertThat(server.writes()).isZero();
  }

  /**
   * A first-seen rule is a bucket-level monitor the plugin's model takes as sent: the composite
   * spans history and window, each bucket counts its matches before the window, and the trigger
   * keeps the buckets with none.
   */
  @Test
  void aFirstSeenRuleBecomesABucketLevelMonitorCountingEachKeysHistory() throws Exception {
    DesiredMonitor desired =
        SampleRules.named("guardduty-new-high-severity-finding-type").render(renderer, SLACK);
    assertThat(desired.type()).isEqualTo("bucket_level_monitor");
    MonitorSync.Result created = MonitorSync.sync(rest, desired);
    assertThat(created.action()).isEqualTo(SyncAction.CREATED);
    JsonNode m = server.monitors().get(created.monitorId()).monitor();
    JsonNode agg =
        m.path("inputs")
            .get(0)
            .path("search")
            .path("query")
            .path("aggregations")
            .path("composite_agg");
    assertThat(
            agg.path("composite")
                .path("sources")
                .get(1)
                .path("aws.guardduty.type")
                .path("terms")
                .path("field")
                .asText())
        .isEqualTo("aws.guardduty.type");
    // OpenSearch's own range builder writes lt as to with include_upper false.
    JsonNode range =
        agg.path("aggregations").path("history").path("filter").path("range").path("@timestamp");
    assertThat(range.path("to").asText()).isEqualTo("{{period_end}}||-900s");
    assertThat(range.path("include_upper").asBoolean()).isFalse();
    JsonNode condition = m.path("triggers").get(0).path("bucket_level_trigger").path("condition");
    assertThat(condition.path("buckets_path").path("history").asText()).isEqualTo("history>_count");
    assertThat(condition.path("script").path("source").asText()).isEqualTo("params.history == 0");
    server.resetCounts();
    assertThat(MonitorSync.sync(rest, desired).action()).isEqualTo(SyncAction.UNCHANGED);
    assertThat(server.writes()).isZero();
  }

  /** Every shipped rule, as the plugin's Monitor model parses it, and its round trip. */
  @Test
  void everySampleRuleSyncsWithinTheContractAndThenStaysStill() throws Exception {
    List<SampleRules.Sample> samples = SampleRules.all();
    assertThat(samples).hasSizeGreaterThanOrEqualTo(40);
    for (SampleRules.Sample s : samples) {
      assertThat(MonitorSync.sync(rest, s.render(renderer, SLACK)).action())
          .as(s.toString())
          .isEqualTo(SyncAction.CREATED);
    }
    server.resetCounts();
    for (SampleRules.Sample s : samples) {
      assertThat(MonitorSync.sync(rest, s.render(renderer, SLACK)).action())
          .as(s.toString())
          .isEqualTo(SyncAction.UNCHANGED);
    }
    assertThat(server.writes()).isZero();
    assertThat(server.monitors()).hasSize(samples.size());
  }

  @Test
  void everySampleRuleThatCanBeDocumentLevelIsAcceptedAsADocumentLevelMonitor() throws Exception {
    MonitorRenderer documentLevel = new MonitorRenderer(RuleDefinition.MonitorType.DocumentLevel);
    List<SampleRules.Sample> fitting =
        SampleRules.all().stream().filter(s -> documentLevel.unfit(s.compiled()) == null).toList();
    assertThat(fitting).hasSizeGreaterThanOrEqualTo(10);
    for (SampleRules.Sample s : fitting) {
      MonitorSync.Result created = MonitorSync.sync(rest, s.render(documentLevel, SLACK));
      assertThat(created.action()).as(s.toString()).isEqualTo(SyncAction.CREATED);
      assertThat(server.monitors().get(created.monitorId()).monitor().path("monitor_type").asText())
          .isEqualTo("doc_level_monitor");
    }
    server.resetCounts();
    for (SampleRules.Sample s : fitting) {
      assertThat(MonitorSync.sync(rest, s.render(documentLevel, SLACK)).action())
          .as(s.toString())
          .isEqualTo(SyncAction.UNCHANGED);
    }
    assertThat(server.writes()).isZero();
  }

  @Test
  void monitorTypeDocumentLevelMakesADocumentLevelMonitor() throws Exception {
    DesiredMonitor desired =
        SampleRules.named("cloudtrail-tampering")
            .render(new MonitorRenderer(RuleDefinition.MonitorType.DocumentLevel), SLACK);
    assertThat(desired.type()).isEqualTo("doc_level_monitor");
    MonitorSync.Result created = MonitorSync.sync(rest, desired);
    JsonNode m = server.monitors().get(created.monitorId()).monitor();
    JsonNode query = m.path("inputs").get(0).path("doc_level_input").path("queries").get(0);
    assertThat(query.path("query").asText()).contains("StopLogging");
    assertThat(
            m.path("triggers")
                .get(0)
                .path("document_level_trigger")
                .path("condition")
                .path("script")
                .path("source")
                .asText())
        .isEqualTo("query[name=" + query.path("name").asText() + "]");
    server.resetCounts();
    assertThat(MonitorSync.sync(rest, desired).action()).isEqualTo(SyncAction.UNCHANGED);
    assertThat(server.writes()).isZero();
  }

  @Test
  void actionsGoOnlyToChannelsThatReceiveTheRulesSeverity() {
    List<MonitorDestination> channels =
        List.of(
            new MonitorDestination("pager", "cfg-pager", Set.of(1)),
            new MonitorDestination("chat", "cfg-chat", Set.of(2, 3)),
            new MonitorDestination("all", "cfg-all", Set.of()));
    JsonNode actions =
        SampleRules.named("cloudtrail-tampering")
            .render(renderer, channels)
            .body()
            .path("triggers")
            .get(0)
            .path("actions");
    assertThat(SampleRules.named("cloudtrail-tampering").info().severity()).isEqualTo(1);
    assertThat(actions.findValuesAsText("destination_id")).containsExactly("cfg-pager", "cfg-all");
  }

  @Test
  void thePluginsModelsRefuseBrokenMonitorsWithThePluginsMessages() {
    ObjectNode unknownActionField = stopLogging().body().deepCopy();
    ((ObjectNode) unknownActionField.path("triggers").get(0).path("actions").get(0))
        .put("destination", "x");
    // Action.parse throws IllegalStateException, which AlertingException.wrap answers with 500.
    assertThat(refusal(unknownActionField))
        .contains("answered 500: Unexpected field: destination, while parsing action");

    ObjectNode noSeverity = stopLogging().body().deepCopy();
    ((ObjectNode) noSeverity.path("triggers").get(0)).remove("severity");
    // QueryLevelTrigger.parse leaves the lateinit severity unset: the plugin answers 500.
    assertThat(refusal(noSeverity))
        .contains("answered 500: lateinit property severity has not been initialized");

    ObjectNode unknownQuery = stopLogging().body().deepCopy();
    ObjectNode filter =
        (ObjectNode)
            unknownQuery
                .path("inputs")
                .get(0)
                .path("search")
                .path("query")
                .path("query")
                .path("bool")
                .path("filter")
                .get(0);
    filter.removeAll();
    filter.putObject("no_such_query").put("field", "x");
    // The search input is parsed by OpenSearch's own query parsers (SearchModule's registry); the
    // plugin's AlertingException.wrap keeps only the outer message, not "unknown query [...]".
    assertThat(refusal(unknownQuery))
        .contains("answered 400: [1:")
        .contains("[bool] failed to parse field [filter]");

    ObjectNode longThrottle = stopLogging().body().deepCopy();
    ((ObjectNode) longThrottle.path("triggers").get(0).path("actions").get(0))
        .put("throttle_enabled", true)
        .putObject("throttle")
        .put("value", 2 * 24 * 60)
        .put("unit", "MINUTES");
    // TransportIndexMonitorAction: plugins.alerting.action_throttle_max_value, 24h by default.
    assertThat(refusal(longThrottle))
        .contains("answered 400: Can only set throttle period less than or equal to 1d");

    ObjectNode wrongTrigger =
        SampleRules.named("s3-access-denied-spike").render(renderer, SLACK).body().deepCopy();
    wrongTrigger.put("monitor_type", "query_level_monitor");
    assertThat(refusal(wrongTrigger)).contains("answered 400");

    ObjectNode badQueryName =
        SampleRules.named("cloudtrail-tampering")
            .render(new MonitorRenderer(RuleDefinition.MonitorType.DocumentLevel), SLACK)
            .body()
            .deepCopy();
    ObjectNode docQuery =
        (ObjectNode)
            badQueryName.path("inputs").get(0).path("doc_level_input").path("queries").get(0);
    docQuery.put("name", "_hidden");
    // RestIndexMonitorAction.validateDocLevelQueryName, on top of the model.
    assertThat(refusal(badQueryName))
        .contains("answered 400: Doc level query name may not start with [_, +, -]");
    assertThat(server.rejections()).hasSize(6);
    server.close();
    server = null;
  }

  private String refusal(ObjectNode monitor) {
    return assertThatThrownBy(() -> rest.post("/_plugins/_alerting/monitors", monitor))
        .isInstanceOf(OpenSearchException.class)
        .actual()
        .getMessage();
  }

  private static void replaceText(JsonNode node, String from, String to) {
    if (node.isObject()) {
      ObjectNode o = (ObjectNode) node;
      var it = o.fields();
      while (it.hasNext()) {
        var e = it.next();
        if (e.getValue().isTextual() && e.getValue().asText().contains(from)) {
          e.setValue(
              com.fasterxml.jackson.databind.node.TextNode.valueOf(
                  e.getValue().asText().replace(from, to)));
        } else {
          replaceText(e.getValue(), from, to);
        }
      }
    } else if (node.isArray()) {
      node.forEach(n -> replaceText(n, from, to));
    }
  }
}

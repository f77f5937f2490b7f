package dev.vigil.core.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.core.rules.CompiledRule;
import dev.vigil.core.rules.FirstSeenCondition;
import dev.vigil.core.rules.RuleCompiler;
import dev.vigil.core.rules.RuleDefinition;
import dev.vigil.core.rules.RuleManifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How one engine run of a first-seen rule reads OpenSearch's pages: the bounds and paging of the
 * searches it sends, which buckets it keeps, and where it stops (agreement with OpenSearch itself:
 * FirstSeenAgreementIT).
 */
class FirstSeenSearchTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

  private static RuleManifest manifest() throws Exception {
    Path path = Path.of("../samples/detections/route53resolver-newly-seen-domain.yaml");
    return RuleManifest.read(Files.readString(path), path.toString()).get(0);
  }

  private static CompiledRule rule() throws Exception {
    return manifest().compile(RuleCompiler.defaults());
  }

  /** A page of {@code size} buckets, the first {@code fresh} of them first seen in the window. */
  private static JsonNode page(int from, int size, int fresh, Instant windowStart) {
    ObjectNode response = JSON.createObjectNode();
    ObjectNode groups = response.putObject("aggregations").putObject(CompiledRule.GROUPS);
    ArrayNode buckets = groups.putArray("buckets");
    for (int i = 0; i < size; i++) {
      ObjectNode b = buckets.addObject();
      b.putObject("key").put("vpc_id", "vpc-1").put("query_name", "n" + (from + i) + ".example.");
      b.put("doc_count", 2);
      Instant first = i < fresh ? windowStart.plusSeconds(5) : windowStart.minusSeconds(1);
      b.putObject(CompiledRule.FIRST).put("value", first.toEpochMilli());
      ObjectNode hit =
          b.putObject(EngineSearch.LATEST).putObject("hits").putArray("hits").addObject();
      hit.put("_id", "d" + (from + i));
      hit.putObject("_source").put("query_name", "n" + (from + i) + ".example.");
    }
    groups.putObject("after_key").put("vpc_id", "vpc-1").put("query_name", "n" + (from + size));
    return response;
  }

  @Test
  void aRunSearchesHistoryAndWindowPageByPageAndKeepsKeysFirstSeenInTheWindow() throws Exception {
    CompiledRule rule = rule();
    Instant windowStart = NOW.minus(rule.window());
    List<JsonNode> sent = new ArrayList<>();
    FirstSeenSearch.Result result =
        FirstSeenSearch.run(
            rule,
            NOW,
            body -> {
              sent.add(body);
              return sent.size() == 1
                  ? page(0, CompiledRule.MAX_GROUPS, 3, windowStart)
                  : page(CompiledRule.MAX_GROUPS, 10, 1, windowStart);
            });
    assertThat(sent).hasSize(2);
    JsonNode range = sent.get(0).path("query").path("bool").path("filter").get(1).path("range");
    assertThat(range.path("@timestamp").path("gte").asText())
        .isEqualTo(windowStart.minus(rule.firstSeen().history()).toString());
    assertThat(range.path("@timestamp").path("lte").asText()).isEqualTo(NOW.toString());
    assertThat(sent.get(0).path("aggs").path("groups").path("composite").has("after")).isFalse();
    assertThat(sent.get(1).path("aggs").path("groups").path("composite").path("after"))
        .isEqualTo(
            page(0, CompiledRule.MAX_GROUPS, 0, windowStart)
                .path("aggregations")
                .path("groups")
                .path("after_key"));
    assertThat(result.triggers())
        .extracting(t -> t.key().get("query_name"))
        .containsExactly("n0.example.", "n1.example.", "n2.example.", "n1000.example.");
    Trigger first = result.triggers().get(0);
    assertThat(first.documentIds()).containsExactly("d0");
    assertThat(first.firstEvent()).isEqualTo(windowStart.plusSeconds(5));
    assertThat(first.count()).isEqualTo(2);
    assertThat(result.note()).isNull();
  }

  @Test
  void aRunReportsAtMostItsCapOfNewKeysAndSaysSo() throws Exception {
    CompiledRule rule = rule();
    Instant windowStart = NOW.minus(rule.window());
    FirstSeenSearch.Result result =
        FirstSeenSearch.run(rule, NOW, body -> page(0, 500, 500, windowStart));
    assertThat(result.triggers()).hasSize(FirstSeenCondition.MAX_NEW_PER_RUN);
    assertThat(result.note()).startsWith("more than 100 new values in one run");
  }

  @Test
  void aRunReadsAtMostItsCapOfPagesAndSaysSo() throws Exception {
    CompiledRule rule = rule();
    Instant windowStart = NOW.minus(rule.window());
    int[] pages = {0};
    FirstSeenSearch.Result result =
        FirstSeenSearch.run(
            rule,
            NOW,
            body ->
                page(
                    pages[0]++ * CompiledRule.MAX_GROUPS, CompiledRule.MAX_GROUPS, 0, windowStart));
    assertThat(pages[0]).isEqualTo(FirstSeenSearch.MAX_PAGES);
    assertThat(result.triggers()).isEmpty();
    assertThat(result.note()).startsWith("read the first 50000 values of vpc_id, query_name");
  }

  @Test
  void theAlertsOfAFirstSeenRuleAreKeyedByItsFieldsAndTheStreamLeavesItToTheSchedule()
      throws Exception {
    RuleManifest manifest = manifest();
    AlertRule alerts = AlertRule.of(manifest.definition(), rule());
    assertThat(alerts.key()).containsExactly("vpc_id", "query_name");
    assertThat(alerts.trigger())
        .isEqualTo("first seen in 1h by vpc_id, query_name (not in the 7d before)");
    StreamDetector.Selection selection =
        StreamDetector.select(List.of(manifest), RuleCompiler.defaults());
    assertThat(selection.rules()).isEmpty();
    assertThat(selection.skipped())
        .containsExactly(
            "route53resolver-newly-seen-domain: first seen needs the history before the window"
                + " (scheduled engine only)");
  }

  @Test
  void aFirstSeenRuleIsABucketLevelMonitorWhoseBucketsHaveNoMatchBeforeTheWindow()
      throws Exception {
    RuleManifest manifest = manifest();
    DesiredMonitor monitor = new MonitorRenderer().render(rule(), manifest.definition(), List.of());
    assertThat(monitor.type()).isEqualTo("bucket_level_monitor");
    JsonNode query = monitor.body().path("inputs").get(0).path("search").path("query");
    assertThat(
            query
                .path("query")
                .path("bool")
                .path("filter")
                .get(1)
                .path("range")
                .path("@timestamp")
                .path("gte")
                .asText())
        .isEqualTo("{{period_end}}||-608400s");
    JsonNode agg = query.path("aggregations").path("composite_agg");
    assertThat(agg.path("composite").path("sources")).hasSize(2);
    assertThat(
            agg.path("aggs")
                .path("history")
                .path("filter")
                .path("range")
                .path("@timestamp")
                .path("lt")
                .asText())
        .isEqualTo("{{period_end}}||-3600s");
    JsonNode condition =
        monitor.body().path("triggers").get(0).path("bucket_level_trigger").path("condition");
    assertThat(condition.path("buckets_path").path("history").asText()).isEqualTo("history>_count");
    assertThat(condition.path("script").path("source").asText()).isEqualTo("params.history == 0");
    assertThat(new MonitorRenderer(RuleDefinition.MonitorType.QueryLevel).unfit(rule()))
        .contains("a firstSeen rule alerts per key");
  }
}

package dev.vigil.operator.alerting;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.core.LogType;
import dev.vigil.core.alerts.DesiredMonitor;
import dev.vigil.core.alerts.MonitorRenderer;
import dev.vigil.core.parse.IndexNaming;
import dev.vigil.core.parse.IndexTemplates;
import dev.vigil.core.rules.RuleCompiler;
import dev.vigil.core.rules.RuleDefinition;
import dev.vigil.core.rules.RuleManifest;
import dev.vigil.core.rules.RuleTester;
import dev.vigil.operator.opensearch.OpenSearchEndpoint;
import dev.vigil.operator.opensearch.OpenSearchException;
import dev.vigil.operator.opensearch.OpenSearchRest;
import dev.vigil.operator.opensearch.RequestAuth;
import dev.vigil.parts.OpenSearchNode;
import dev.vigil.parts.RealParts;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The search each rendered monitor runs, run for real on OpenSearch 2.19.4 (the Alerting plugin
 * itself cannot run here): every samples/ DetectionRule's monitor input is sent with {@code
 * {{period_end}}} filled in as Alerting does, against an index (Vigil's CloudTrail template under a
 * test prefix) holding the rules' own test events (normalized by Vigil's parser, stamped "now"). A
 * query OpenSearch rejects fails the test; so does a monitor that does not find its rule's Match
 * events, or finds its NoMatch events (rules without test events, such as the imported Sigma
 * samples, are checked for acceptance only).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MonitorSearchIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  // Its own prefix: documents stamped "now" under vigil-cloudtrail-* would be live events to any
  // other test in this JVM that runs detections.
  private static final IndexNaming NAMING =
      new IndexNaming("monitorsearchit", IndexNaming.Granularity.DAILY);
  private static final String INDEX = NAMING.index(LogType.CLOUDTRAIL, Instant.now());

  private OpenSearchRest rest;
  private long now;

  /** Rule name → ids of its Match / NoMatch test documents. */
  private final Map<String, Set<String>> matches = new LinkedHashMap<>();

  private final Map<String, Set<String>> nonMatches = new LinkedHashMap<>();

  Stream<SampleRules.Sample> samples() {
    return SampleRules.all().stream();
  }

  @BeforeAll
  void indexTestEvents() throws Exception {
    OpenSearchNode node = RealParts.openSearch();
    rest =
        new OpenSearchRest(
            new OpenSearchEndpoint(
                node.uri(), RequestAuth.NONE, null, false, Duration.ofSeconds(60)));
    IndexTemplates templates = new IndexTemplates(NAMING);
    rest.put("/_component_template/" + templates.componentName(), templates.componentTemplate());
    rest.put(
        "/_index_template/" + templates.templateName(LogType.CLOUDTRAIL),
        templates.indexTemplate(LogType.CLOUDTRAIL));
    try {
      rest.delete("/" + INDEX);
    } catch (OpenSearchException e) {
      if (!e.isNotFound()) {
        throw e;
      }
    }
    now = System.currentTimeMillis();
    String stamp = Instant.ofEpochMilli(now - 1000).toString();
    StringBuilder bulk = new StringBuilder();
    for (SampleRules.Sample s : SampleRules.all()) {
      RuleManifest m = s.manifest();
      List<RuleManifest.Case> tests = m.tests();
      if (!"cloudtrail".equals(m.source().logType())
          || RuleCompiler.defaults().compile(m.source()).postFilter() != null) {
        // This index holds CloudTrail documents (other types are checked in core's ITs); rules
        // with a Java post-filter are refused by the operator, so they never become monitors.
        continue;
      }
      for (int c = 0; c < tests.size(); c++) {
        if (tests.get(c).isSequence()) {
          continue; // whole-rule sequences are for `vigil rules test`; single events are indexed
        }
        List<JsonNode> docs =
            RuleTester.standard().normalize(tests.get(c).event(), LogType.CLOUDTRAIL, m.file());
        for (int d = 0; d < docs.size(); d++) {
          String id = m.name() + "#" + c + "#" + d;
          ObjectNode doc = (ObjectNode) docs.get(d);
          doc.put("@timestamp", stamp); // inside every monitor's window at period_end = now
          (tests.get(c).expectMatch() ? matches : nonMatches)
              .computeIfAbsent(m.name(), k -> new HashSet<>())
              .add(id);
          bulk.append(JSON.writeValueAsString(Map.of("index", Map.of("_index", INDEX, "_id", id))))
              .append('\n')
              .append(JSON.writeValueAsString(doc))
              .append('\n');
        }
      }
    }
    JsonNode response =
        rest.send("POST", "/_bulk?refresh=true", bulk.toString().getBytes(StandardCharsets.UTF_8));
    assertThat(response.path("errors").asBoolean()).as("bulk errors: %s", response).isFalse();
    assertThat(matches).as("sample rules with Match test events").hasSizeGreaterThanOrEqualTo(40);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void theMonitorsSearchRunsOnOpenSearchAndFindsItsRulesEvents(SampleRules.Sample sample)
      throws Exception {
    DesiredMonitor monitor = sample.render(new MonitorRenderer(), List.of());
    JsonNode search = monitor.body().path("inputs").get(0).path("search");
    assertThat(search.path("indices")).hasSize(1);
    String pattern = search.path("indices").get(0).asText();
    String liveIndex =
        IndexNaming.defaults()
            .index(
                sample.compiled().logType() == null
                    ? LogType.CLOUDTRAIL
                    : sample.compiled().logType(),
                Instant.now());
    assertThat(
            FileSystems.getDefault().getPathMatcher("glob:" + pattern).matches(Path.of(liveIndex)))
        .as("index pattern %s covers today's index %s", pattern, liveIndex)
        .isTrue();
    // Alerting renders the input as a mustache template with period_end (epoch millis) each run.
    String body = search.path("query").toString().replace("{{period_end}}", Long.toString(now));
    JsonNode response =
        rest.send("POST", "/" + INDEX + "/_search", body.getBytes(StandardCharsets.UTF_8));

    Set<String> expected = matches.getOrDefault(sample.manifest().name(), Set.of());
    Set<String> unexpected = nonMatches.getOrDefault(sample.manifest().name(), Set.of());
    assertThat(response.path("hits").isObject()).as("a search response: %s", response).isTrue();
    if (expected.isEmpty()) {
      return; // a rule without test events (the imported Sigma samples): accepted is the check
    }
    if (monitor.type().equals("bucket_level_monitor")) {
      JsonNode buckets = response.path("aggregations").path("composite_agg").path("buckets");
      long counted = 0;
      for (JsonNode b : buckets) {
        counted += b.path("doc_count").asLong();
      }
      assertThat(buckets).as("composite buckets").isNotEmpty();
      assertThat(counted).isGreaterThanOrEqualTo(expected.size());
      // And the events it counts are the rule's: the same query without the aggregation.
      ObjectNode hits = (ObjectNode) JSON.readTree(body);
      hits.remove("aggregations");
      hits.put("size", 1000);
      assertHits(
          rest.send("POST", "/" + INDEX + "/_search", JSON.writeValueAsBytes(hits)),
          expected,
          unexpected);
    } else {
      assertThat(response.path("hits").path("total").path("value").asLong())
          .isGreaterThanOrEqualTo(expected.size());
      ObjectNode all = (ObjectNode) JSON.readTree(body);
      all.put("size", 1000);
      assertHits(
          rest.send("POST", "/" + INDEX + "/_search", JSON.writeValueAsBytes(all)),
          expected,
          unexpected);
    }

    // Where the rule fits a document-level monitor, its query string runs on OpenSearch too.
    MonitorRenderer documentLevel = new MonitorRenderer(RuleDefinition.MonitorType.DocumentLevel);
    if (documentLevel.unfit(sample.compiled()) == null) {
      DesiredMonitor docLevel = sample.render(documentLevel, List.of());
      String query =
          docLevel
              .body()
              .path("inputs")
              .get(0)
              .path("doc_level_input")
              .path("queries")
              .get(0)
              .path("query")
              .asText();
      ObjectNode q = JSON.createObjectNode();
      q.put("size", 1000);
      q.putObject("query").putObject("query_string").put("query", query);
      assertHits(
          rest.send("POST", "/" + INDEX + "/_search", JSON.writeValueAsBytes(q)),
          expected,
          unexpected);
    }
  }

  private static void assertHits(JsonNode response, Set<String> expected, Set<String> unexpected) {
    List<String> ids = new ArrayList<>();
    response.path("hits").path("hits").forEach(h -> ids.add(h.path("_id").asText()));
    assertThat(ids).containsAll(expected).doesNotContainAnyElementsOf(unexpected);
  }
}

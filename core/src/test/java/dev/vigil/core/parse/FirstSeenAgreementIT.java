package dev.vigil.core.parse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.core.LogType;
import dev.vigil.core.alerts.FirstSeenSearch;
import dev.vigil.core.alerts.MonitorRenderer;
import dev.vigil.core.alerts.Trigger;
import dev.vigil.core.rules.CompiledRule;
import dev.vigil.core.rules.ConditionSimulator;
import dev.vigil.core.rules.FieldTypes;
import dev.vigil.core.rules.FirstSeenCondition;
import dev.vigil.core.rules.QueryEvaluator;
import dev.vigil.core.rules.RuleCompiler;
import dev.vigil.core.rules.RuleManifest;
import dev.vigil.core.rules.RuleTester;
import dev.vigil.parts.OpenSearchNode;
import dev.vigil.testing.RealPartsExtension;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The built-in engine's first-seen search on a real OpenSearch 2.19 reports exactly the keys the
 * in-memory reference ({@link FirstSeenCondition#newKeys}, what {@code vigil rules test} runs)
 * reports: every first-seen rule under samples/, every test case's records (history included)
 * indexed with Vigil's templates into an index of their own, and a run at each record's time. Each
 * case's own verdict is then checked against OpenSearch's answer too.
 */
@ExtendWith(RealPartsExtension.class)
class FirstSeenAgreementIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<LogType> TYPES =
      List.of(LogType.ROUTE53RESOLVER, LogType.GUARDDUTY, LogType.VPCFLOW);

  @BeforeAll
  static void templates(OpenSearchNode node) throws Exception {
    RuleAgreementIT.installTemplates(node, TYPES);
  }

  /** One record at its time, as indexed. */
  private record Timed(String id, Instant at, JsonNode doc) {}

  @Test
  void theEnginesFirstSeenKeysEqualTheInMemoryOnesForEveryCaseOfEveryFirstSeenSampleRule(
      OpenSearchNode node) throws Exception {
    int rules = 0;
    int runs = 0;
    int newKeys = 0;
    int index = 0;
    List<String> problems = new ArrayList<>();
    for (LogType type : TYPES) {
      for (RuleManifest m : RuleAgreementIT.sampleManifests(type)) {
        CompiledRule rule = m.compile(RuleCompiler.defaults());
        if (rule.firstSeen() == null) {
          continue;
        }
        rules++;
        FieldTypes types = FieldTypes.of(type);
        QueryEvaluator evaluator = new QueryEvaluator(types);
        ConditionSimulator simulator = new ConditionSimulator(types);
        JsonNode monitorSearch =
            new MonitorRenderer()
                .render(rule, m.definition(), List.of())
                .body()
                .path("inputs")
                .get(0)
                .path("search")
                .path("query");
        for (RuleManifest.Case c : m.tests()) {
          List<Timed> records = new ArrayList<>();
          if (c.isSequence()) {
            c.sequence().steps().forEach(s -> expand(type, m, s, records));
          } else {
            expand(type, m, new RuleManifest.Step(c.event(), 1, java.time.Duration.ZERO), records);
            c.history().forEach(s -> expand(type, m, s, records));
          }
          String name = "vigil-" + type.id() + "-firstseen-" + index++;
          index(node, type, name, records);
          List<Map.Entry<Instant, List<String>>> matches = new ArrayList<>();
          for (Timed r : records) {
            if (rule.matches(evaluator, r.doc())) {
              matches.add(
                  Map.entry(r.at(), simulator.groupKeys(r.doc(), rule.firstSeen().fields())));
            }
          }
          TreeSet<String> seenByEngine = new TreeSet<>();
          List<Instant> times = records.stream().map(Timed::at).distinct().sorted().toList();
          for (Instant now : times) {
            runs++;
            FirstSeenSearch.Result result =
                FirstSeenSearch.run(rule, now, body -> search(node, name, body));
            TreeSet<String> engine = new TreeSet<>();
            for (Trigger t : result.triggers()) {
              engine.add(key(rule, t));
            }
            TreeSet<String> reference =
                new TreeSet<>(rule.firstSeen().newKeys(matches, now, rule.window()).keySet());
            TreeSet<String> monitor = monitorKeys(node, name, rule, monitorSearch, now);
            if (!monitor.equals(reference)) {
              problems.add(
                  m.name()
                      + " / "
                      + c.name()
                      + " at "
                      + now
                      + ": the Alerting monitor's buckets "
                      + monitor
                      + " vs in-memory "
                      + reference);
            }
            newKeys += engine.size();
            if (!engine.equals(reference) || result.note() != null) {
              problems.add(
                  m.name()
                      + " / "
                      + c.name()
                      + " at "
                      + now
                      + ": OpenSearch "
                      + engine
                      + " vs in-memory "
                      + reference
                      + " ("
                      + result.note()
                      + ")");
            }
            if (!c.isSequence() && now.equals(records.get(0).at())) {
              if (engine.isEmpty() == c.expectMatch()) {
                problems.add(m.name() + " / " + c.name() + ": OpenSearch says " + engine);
              }
            }
            seenByEngine.addAll(
                rule.firstSeen().runTimes(matches, rule.window(), times.get(0)).contains(now)
                    ? engine
                    : List.of());
          }
          if (c.isSequence()) {
            boolean alerts = !seenByEngine.isEmpty();
            if (alerts != c.sequence().expectAlert()
                || c.sequence().groups() != null
                    && !new TreeSet<>(c.sequence().groups()).equals(seenByEngine)) {
              problems.add(
                  m.name() + " / " + c.name() + ": OpenSearch's runs alert for " + seenByEngine);
            }
          }
        }
      }
    }
    System.out.printf(
        "first-seen agreement: %d rules, %d runs, %d new keys%n", rules, runs, newKeys);
    assertThat(problems).as("runs where OpenSearch and the in-memory reference differ").isEmpty();
    assertThat(rules).as("first-seen sample rules").isGreaterThanOrEqualTo(3);
    assertThat(newKeys).as("the runs report new keys, so agreement is not vacuous").isPositive();
  }

  /**
   * The keys the Alerting monitor's trigger keeps at {@code now}: its search run as Alerting runs
   * it ({@code period_end} filled in), each composite bucket with no match before the window
   * ({@code params.history == 0}, evaluated here: the test node has no painless).
   */
  private static TreeSet<String> monitorKeys(
      OpenSearchNode node, String index, CompiledRule rule, JsonNode search, Instant now)
      throws Exception {
    String body = search.toString().replace("{{period_end}}", Long.toString(now.toEpochMilli()));
    JsonNode response = search(node, index, (ObjectNode) JSON.readTree(body));
    TreeSet<String> out = new TreeSet<>();
    for (JsonNode b : response.path("aggregations").path("composite_agg").path("buckets")) {
      if (b.path("history").path("doc_count").asLong() == 0) {
        List<String> values = new ArrayList<>();
        rule.firstSeen().fields().forEach(f -> values.add(b.path("key").path(f).asText()));
        out.add(FirstSeenCondition.join(values));
      }
    }
    return out;
  }

  private static String key(CompiledRule rule, Trigger t) {
    List<String> values = new ArrayList<>();
    rule.firstSeen().fields().forEach(f -> values.add(t.key().get(f)));
    return FirstSeenCondition.join(values);
  }

  private static void expand(
      LogType type, RuleManifest m, RuleManifest.Step step, List<Timed> out) {
    for (JsonNode doc : RuleTester.standard().normalize(step.event(), type, m.file())) {
      Instant first = Instant.parse(doc.path(CompiledRule.TIMESTAMP).asText());
      for (int i = 0; i < step.repeat(); i++) {
        Instant at = first.plus(step.every().multipliedBy(i));
        ObjectNode copy = doc.deepCopy();
        copy.put(CompiledRule.TIMESTAMP, at.toString());
        out.add(new Timed("r" + out.size(), at, copy));
      }
    }
  }

  private static void index(OpenSearchNode node, LogType type, String index, List<Timed> records)
      throws Exception {
    BulkBody bulk = new BulkBody(1 << 20);
    for (Timed r : records) {
      bulk.add(new ParsedDocument(type, index, r.id(), r.at(), JSON.writeValueAsBytes(r.doc())));
    }
    JsonNode response =
        RuleAgreementIT.send(
            node,
            node.request("/_bulk?refresh=true")
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bulk.toByteArray())));
    assertThat(response.path("errors").asBoolean()).as("bulk errors: %s", response).isFalse();
  }

  private static JsonNode search(OpenSearchNode node, String index, ObjectNode body)
      throws Exception {
    JsonNode response =
        RuleAgreementIT.send(
            node,
            node.request("/" + index + "/_search")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
    assertThat(response.has("error")).as("search error: %s", response).isFalse();
    return response;
  }
}

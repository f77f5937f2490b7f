package dev.vigil.core.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.core.rules.CompiledRule;
import dev.vigil.core.rules.FieldTypes;
import dev.vigil.core.rules.QueryEvaluator;
import java.time.Duration;

/**
 * The built-in engine's search for one run: the compiled rule's own search body, plus what the
 * engine needs to write a useful alert — a sample of matching document ids (top hits per group) and
 * the time of the earliest match (which decides the alert's suppression bucket). The match and the
 * condition are untouched, so both executors still agree on what fires.
 */
public final class EngineSearch {
  static final String FIRST = "first";
  static final String LATEST = "latest";
  static final int SAMPLE = 20;

  private EngineSearch() {}

  /**
   * The response as the rule means it: for a rule with a post-filter (a comparison of two fields,
   * which OpenSearch cannot run), only the hits whose {@code _source} pass it. Such a rule is an
   * every-match rule (the compiler refuses a count over a post-filter), so the hits are all there
   * is to filter; like any every-match run it sees at most the newest {@code size} hits.
   */
  public static JsonNode postFiltered(CompiledRule rule, JsonNode response) {
    if (rule.postFilter() == null) {
      return response;
    }
    QueryEvaluator evaluator =
        new QueryEvaluator(
            rule.logType() == null ? FieldTypes.unknown() : FieldTypes.of(rule.logType()));
    ObjectNode filtered = response.deepCopy();
    ArrayNode kept = ((ObjectNode) filtered.path("hits")).putArray("hits");
    for (JsonNode hit : response.path("hits").path("hits")) {
      if (evaluator.matches(rule.postFilter(), hit.path("_source"))) {
        kept.add(hit);
      }
    }
    return filtered;
  }

  public static ObjectNode body(CompiledRule rule) {
    return body(rule, Duration.ZERO);
  }

  /**
   * With {@code lateArrival}, an every-match rule looks back that much further than its window:
   * events reach OpenSearch minutes after they happened (CloudTrail delivers within about 15
   * minutes), and a window of exactly one interval would miss them. The overlap raises nothing
   * twice — an open alert is updated, and a new one gets the same deterministic id. Counting rules
   * keep their window: widening it would change what they count.
   */
  public static ObjectNode body(CompiledRule rule, Duration lateArrival) {
    if (rule.firstSeen() != null) {
      throw new IllegalArgumentException(
          rule.name() + ": a first-seen rule runs page by page (FirstSeenSearch)");
    }
    ObjectNode body = rule.searchBody();
    if (rule.condition() == null) {
      if (!lateArrival.isZero()) {
        for (JsonNode filter : body.path("query").path("bool").path("filter")) {
          JsonNode range = filter.path("range").path(CompiledRule.TIMESTAMP);
          if (range.isObject()) {
            ((ObjectNode) range)
                .put("gte", "now-" + rule.window().plus(lateArrival).toSeconds() + "s");
          }
        }
      }
      return body; // every match: the hits themselves
    }
    if (rule.condition().groupBy().isEmpty()) {
      body.put("size", SAMPLE);
      body.putObject("aggs").putObject(FIRST).putObject("min").put("field", CompiledRule.TIMESTAMP);
      return body;
    }
    ObjectNode groups = (ObjectNode) body.path("aggs").path("groups");
    ObjectNode sub = groups.putObject("aggs");
    sub.putObject(FIRST).putObject("min").put("field", CompiledRule.TIMESTAMP);
    ObjectNode top = sub.putObject(LATEST).putObject("top_hits");
    top.put("size", SAMPLE);
    top.putArray("sort").addObject().putObject(CompiledRule.TIMESTAMP).put("order", "desc");
    return body;
  }
}

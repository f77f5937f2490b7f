package dev.vigil.core.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.core.LogType;
import java.time.Duration;

/**
 * The one executable form of a rule: an OpenSearch query over an index pattern, plus an optional
 * aggregation and the condition on its result. Both executors (an Alerting monitor and Vigil's
 * built-in engine) run {@link #searchBody()} as is; the in-memory evaluator runs {@link #query()}.
 *
 * <p>When the rule compares two fields of an event (Sigma's {@code fieldref}), which OpenSearch
 * cannot do without scripts, {@link #query()} is a wider native query and {@link #postFilter()} the
 * exact one: an executor keeps only the hits whose {@code _source} the post-filter matches ({@link
 * #matches}). An executor that cannot run it must refuse the rule, never drop it.
 *
 * @param logType the log type whose documents the query expects, or null for a custom index
 * @param query the match query (no time filter)
 * @param condition threshold/window/groupBy, or null: every match alerts
 * @param window how far back each run looks (the condition's window, else the interval)
 * @param attribution where a converted rule came from (Sigma), or null
 * @param postFilter the exact query to run in Java over each hit, or null (see {@link PostFilter})
 * @param firstSeen alert on keys new in the window (then {@code condition} is null), or null
 */
public record CompiledRule(
    String name,
    LogType logType,
    String indexPattern,
    ObjectNode query,
    RuleSource.Threshold condition,
    Duration window,
    Attribution attribution,
    ObjectNode postFilter,
    FirstSeenCondition firstSeen) {
  private static final ObjectMapper JSON = new ObjectMapper();
  public static final String TIMESTAMP = "@timestamp";
  public static final String GROUPS = "groups";
  public static final String FIRST = "first";
  public static final int MAX_GROUPS = 1000;
  static final int MAX_HITS = 100;

  /** A rule OpenSearch answers exactly: no post-filter. */
  public CompiledRule(
      String name,
      LogType logType,
      String indexPattern,
      ObjectNode query,
      RuleSource.Threshold condition,
      Duration window,
      Attribution attribution) {
    this(name, logType, indexPattern, query, condition, window, attribution, null, null);
  }

  /** A rule without a first-seen condition. */
  public CompiledRule(
      String name,
      LogType logType,
      String indexPattern,
      ObjectNode query,
      RuleSource.Threshold condition,
      Duration window,
      Attribution attribution,
      ObjectNode postFilter) {
    this(name, logType, indexPattern, query, condition, window, attribution, postFilter, null);
  }

  /**
   * Whether the rule matches one normalized document: its query and, if it has one, its
   * post-filter. This is the match the in-memory tests, streaming detection and an executor's
   * post-filtering of hits all use.
   */
  public boolean matches(QueryEvaluator evaluator, JsonNode document) {
    return evaluator.matches(query, document)
        && (postFilter == null || evaluator.matches(postFilter, document));
  }

  /** Body of {@code POST <indexPattern>/_search} for one run of the rule. */
  public ObjectNode searchBody() {
    if (firstSeen != null) {
      return firstSeenBody("now-" + window.plus(firstSeen.history()).toSeconds() + "s", "now");
    }
    ObjectNode body = JSON.createObjectNode();
    ObjectNode bool = body.putObject("query").putObject("bool");
    ArrayNode filter = bool.putArray("filter");
    filter.add(query.deepCopy());
    filter
        .addObject()
        .putObject("range")
        .putObject(TIMESTAMP)
        .put("gte", "now-" + window.toSeconds() + "s")
        .put("lte", "now");
    body.putArray("sort").addObject().putObject(TIMESTAMP).put("order", "desc");
    if (condition == null) {
      body.put("size", MAX_HITS);
    } else if (condition.groupBy().isEmpty()) {
      body.put("size", 1);
      body.put("track_total_hits", true);
    } else {
      body.put("size", 0);
      ObjectNode groups = body.putObject("aggs").putObject(GROUPS);
      if (condition.groupBy().size() == 1) {
        groups
            .putObject("terms")
            .put("field", condition.groupBy().get(0))
            .put("size", MAX_GROUPS)
            .put("min_doc_count", condition.threshold() + 1L);
      } else {
        ObjectNode terms = groups.putObject("multi_terms");
        ArrayNode fields = terms.putArray("terms");
        condition.groupBy().forEach(f -> fields.addObject().put("field", f));
        terms.put("size", MAX_GROUPS).put("min_doc_count", condition.threshold() + 1L);
      }
    }
    return body;
  }

  /**
   * The first-seen search over {@code [from, to]} (history and window): one composite bucket per
   * key ({@value #GROUPS}, a terms source per field, {@value #MAX_GROUPS} a page) with the earliest
   * {@code @timestamp} of its matches ({@value #FIRST}). A key is new when that lies in the window.
   */
  public ObjectNode firstSeenBody(String from, String to) {
    ObjectNode body = JSON.createObjectNode();
    ArrayNode filter = body.putObject("query").putObject("bool").putArray("filter");
    filter.add(query.deepCopy());
    filter.addObject().putObject("range").putObject(TIMESTAMP).put("gte", from).put("lte", to);
    body.put("size", 0);
    ObjectNode groups = body.putObject("aggs").putObject(GROUPS);
    ObjectNode composite = groups.putObject("composite").put("size", MAX_GROUPS);
    ArrayNode sources = composite.putArray("sources");
    firstSeen
        .fields()
        .forEach(f -> sources.addObject().putObject(f).putObject("terms").put("field", f));
    groups.putObject("aggs").putObject(FIRST).putObject("min").put("field", TIMESTAMP);
    return body;
  }

  /**
   * The condition on the search response: {@code any} (a hit), {@code count} (hits.total.value >
   * threshold) or {@code bucket} (a bucket of aggregations.groups with doc_count > threshold).
   */
  public ObjectNode conditionJson() {
    ObjectNode c = JSON.createObjectNode();
    if (firstSeen != null) {
      c.put("type", "firstSeen");
      c.put("aggregation", GROUPS);
      ArrayNode by = c.putArray("fields");
      firstSeen.fields().forEach(by::add);
      c.put("history", firstSeen.history().toString());
    } else if (condition == null) {
      c.put("type", "any");
    } else {
      c.put("type", condition.groupBy().isEmpty() ? "count" : "bucket");
      c.put("threshold", condition.threshold());
      if (!condition.groupBy().isEmpty()) {
        c.put("aggregation", GROUPS);
        ArrayNode by = c.putArray("groupBy");
        condition.groupBy().forEach(by::add);
      }
    }
    c.put("window", window.toString());
    return c;
  }

  /** Everything about the compiled rule, as printed by {@code vigil sigma convert}. */
  public ObjectNode toJson() {
    ObjectNode out = JSON.createObjectNode();
    out.put("rule", name);
    if (logType != null) {
      out.put("logType", logType.id());
    }
    out.putArray("indices").add(indexPattern);
    out.set("query", query.deepCopy());
    out.set("search", searchBody());
    out.set("condition", conditionJson());
    if (postFilter != null) {
      ObjectNode pf = out.putObject("postFilter");
      pf.set("query", postFilter.deepCopy());
      pf.put(
          "why",
          "the rule compares two fields of one event, which OpenSearch cannot without scripts:"
              + " the search above matches a superset, and the executor keeps the hits whose"
              + " _source this query matches");
    }
    if (attribution != null) {
      out.set("attribution", JSON.valueToTree(attribution));
    }
    return out;
  }

  /** The query as a compact JSON string. */
  public String queryJson() {
    try {
      return JSON.writeValueAsString(query);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static JsonNode copy(JsonNode node) {
    return node.deepCopy();
  }
}

package dev.vigil.core.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.core.DesiredStateHash;
import dev.vigil.core.rules.Attack;
import dev.vigil.core.rules.CompiledRule;
import dev.vigil.core.rules.RuleDefinition;
import dev.vigil.core.rules.RuleDefinition.MonitorType;
import dev.vigil.core.rules.RuleSource;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders a compiled DetectionRule as an OpenSearch Alerting monitor (pure JSON building; the
 * operator syncs it), following the Alerting API
 * (https://docs.opensearch.org/latest/observing-your-data/alerting/api/):
 *
 * <ul>
 *   <li>every match (no condition) → {@code query_level_monitor}, trigger {@code hits.total.value >
 *       0};
 *   <li>a count threshold without groupBy → {@code query_level_monitor}, trigger {@code
 *       hits.total.value > threshold};
 *   <li>a threshold with groupBy → {@code bucket_level_monitor} over a composite aggregation (one
 *       terms source per field), trigger {@code params._count > threshold} per bucket;
 *   <li>a first-seen rule → {@code bucket_level_monitor} over a composite aggregation spanning
 *       history and window, trigger {@code params.history == 0} per bucket (no match before the
 *       window);
 *   <li>a rule's {@code spec.monitorType: DocumentLevel} → {@code doc_level_monitor} for a Lucene
 *       query rule without condition (the form doc-level queries take).
 * </ul>
 *
 * The kind follows the rule's {@code spec.monitorType} ({@link MonitorType}); Auto picks by the
 * condition as above. A kind the rule cannot take is reported by {@link #unfit}.
 *
 * <p>The search runs over {@code [period_end - window, period_end]} ({@code {{period_end}}} is
 * filled in by Alerting on each run). Severity is the rule's 1–5; one action per
 * NotificationChannel that receives that severity; the rule's suppression window becomes the action
 * throttle.
 */
public final class MonitorRenderer {
  static final String COMPOSITE = "composite_agg";
  static final String HISTORY = "history";
  static final int MAX_HITS = 10;
  static final int MAX_BUCKETS = 1000;
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_@.]+)\\s*}}");

  private final MonitorType kind;

  /** Picks the kind by the rule's condition (monitorType Auto). */
  public MonitorRenderer() {
    this(MonitorType.Auto);
  }

  /**
   * @param kind the rule's {@code spec.monitorType}; null is Auto
   */
  public MonitorRenderer(MonitorType kind) {
    this.kind = kind == null ? MonitorType.Auto : kind;
  }

  /** Why the rule cannot become this kind of monitor (a message naming spec fields), or null. */
  public String unfit(CompiledRule compiled) {
    if (compiled.firstSeen() != null) {
      return kind == MonitorType.Auto || kind == MonitorType.BucketLevel
          ? null
          : "spec.monitorType "
              + kind
              + ": a firstSeen rule alerts per key, as BucketLevel (or Auto)";
    }
    boolean grouped = compiled.condition() != null && !compiled.condition().groupBy().isEmpty();
    return switch (kind) {
      case Auto -> null;
      case QueryLevel ->
          grouped
              ? "spec.monitorType QueryLevel counts all matches together: remove"
                  + " condition.groupBy, or use BucketLevel"
              : null;
      case BucketLevel ->
          grouped ? null : "spec.monitorType BucketLevel needs condition.groupBy (the buckets)";
      case DocumentLevel ->
          compiled.condition() != null
              ? "spec.monitorType DocumentLevel alerts per document: it takes no condition"
              : luceneQuery(compiled) == null
                  ? "spec.monitorType DocumentLevel needs the match written as query: (Lucene"
                      + " query_string), the form document-level monitor queries take"
                  : null;
    };
  }

  /** The Alerting {@code monitor_type} this renderer gives the rule. */
  String monitorType(CompiledRule compiled) {
    return switch (kind) {
      case QueryLevel -> "query_level_monitor";
      case BucketLevel -> "bucket_level_monitor";
      case DocumentLevel -> "doc_level_monitor";
      case Auto ->
          compiled.firstSeen() != null
                  || compiled.condition() != null && !compiled.condition().groupBy().isEmpty()
              ? "bucket_level_monitor"
              : "query_level_monitor";
    };
  }

  /**
   * @throws IllegalArgumentException when the rule cannot take the kind ({@link #unfit})
   */
  public DesiredMonitor render(
      CompiledRule compiled, RuleDefinition rule, List<MonitorDestination> channels) {
    String problem = unfit(compiled);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    String name = VigilMarker.monitorName(rule.namespace(), rule.name());
    RuleSource.Threshold condition = compiled.condition();
    String type = monitorType(compiled);
    ObjectNode body = NODES.objectNode();
    body.put("type", "monitor");
    body.put("name", name);
    body.put("monitor_type", type);
    body.put("enabled", true);
    body.putObject("schedule")
        .putObject("period")
        .put("interval", minutes(rule.interval().toSeconds()))
        .put("unit", "MINUTES");
    ArrayNode inputs = body.putArray("inputs");
    ArrayNode triggers = body.putArray("triggers");
    String triggerId = VigilMarker.digest(name, 12) + "-trigger";
    String triggerName = rule.name() + " (severity " + rule.severity() + ")";
    switch (type) {
      case "bucket_level_monitor" -> {
        if (compiled.firstSeen() != null) {
          inputs.addObject().set("search", searchInput(compiled, firstSeenSearch(compiled)));
          ObjectNode trigger = triggers.addObject().putObject("bucket_level_trigger");
          trigger.put("id", triggerId).put("name", triggerName);
          trigger.put("severity", Integer.toString(rule.severity()));
          ObjectNode c = trigger.putObject("condition");
          c.putObject("buckets_path").put(HISTORY, HISTORY + ">_count");
          c.put("parent_bucket_path", COMPOSITE);
          c.putObject("script")
              .put("source", "params." + HISTORY + " == 0")
              .put("lang", "painless");
          trigger.set("actions", actions(name, rule, channels, true));
          break;
        }
        inputs.addObject().set("search", searchInput(compiled, bucketSearch(compiled)));
        ObjectNode trigger = triggers.addObject().putObject("bucket_level_trigger");
        trigger.put("id", triggerId).put("name", triggerName);
        trigger.put("severity", Integer.toString(rule.severity()));
        ObjectNode c = trigger.putObject("condition");
        c.putObject("buckets_path").put("_count", "_count");
        c.put("parent_bucket_path", COMPOSITE);
        c.putObject("script")
            .put("source", "params._count > " + condition.threshold())
            .put("lang", "painless");
        trigger.set("actions", actions(name, rule, channels, true));
      }
      case "doc_level_monitor" -> {
        String queryName = docQueryName(rule.name());
        ObjectNode input = inputs.addObject().putObject("doc_level_input");
        input.put("description", describe(rule));
        input.putArray("indices").add(compiled.indexPattern());
        ObjectNode q = input.putArray("queries").addObject();
        q.put("id", VigilMarker.digest(name, 12) + "-query");
        q.put("name", queryName);
        q.put("query", luceneQuery(compiled));
        ArrayNode tags = q.putArray("tags");
        rule.tags().stream().map(MonitorRenderer::docQueryName).forEach(tags::add);
        attackIds(rule).forEach(tags::add);
        ObjectNode trigger = triggers.addObject().putObject("document_level_trigger");
        trigger.put("id", triggerId).put("name", triggerName);
        trigger.put("severity", Integer.toString(rule.severity()));
        trigger
            .putObject("condition")
            .putObject("script")
            .put("source", "query[name=" + queryName + "]")
            .put("lang", "painless");
        trigger.set("actions", actions(name, rule, channels, true));
      }
      default -> {
        inputs.addObject().set("search", searchInput(compiled, querySearch(compiled)));
        // The flat trigger form, as the API documentation's query-level example sends it.
        ObjectNode trigger = triggers.addObject();
        trigger.put("id", triggerId).put("name", triggerName);
        trigger.put("severity", Integer.toString(rule.severity()));
        int threshold = condition == null ? 0 : condition.threshold();
        trigger
            .putObject("condition")
            .putObject("script")
            .put("source", "ctx.results[0].hits.total.value > " + threshold)
            .put("lang", "painless");
        trigger.set("actions", actions(name, rule, channels, false));
      }
    }
    String hash = DesiredStateHash.of(body);
    body.set(VigilMarker.UI_METADATA, VigilMarker.uiMetadata(rule.namespace(), rule.name(), hash));
    return new DesiredMonitor(rule.namespace(), rule.name(), name, type, body, hash);
  }

  /** The Lucene query string of a rule written as {@code query:}, or null. */
  static String luceneQuery(CompiledRule compiled) {
    JsonNode qs = compiled.query().path("query_string");
    return compiled.query().size() == 1 && qs.path("query").isTextual()
        ? qs.path("query").asText()
        : null;
  }

  private static ObjectNode searchInput(CompiledRule compiled, ObjectNode query) {
    ObjectNode search = NODES.objectNode();
    search.putArray("indices").add(compiled.indexPattern());
    search.set("query", query);
    return search;
  }

  /** The rule's query over the {@code lookbackSeconds} up to the monitor's period end. */
  private static ObjectNode timeBoundQuery(CompiledRule compiled, long lookbackSeconds) {
    ObjectNode query = NODES.objectNode();
    ArrayNode filter = query.putObject("bool").putArray("filter");
    filter.add(compiled.query().deepCopy());
    filter
        .addObject()
        .putObject("range")
        .putObject(CompiledRule.TIMESTAMP)
        .put("gte", "{{period_end}}||-" + lookbackSeconds + "s")
        .put("lte", "{{period_end}}")
        .put("format", "epoch_millis");
    return query;
  }

  /** A composite aggregation with a terms source per field; returns its named node. */
  private static ObjectNode compositeOver(ObjectNode body, List<String> fields) {
    ObjectNode agg = body.putObject("aggregations").putObject(COMPOSITE);
    ObjectNode composite = agg.putObject("composite");
    composite.put("size", MAX_BUCKETS);
    ArrayNode sources = composite.putArray("sources");
    for (String field : fields) {
      sources.addObject().putObject(field).putObject("terms").put("field", field);
    }
    return agg;
  }

  private static ObjectNode querySearch(CompiledRule compiled) {
    ObjectNode body = NODES.objectNode();
    body.put("size", compiled.condition() == null ? MAX_HITS : 1);
    body.put("track_total_hits", true);
    body.set("query", timeBoundQuery(compiled, compiled.window().toSeconds()));
    body.putArray("sort").addObject().putObject(CompiledRule.TIMESTAMP).put("order", "desc");
    return body;
  }

  /**
   * A first-seen rule as a bucket-level monitor: the composite over its fields spans history and
   * window, and each bucket counts its matches before the window ({@value #HISTORY}); a bucket with
   * none is a key first seen in the window — what the built-in engine decides from the earliest
   * match.
   */
  private static ObjectNode firstSeenSearch(CompiledRule compiled) {
    ObjectNode body = NODES.objectNode();
    body.put("size", 0);
    long windowSeconds = compiled.window().toSeconds();
    body.set(
        "query",
        timeBoundQuery(compiled, windowSeconds + compiled.firstSeen().history().toSeconds()));
    ObjectNode agg = compositeOver(body, compiled.firstSeen().fields());
    agg.putObject("aggs")
        .putObject(HISTORY)
        .putObject("filter")
        .putObject("range")
        .putObject(CompiledRule.TIMESTAMP)
        .put("lt", "{{period_end}}||-" + windowSeconds + "s")
        .put("format", "epoch_millis");
    return body;
  }

  private static ObjectNode bucketSearch(CompiledRule compiled) {
    ObjectNode body = NODES.objectNode();
    body.put("size", 0);
    body.set("query", timeBoundQuery(compiled, compiled.window().toSeconds()));
    compositeOver(body, compiled.condition().groupBy());
    return body;
  }

  private static ArrayNode actions(
      String monitorName,
      RuleDefinition rule,
      List<MonitorDestination> channels,
      boolean perAlert) {
    ArrayNode actions = NODES.arrayNode();
    for (MonitorDestination channel : channels) {
      if (!channel.receives(rule.severity())) {
        continue;
      }
      ObjectNode action = actions.addObject();
      action.put("id", VigilMarker.digest(monitorName + "/" + channel.configId(), 12) + "-action");
      action.put("name", "notify " + channel.channel());
      action.put("destination_id", channel.configId());
      action.putObject("subject_template").put("source", subject(rule)).put("lang", "mustache");
      action
          .putObject("message_template")
          .put("source", perAlert ? perAlertMessage(rule) : queryMessage(rule))
          .put("lang", "mustache");
      if (rule.suppression() != null) {
        action.put("throttle_enabled", true);
        action
            .putObject("throttle")
            .put("value", minutes(rule.suppression().window().toSeconds()))
            .put("unit", "MINUTES");
      } else {
        action.put("throttle_enabled", false);
      }
      if (perAlert) {
        action
            .putObject("action_execution_policy")
            .putObject("action_execution_scope")
            .putObject("per_alert")
            .putArray("actionable_alerts")
            .add("DEDUPED")
            .add("NEW");
      }
    }
    return actions;
  }

  /**
   * The rule's message for a query-level monitor: {@code {{count}}} becomes the hit count and
   * {@code {{field}}} the field of the newest matching event.
   */
  static String queryMessage(RuleDefinition rule) {
    String template =
        rule.message() != null
            ? rule.message()
            : "{{count}} matching events: "
                + (rule.description() == null ? "" : rule.description());
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String field = m.group(1);
      String replacement =
          field.equals("count")
              ? "{{ctx.results.0.hits.total.value}}"
              : "{{ctx.results.0.hits.hits.0._source." + field + "}}";
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    if (!template.contains(AccountMention.FIELD)) {
      out.append(AccountMention.MONITOR_SUFFIX);
    }
    return rule.name() + " (severity " + rule.severity() + "): " + out;
  }

  /** Bucket and document monitors alert per bucket/document: list what is new. */
  static String perAlertMessage(RuleDefinition rule) {
    return rule.name()
        + " (severity "
        + rule.severity()
        + "): "
        + describe(rule)
        + " New: {{#ctx.newAlerts}}{{bucket_keys}}{{related_doc_ids}} {{/ctx.newAlerts}}"
        + " Ongoing: {{#ctx.dedupedAlerts}}{{bucket_keys}}{{related_doc_ids}} {{/ctx.dedupedAlerts}}";
  }

  /** E.g. {@code [Vigil] severity 1: cloudtrail-tampering (ATT&CK TA0005 T1562.008)}. */
  static String subject(RuleDefinition rule) {
    String subject = "[Vigil] severity " + rule.severity() + ": " + rule.name();
    List<String> ids = attackIds(rule);
    return ids.isEmpty() ? subject : subject + " (ATT&CK " + String.join(" ", ids) + ")";
  }

  /** The rule's distinct tactic and technique ids, tactics first, in the rule's order. */
  static List<String> attackIds(RuleDefinition rule) {
    Set<String> ids = new LinkedHashSet<>();
    rule.mitre().forEach(a -> ids.add(a.tactic()));
    rule.mitre().stream().map(Attack::technique).filter(Objects::nonNull).forEach(ids::add);
    return List.copyOf(ids);
  }

  private static String describe(RuleDefinition rule) {
    return rule.description() == null ? rule.name() : rule.description();
  }

  /** Doc-level query names and tags may not hold ' ', brackets, braces or parentheses. */
  static String docQueryName(String text) {
    return text.replaceAll("[\\s\\[\\]{}()]", "_");
  }

  private static long minutes(long seconds) {
    return Math.max(1, (seconds + 59) / 60);
  }
}

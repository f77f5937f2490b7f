package dev.vigil.operator.alerting;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The request-body schema of the Alerting monitor API, as published, checked field by field. Any
 * violation is a 400 from {@link AlertingContractServer}.
 *
 * <p>Sources: Alerting API (https://docs.opensearch.org/latest/observing-your-data/alerting/api/:
 * "Create a query-level monitor", "Bucket-level monitors", "Document-level monitors", "Update
 * monitor"), Triggers and Actions pages, and the request models the API parses
 * (opensearch-project/common-utils {@code alerting/model}: Monitor, QueryLevelTrigger,
 * BucketLevelTrigger, DocumentLevelTrigger, DocLevelQuery, action/Action, action/Throttle), which
 * say what is required and which values are allowed.
 */
final class AlertingContract {
  static final Set<String> MONITOR_FIELDS =
      Set.of(
          "type",
          "name",
          "monitor_type",
          "enabled",
          "schedule",
          "inputs",
          "triggers",
          "ui_metadata",
          "enabled_time",
          "last_update_time",
          "data_sources",
          "owner",
          "rbac_roles",
          "schema_version",
          "user");
  static final Set<String> MONITOR_TYPES =
      Set.of(
          "query_level_monitor",
          "bucket_level_monitor",
          "doc_level_monitor",
          "cluster_metrics_monitor");
  // Action.parse throws "Unexpected field" for anything else.
  static final Set<String> ACTION_FIELDS =
      Set.of(
          "id",
          "name",
          "destination_id",
          "subject_template",
          "message_template",
          "throttle_enabled",
          "throttle",
          "action_execution_policy");
  static final Set<String> PERIOD_UNITS = Set.of("MINUTES", "HOURS", "DAYS");
  static final Set<String> ACTIONABLE_ALERTS = Set.of("DEDUPED", "NEW", "COMPLETED", "ERROR");
  // DocLevelQuery.INVALID_CHARACTERS for query names and tags.
  static final List<String> INVALID_DOC_QUERY_CHARS = List.of(" ", "[", "]", "{", "}", "(", ")");

  private AlertingContract() {}

  static List<String> validateMonitor(JsonNode m) {
    List<String> e = new ArrayList<>();
    if (!m.isObject()) {
      e.add("body must be a JSON object");
      return e;
    }
    m.fieldNames()
        .forEachRemaining(
            f -> {
              if (!MONITOR_FIELDS.contains(f)) {
                e.add("unknown monitor field " + f);
              }
            });
    if (!"monitor".equals(m.path("type").asText())) {
      e.add("type must be \"monitor\"");
    }
    if (!m.path("name").isTextual() || m.path("name").asText().isBlank()) {
      e.add("name is required (string)");
    }
    String type = m.path("monitor_type").asText("query_level_monitor");
    if (!MONITOR_TYPES.contains(type)) {
      e.add("monitor_type must be one of " + MONITOR_TYPES);
    }
    if (m.has("enabled") && !m.path("enabled").isBoolean()) {
      e.add("enabled must be a boolean");
    }
    schedule(m.path("schedule"), e);
    if (m.has("ui_metadata") && !m.path("ui_metadata").isObject()) {
      e.add("ui_metadata must be an object");
    }
    JsonNode inputs = m.path("inputs");
    if (!inputs.isArray() || inputs.size() != 1) {
      e.add("inputs must be an array with one input");
    } else {
      input(inputs.get(0), type, e);
    }
    JsonNode triggers = m.path("triggers");
    if (!triggers.isArray()) {
      e.add("triggers must be an array");
    } else {
      for (int i = 0; i < triggers.size(); i++) {
        trigger(triggers.get(i), type, inputs.path(0), "triggers[" + i + "]", e);
      }
    }
    return e;
  }

  private static void schedule(JsonNode s, List<String> e) {
    if (s.has("period")) {
      JsonNode p = s.path("period");
      if (!p.path("interval").isIntegralNumber() || p.path("interval").asInt() < 1) {
        e.add("schedule.period.interval must be a positive integer");
      }
      if (!PERIOD_UNITS.contains(p.path("unit").asText())) {
        e.add("schedule.period.unit must be one of " + PERIOD_UNITS);
      }
    } else if (s.has("cron")) {
      if (!s.path("cron").path("expression").isTextual()) {
        e.add("schedule.cron.expression is required");
      }
    } else {
      e.add("schedule needs period or cron");
    }
  }

  private static void input(JsonNode input, String type, List<String> e) {
    if (type.equals("doc_level_monitor")) {
      JsonNode d = input.path("doc_level_input");
      if (!d.isObject()) {
        e.add("a doc_level_monitor takes inputs[0].doc_level_input");
        return;
      }
      indices(d.path("indices"), "doc_level_input.indices", e);
      JsonNode queries = d.path("queries");
      if (!queries.isArray() || queries.isEmpty()) {
        e.add("doc_level_input.queries must be a non-empty array");
        return;
      }
      for (JsonNode q : queries) {
        if (!q.path("query").isTextual() || !q.path("name").isTextual()) {
          e.add("doc_level_input.queries[]: name and query (strings) are required");
          continue;
        }
        docQueryText(q.path("name").asText(), "name", e);
        for (JsonNode tag : q.path("tags")) {
          docQueryText(tag.asText(), "tag", e);
        }
      }
      return;
    }
    JsonNode search = input.path("search");
    if (!search.isObject()) {
      e.add(type + " takes inputs[0].search");
      return;
    }
    indices(search.path("indices"), "search.indices", e);
    if (!search.path("query").isObject()) {
      e.add("search.query must be a search request body (object)");
      return;
    }
    if (type.equals("bucket_level_monitor")) {
      JsonNode aggs = aggregations(search.path("query"));
      if (aggs == null || aggs.isEmpty()) {
        e.add("a bucket_level_monitor needs at least one aggregation in search.query");
      }
    }
  }

  private static JsonNode aggregations(JsonNode query) {
    return query.has("aggregations") ? query.get("aggregations") : query.get("aggs");
  }

  private static void indices(JsonNode indices, String field, List<String> e) {
    if (!indices.isArray() || indices.isEmpty()) {
      e.add(field + " must be a non-empty array of index names/patterns");
      return;
    }
    for (JsonNode i : indices) {
      if (!i.isTextual() || i.asText().isBlank()) {
        e.add(field + " must hold strings");
      }
    }
  }

  private static void docQueryText(String text, String what, List<String> e) {
    for (String c : INVALID_DOC_QUERY_CHARS) {
      if (text.contains(c)) {
        e.add(
            "doc-level query "
                + what
                + " '"
                + text
                + "' contains an invalid character '"
                + c
                + "'");
      }
    }
  }

  private static void trigger(
      JsonNode t, String monitorType, JsonNode input, String at, List<String> e) {
    String expected =
        switch (monitorType) {
          case "bucket_level_monitor" -> "bucket_level_trigger";
          case "doc_level_monitor" -> "document_level_trigger";
          default -> "query_level_trigger";
        };
    JsonNode body;
    if (t.size() == 1 && t.fieldNames().next().endsWith("_trigger")) {
      String kind = t.fieldNames().next();
      if (!kind.equals(expected)) {
        e.add(at + ": incompatible trigger " + kind + " for monitor type " + monitorType);
        return;
      }
      body = t.get(kind);
    } else if (expected.equals("query_level_trigger")) {
      body = t; // the original, unnamed form is a query-level trigger
    } else {
      e.add(at + ": a " + monitorType + " needs {\"" + expected + "\": {...}}");
      return;
    }
    if (!body.path("name").isTextual()) {
      e.add(at + ".name is required (string)");
    }
    if (!body.path("severity").isTextual()
        || !Set.of("1", "2", "3", "4", "5").contains(body.path("severity").asText())) {
      e.add(at + ".severity is required: a string \"1\" (highest) to \"5\"");
    }
    JsonNode condition = body.path("condition");
    script(condition.path("script"), "painless", at + ".condition.script", e);
    if (expected.equals("bucket_level_trigger")) {
      if (!condition.path("buckets_path").isObject() || condition.path("buckets_path").isEmpty()) {
        e.add(at + ".condition.buckets_path is required (object)");
      }
      String parent = condition.path("parent_bucket_path").asText(null);
      JsonNode aggs = aggregations(input.path("search").path("query"));
      if (parent == null) {
        e.add(at + ".condition.parent_bucket_path is required");
      } else if (aggs == null || !aggs.has(parent)) {
        e.add(
            at
                + ".condition.parent_bucket_path '"
                + parent
                + "' names no aggregation of the query");
      }
    }
    JsonNode actions = body.path("actions");
    if (!actions.isArray()) {
      e.add(at + ".actions must be an array");
      return;
    }
    for (int i = 0; i < actions.size(); i++) {
      action(actions.get(i), at + ".actions[" + i + "]", e);
    }
  }

  private static void action(JsonNode a, String at, List<String> e) {
    Iterator<String> names = a.fieldNames();
    while (names.hasNext()) {
      String f = names.next();
      if (!ACTION_FIELDS.contains(f)) {
        e.add(at + ": unexpected field " + f + ", while parsing action");
      }
    }
    if (!a.path("name").isTextual()) {
      e.add(at + ".name is required (string)");
    }
    if (!a.path("destination_id").isTextual()) {
      e.add(at + ".destination_id is required (string)");
    }
    script(a.path("message_template"), "mustache", at + ".message_template", e);
    if (a.has("subject_template")) {
      script(a.path("subject_template"), "mustache", at + ".subject_template", e);
    }
    if (a.has("throttle_enabled") && !a.path("throttle_enabled").isBoolean()) {
      e.add(at + ".throttle_enabled must be a boolean");
    }
    if (a.path("throttle_enabled").asBoolean(false)) {
      JsonNode th = a.path("throttle");
      if (!th.path("value").isIntegralNumber() || th.path("value").asInt() < 1) {
        e.add(at + ": throttle enabled but no positive throttle.value");
      }
      if (th.has("unit") && !th.path("unit").asText().equals("MINUTES")) {
        e.add(at + ".throttle.unit: only MINUTES is supported");
      }
    }
    if (a.has("action_execution_policy")) {
      JsonNode scope = a.path("action_execution_policy").path("action_execution_scope");
      if (scope.has("per_alert")) {
        for (JsonNode kind : scope.path("per_alert").path("actionable_alerts")) {
          if (!ACTIONABLE_ALERTS.contains(kind.asText())) {
            e.add(at + ": actionable_alerts must be among " + ACTIONABLE_ALERTS);
          }
        }
      } else if (!scope.has("per_execution")) {
        e.add(
            at
                + ".action_execution_policy.action_execution_scope needs per_alert or per_execution");
      }
    }
  }

  private static void script(JsonNode s, String lang, String at, List<String> e) {
    if (!s.path("source").isTextual()) {
      e.add(at + ".source is required (string)");
    }
    if (s.has("lang") && !s.path("lang").asText().equals(lang)) {
      e.add(at + ".lang must be " + lang);
    }
  }
}

package dev.vigil.operator.alerting;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Finds hand edits of a monitor whose stored hash still matches: compares what Vigil set with what
 * the Alerting API returns. Alerting re-serializes a monitor (wraps triggers in {@code
 * query_level_trigger}, adds ids, defaults and, inside the search query, {@code boost}, {@code
 * from}/{@code to} for {@code gte}/{@code lte} …), so fields are compared where they survive that
 * round trip, and the query by its values: every string of the desired query must still be in the
 * stored one.
 */
final class MonitorDrift {
  private MonitorDrift() {}

  static List<String> differences(JsonNode desired, JsonNode actual) {
    List<String> out = new ArrayList<>();
    same(out, "name", desired.path("name"), actual.path("name"));
    String actualType = actual.path("monitor_type").asText("query_level_monitor");
    if (!desired.path("monitor_type").asText().equals(actualType)) {
      out.add("monitor_type is " + actualType);
    }
    same(out, "enabled", desired.path("enabled"), actual.path("enabled"));
    same(out, "schedule", desired.path("schedule"), actual.path("schedule"));
    inputs(out, desired.path("inputs"), actual.path("inputs"));
    triggers(out, desired.path("triggers"), actual.path("triggers"));
    return out;
  }

  private static void inputs(List<String> out, JsonNode desired, JsonNode actual) {
    if (desired.size() != actual.size()) {
      out.add("inputs: " + actual.size() + " instead of " + desired.size());
      return;
    }
    for (int i = 0; i < desired.size(); i++) {
      JsonNode d = desired.get(i);
      JsonNode a = actual.get(i);
      String kind = d.has("search") ? "search" : "doc_level_input";
      same(
          out,
          "inputs." + kind + ".indices",
          d.path(kind).path("indices"),
          a.path(kind).path("indices"));
      JsonNode dq =
          kind.equals("search") ? d.path(kind).path("query") : d.path(kind).path("queries");
      JsonNode aq =
          kind.equals("search") ? a.path(kind).path("query") : a.path(kind).path("queries");
      List<String> missing = missingValues(dq, aq);
      if (!missing.isEmpty()) {
        out.add("inputs." + kind + " query lost " + missing);
      }
    }
  }

  private static void triggers(List<String> out, JsonNode desired, JsonNode actual) {
    if (desired.size() != actual.size()) {
      out.add("triggers: " + actual.size() + " instead of " + desired.size());
      return;
    }
    for (int i = 0; i < desired.size(); i++) {
      JsonNode d = unwrap(desired.get(i));
      JsonNode a = unwrap(actual.get(i));
      String at = "triggers[" + i + "].";
      same(out, at + "name", d.path("name"), a.path("name"));
      same(out, at + "severity", text(d.path("severity")), text(a.path("severity")));
      same(
          out,
          at + "condition.script.source",
          d.path("condition").path("script").path("source"),
          a.path("condition").path("script").path("source"));
      same(
          out,
          at + "condition.parent_bucket_path",
          d.path("condition").path("parent_bucket_path"),
          a.path("condition").path("parent_bucket_path"));
      JsonNode da = d.path("actions");
      JsonNode aa = a.path("actions");
      if (da.size() != aa.size()) {
        out.add(at + "actions: " + aa.size() + " instead of " + da.size());
        continue;
      }
      for (int j = 0; j < da.size(); j++) {
        String act = at + "actions[" + j + "].";
        for (String field : List.of("name", "destination_id", "throttle_enabled", "throttle")) {
          same(out, act + field, da.get(j).path(field), aa.get(j).path(field));
        }
        same(
            out,
            act + "message_template",
            da.get(j).path("message_template").path("source"),
            aa.get(j).path("message_template").path("source"));
      }
    }
  }

  /** Accepts both trigger forms: flat, or wrapped in {@code <type>_trigger}. */
  static JsonNode unwrap(JsonNode trigger) {
    if (trigger.size() == 1) {
      Iterator<String> names = trigger.fieldNames();
      String only = names.next();
      if (only.endsWith("_trigger")) {
        return trigger.get(only);
      }
    }
    return trigger;
  }

  private static JsonNode text(JsonNode node) {
    return node.isMissingNode()
        ? node
        : com.fasterxml.jackson.databind.node.TextNode.valueOf(node.asText());
  }

  private static void same(List<String> out, String field, JsonNode desired, JsonNode actual) {
    if (!equal(desired, actual)) {
      out.add(field + " is " + (actual.isMissingNode() ? "missing" : actual.toString()));
    }
  }

  /** Equality that treats 1 and 1.0 alike (re-serialized numbers). */
  private static boolean equal(JsonNode a, JsonNode b) {
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue()) == 0;
    }
    if (a.isObject() && b.isObject()) {
      if (a.size() != b.size()) {
        return false;
      }
      Iterator<Map.Entry<String, JsonNode>> it = a.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!equal(e.getValue(), b.path(e.getKey()))) {
          return false;
        }
      }
      return true;
    }
    if (a.isArray() && b.isArray()) {
      if (a.size() != b.size()) {
        return false;
      }
      for (int i = 0; i < a.size(); i++) {
        if (!equal(a.get(i), b.get(i))) {
          return false;
        }
      }
      return true;
    }
    return Objects.equals(a, b);
  }

  /**
   * String scalars of {@code desired} (as a multiset) that {@code actual} does not hold. Numbers
   * and booleans are left out: Alerting re-serializes some of them (track_total_hits true becomes
   * 2147483647); a hand edit of one is still caught by the document version.
   */
  static List<String> missingValues(JsonNode desired, JsonNode actual) {
    Map<String, Integer> have = new HashMap<>();
    scalars(actual, v -> have.merge(v, 1, Integer::sum));
    List<String> missing = new ArrayList<>();
    scalars(
        desired,
        v -> {
          Integer n = have.get(v);
          if (n == null || n == 0) {
            missing.add(v);
          } else {
            have.put(v, n - 1);
          }
        });
    return missing;
  }

  private static void scalars(JsonNode node, java.util.function.Consumer<String> sink) {
    if (node.isObject() || node.isArray()) {
      node.forEach(child -> scalars(child, sink));
    } else if (node.isTextual()) {
      sink.accept(node.asText());
    }
  }
}

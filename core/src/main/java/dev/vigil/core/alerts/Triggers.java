package dev.vigil.core.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.core.rules.CompiledRule;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates a rule's condition on the response to {@link EngineSearch#body}: every match (hits,
 * folded by the alert key), a count above the threshold, or each group bucket above it.
 */
public final class Triggers {
  private Triggers() {}

  public static List<Trigger> evaluate(CompiledRule rule, AlertRule alerts, JsonNode response) {
    if (rule.condition() == null) {
      return everyMatch(alerts, response.path("hits").path("hits"));
    }
    if (rule.condition().groupBy().isEmpty()) {
      return count(rule, alerts, response);
    }
    return buckets(rule, response);
  }

  private static List<Trigger> everyMatch(AlertRule alerts, JsonNode hits) {
    Map<Map<String, String>, List<JsonNode>> byKey = new LinkedHashMap<>();
    for (JsonNode hit : hits) {
      byKey.computeIfAbsent(keyOf(alerts, hit.path("_source")), k -> new ArrayList<>()).add(hit);
    }
    List<Trigger> out = new ArrayList<>();
    byKey.forEach((key, group) -> out.add(fromHits(key, group.size(), group, null)));
    return out;
  }

  private static List<Trigger> count(CompiledRule rule, AlertRule alerts, JsonNode response) {
    long total = response.path("hits").path("total").path("value").asLong();
    JsonNode hits = response.path("hits").path("hits");
    if (total <= rule.condition().threshold() || hits.isEmpty()) {
      return List.of();
    }
    Instant first = millis(response.path("aggregations").path(EngineSearch.FIRST).path("value"));
    return List.of(fromHits(keyOf(alerts, hits.get(0).path("_source")), total, hits, first));
  }

  private static List<Trigger> buckets(CompiledRule rule, JsonNode response) {
    List<String> groupBy = rule.condition().groupBy();
    List<Trigger> out = new ArrayList<>();
    for (JsonNode bucket : response.path("aggregations").path("groups").path("buckets")) {
      long count = bucket.path("doc_count").asLong();
      if (count <= rule.condition().threshold()) {
        continue; // min_doc_count already filters; checked again so the condition is Java's
      }
      Map<String, String> key = new LinkedHashMap<>();
      JsonNode values = bucket.path("key");
      for (int i = 0; i < groupBy.size(); i++) {
        JsonNode value = values.isArray() ? values.get(i) : values;
        key.put(groupBy.get(i), value == null ? "" : value.asText());
      }
      JsonNode hits = bucket.path(EngineSearch.LATEST).path("hits").path("hits");
      out.add(fromHits(key, count, hits, millis(bucket.path(EngineSearch.FIRST).path("value"))));
    }
    return out;
  }

  private static Trigger fromHits(
      Map<String, String> key, long count, Iterable<JsonNode> hits, Instant first) {
    List<String> ids = new ArrayList<>();
    Instant earliest = first;
    JsonNode sample = null;
    for (JsonNode hit : hits) {
      ids.add(hit.path("_id").asText());
      if (sample == null) {
        sample = hit.path("_source");
      }
      Instant at = timestamp(hit.path("_source"));
      if (first == null && at != null && (earliest == null || at.isBefore(earliest))) {
        earliest = at;
      }
    }
    return new Trigger(key, count, earliest == null ? Instant.EPOCH : earliest, ids, sample);
  }

  /** The alert key of one matching document: the values of the rule's key fields. */
  public static Map<String, String> keyOf(AlertRule alerts, JsonNode source) {
    Map<String, String> key = new LinkedHashMap<>();
    for (String field : alerts.key()) {
      String value = DocumentFields.text(source, alerts.read(field));
      key.put(field, value == null ? "" : value);
    }
    return key;
  }

  /** A document's {@code @timestamp}, or null. */
  public static Instant timestamp(JsonNode source) {
    String text = DocumentFields.text(source, CompiledRule.TIMESTAMP);
    if (text == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }

  private static Instant millis(JsonNode value) {
    return value.isNumber() ? Instant.ofEpochMilli(value.asLong()) : null;
  }
}

package dev.vigil.core.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * The {@code vigil-alerts} index: name and explicit mapping, shared by every writer (the operator's
 * engine and the ingester's stream), so whichever creates it first creates it right. States and
 * names are exact keywords, times are dates, the alert key is free-form ({@code flat_object}).
 */
public final class AlertIndexMapping {
  public static final String INDEX = "vigil-alerts";
  private static final ObjectMapper JSON = new ObjectMapper();

  private AlertIndexMapping() {}

  /** Body of {@code PUT vigil-alerts}. */
  public static ObjectNode body() {
    ObjectNode body = JSON.createObjectNode();
    body.putObject("settings").put("index.auto_expand_replicas", "0-1");
    ObjectNode properties =
        body.putObject("mappings").put("dynamic", false).putObject("properties");
    for (String keyword :
        List.of("id", "trigger", "state", "matchingDocumentIds", "tags", "source")) {
      properties.putObject(keyword).put("type", "keyword");
    }
    ObjectNode rule = properties.putObject("rule").putObject("properties");
    rule.putObject("namespace").put("type", "keyword");
    rule.putObject("name").put("type", "keyword");
    properties.putObject("severity").put("type", "integer");
    properties.putObject("count").put("type", "long");
    for (String date :
        List.of(
            "@timestamp",
            "startTime",
            "lastSeenTime",
            "endTime",
            "acknowledgedTime",
            "closedTime",
            "notifiedTime")) {
      properties.putObject(date).put("type", "date");
    }
    ObjectNode threat = properties.putObject("threat").putObject("properties");
    threat.putObject("framework").put("type", "keyword");
    threat.putObject("tactic").putObject("properties").putObject("id").put("type", "keyword");
    ObjectNode technique = threat.putObject("technique").putObject("properties");
    technique.putObject("id").put("type", "keyword");
    technique
        .putObject("subtechnique")
        .putObject("properties")
        .putObject("id")
        .put("type", "keyword");
    properties.putObject("key").put("type", "flat_object");
    properties.putObject("message").put("type", "text");
    properties.putObject("errorMessage").put("type", "text");
    return body;
  }

  /** Body of {@code POST vigil-alerts/_search} for a rule's alerts that are not COMPLETED. */
  public static ObjectNode openAlertsQuery(String namespace, String rule, int size) {
    return openAlertsQuery(namespace, rule, Map.of(), size);
  }

  /**
   * As {@link #openAlertsQuery(String, String, int)}, narrowed to the alerts whose {@code key}
   * holds each non-empty value of {@code key} (a term on the flat_object's path, e.g. {@code
   * key.userIdentity.arn}): a necessary condition only, so the caller still compares the whole key
   * — but it no longer has to page through every open alert of the rule to find one.
   */
  public static ObjectNode openAlertsQuery(
      String namespace, String rule, Map<String, String> key, int size) {
    ObjectNode body = JSON.createObjectNode();
    body.put("size", size);
    var filter = body.putObject("query").putObject("bool").putArray("filter");
    filter.addObject().putObject("term").put("rule.namespace", namespace);
    filter.addObject().putObject("term").put("rule.name", rule);
    key.forEach(
        (field, value) -> {
          if (value != null && !value.isEmpty()) {
            filter.addObject().putObject("term").put("key." + field, value);
          }
        });
    var states = filter.addObject().putObject("terms").putArray("state");
    for (AlertState state : AlertState.values()) {
      if (state != AlertState.COMPLETED) {
        states.add(state.name());
      }
    }
    return body;
  }
}

package dev.vigil.operator.detection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.core.alerts.Alert;
import dev.vigil.core.alerts.AlertIndexMapping;
import dev.vigil.core.alerts.AlertLifecycle;
import dev.vigil.operator.opensearch.OpenSearchException;
import dev.vigil.operator.opensearch.OpenSearchRest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code vigil-alerts} index: created with an explicit mapping on first use, read for a rule's
 * open alerts, written with {@code _bulk} — new alerts with {@code create} (a 409 means the same
 * deterministic id exists: suppressed or already raised by the stream), changed ones with {@code
 * index}.
 */
public final class AlertIndex {
  public static final String NAME = AlertIndexMapping.INDEX;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Set<URI> ensured = ConcurrentHashMap.newKeySet();

  /** Creates the index with its mapping unless this cluster already has it. */
  public void ensure(OpenSearchRest rest) throws OpenSearchException {
    if (ensured.contains(rest.uri())) {
      return;
    }
    try {
      rest.put("/" + NAME, AlertIndexMapping.body());
    } catch (OpenSearchException e) {
      // Another run (or the ingester) created it first: "index [vigil-alerts/…] already exists".
      if (e.status() != 400 || !e.getMessage().matches("(?s).*already.exists.*")) {
        throw e;
      }
      // Made by an older Vigil or the ingester: add what this version maps (additions only).
      rest.put("/" + NAME + "/_mapping", AlertIndexMapping.body().path("mappings"));
    }
    // A search racing the new index's shard allocation answers 503: wait for the primary.
    rest.get("/_cluster/health/" + NAME + "?wait_for_status=yellow&timeout=30s");
    ensured.add(rest.uri());
  }

  /**
   * The rule's alerts that are not COMPLETED (ACTIVE, ACKNOWLEDGED, ERROR), all of them: read in
   * pages of {@code page} in id order, since a key whose open alert was not read would get a second
   * one.
   */
  public List<Alert> open(OpenSearchRest rest, String namespace, String rule, int page)
      throws OpenSearchException {
    ObjectNode body = AlertIndexMapping.openAlertsQuery(namespace, rule, page);
    body.putArray("sort").addObject().put("id", "asc");
    List<Alert> out = new ArrayList<>();
    while (true) {
      JsonNode hits = rest.post("/" + NAME + "/_search", body).path("hits").path("hits");
      for (JsonNode hit : hits) {
        try {
          Alert alert = JSON.treeToValue(hit.path("_source"), Alert.class);
          alert.id = hit.path("_id").asText();
          out.add(alert);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      if (hits.size() < page) {
        return out;
      }
      body.set("search_after", hits.get(hits.size() - 1).path("sort"));
    }
  }

  /** {@link #open(OpenSearchRest, String, String, int)} in pages of 1,000. */
  public List<Alert> open(OpenSearchRest rest, String namespace, String rule)
      throws OpenSearchException {
    return open(rest, namespace, rule, 1000);
  }

  /**
   * Writes a plan; returns the alerts that were really created (not already there). Refreshes, so
   * the next run (or a reader) sees the new states at once.
   */
  public List<Alert> write(OpenSearchRest rest, AlertLifecycle.Plan plan)
      throws OpenSearchException {
    if (plan.create().isEmpty() && plan.update().isEmpty()) {
      return List.of();
    }
    ByteArrayOutputStream ndjson = new ByteArrayOutputStream();
    List<Alert> order = new ArrayList<>();
    try {
      for (Alert alert : plan.create()) {
        line(ndjson, action("create", alert.id));
        line(ndjson, JSON.writeValueAsBytes(alert));
        order.add(alert);
      }
      for (Alert alert : plan.update()) {
        line(ndjson, action("index", alert.id));
        line(ndjson, JSON.writeValueAsBytes(alert));
        order.add(alert);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    JsonNode response = rest.send("POST", "/_bulk?refresh=true", ndjson.toByteArray());
    List<Alert> created = new ArrayList<>();
    JsonNode items = response.path("items");
    for (int i = 0; i < items.size(); i++) {
      JsonNode result = items.get(i).elements().next();
      int status = result.path("status").asInt();
      Alert alert = order.get(i);
      boolean isCreate = i < plan.create().size();
      if (isCreate && status == 201) {
        created.add(alert);
      } else if (status >= 300 && !(isCreate && status == 409)) {
        throw new OpenSearchException(
            status >= 500 ? "ServerError" : "BadRequest",
            status,
            "writing alert " + alert.id + " to " + NAME + " failed: " + result.path("error"),
            null);
      }
    }
    return created;
  }

  private static byte[] action(String op, String id) throws IOException {
    ObjectNode action = JSON.createObjectNode();
    action.putObject(op).put("_index", NAME).put("_id", id);
    return JSON.writeValueAsBytes(action);
  }

  private static void line(ByteArrayOutputStream out, byte[] bytes) {
    out.writeBytes(bytes);
    out.write('\n');
  }
}

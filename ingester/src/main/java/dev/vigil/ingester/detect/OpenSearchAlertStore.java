package dev.vigil.ingester.detect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.core.alerts.Alert;
import dev.vigil.core.alerts.AlertIndexMapping;
import dev.vigil.ingester.opensearch.BulkTransport;
import dev.vigil.ingester.opensearch.OpenSearchConnection;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code vigil-alerts} through the ingester's OpenSearch connection (its auth and TLS): the index
 * is created with Vigil's mapping when missing, open alerts are looked up by rule and key, and new
 * alerts are written with {@code op_type=create}, so a 409 means the engine (or another ingester
 * pod) raised it already.
 */
public final class OpenSearchAlertStore implements AlertStore {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Open alerts of one rule whose key may be the one looked up: normally one, more only when a key
   * value is empty (not filtered on).
   */
  private static final int OPEN_PAGE = 100;

  private final OpenSearchConnection openSearch;
  private volatile boolean indexReady;

  public OpenSearchAlertStore(OpenSearchConnection openSearch) {
    this.openSearch = openSearch;
  }

  @Override
  public boolean hasOpen(Alert alert) throws IOException {
    ensureIndex();
    // Only this key's open alerts, and of them only what the comparison reads: fetching a page of
    // every open alert of the rule cost OpenSearch and this thread most of a lookup in an alert
    // storm, and missed the key's alert once the rule had more open alerts than the page held.
    var body =
        AlertIndexMapping.openAlertsQuery(
            alert.rule.namespace, alert.rule.name, alert.key, OPEN_PAGE);
    body.putArray("_source").add("state").add("key");
    BulkTransport.Reply reply =
        openSearch.request(
            "POST",
            "/" + AlertIndexMapping.INDEX + "/_search",
            Map.of(),
            JSON.writeValueAsBytes(body));
    check(reply, "search " + AlertIndexMapping.INDEX);
    Map<String, String> wanted = new TreeMap<>(alert.key);
    for (JsonNode hit : JSON.readTree(reply.body()).path("hits").path("hits")) {
      Alert open = JSON.treeToValue(hit.path("_source"), Alert.class);
      if (open.state != null && open.state.isOpen() && new TreeMap<>(open.key).equals(wanted)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public boolean create(Alert alert) throws IOException {
    ensureIndex();
    BulkTransport.Reply reply =
        openSearch.request(
            "PUT",
            "/"
                + AlertIndexMapping.INDEX
                + "/_create/"
                + URLEncoder.encode(alert.id, StandardCharsets.UTF_8),
            // No forced refresh: searchable within the index's refresh interval (1 s), long before
            // the engine's next run or this key's next lookup (60 s later). Forcing one made a
            // segment per alert and held the writer ~0.1-0.3 s per alert in an alert storm.
            Map.of(),
            JSON.writeValueAsBytes(alert));
    if (reply.status() == 409) {
      return false;
    }
    check(reply, "create alert " + alert.id);
    return true;
  }

  private void ensureIndex() throws IOException {
    if (indexReady) {
      return;
    }
    BulkTransport.Reply reply =
        openSearch.request(
            "PUT",
            "/" + AlertIndexMapping.INDEX,
            Map.of(),
            JSON.writeValueAsBytes(AlertIndexMapping.body()));
    String body = new String(reply.body(), StandardCharsets.UTF_8);
    if (reply.status() / 100 != 2 && !body.contains("already_exists")) {
      check(reply, "create index " + AlertIndexMapping.INDEX);
    }
    // A search racing the new index's shard allocation answers 503: wait for the primary.
    check(
        openSearch.request(
            "GET",
            "/_cluster/health/" + AlertIndexMapping.INDEX,
            Map.of("wait_for_status", "yellow", "timeout", "30s"),
            null),
        "wait for " + AlertIndexMapping.INDEX);
    indexReady = true;
  }

  private static void check(BulkTransport.Reply reply, String what) throws IOException {
    if (reply.status() / 100 != 2) {
      String body = new String(reply.body(), StandardCharsets.UTF_8);
      throw new IOException(
          what
              + " answered HTTP "
              + reply.status()
              + ": "
              + (body.length() > 300 ? body.substring(0, 300) : body));
    }
  }
}

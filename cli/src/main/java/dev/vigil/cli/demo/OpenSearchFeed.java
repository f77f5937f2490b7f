package dev.vigil.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.core.LogType;
import dev.vigil.core.parse.IndexNaming;
import dev.vigil.parts.OpenSearchNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What reached OpenSearch: documents per log type ({@code vigil-<type>-<date>} indices) as they
 * grow, the findings in the latest-state index of each type that keeps one ({@code
 * vigil-latest-<type>}), and each new alert in {@code vigil-alerts*} once the detection engine
 * writes there (rule, severity, state — read from whichever of the usual field names the alert
 * has).
 */
final class OpenSearchFeed {
  private static final IndexNaming NAMING = IndexNaming.defaults();
  private static final Pattern TYPED = Pattern.compile(NAMING.prefix() + "-([a-z0-9]+)-[0-9]{4}.*");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final OpenSearchNode node;
  private final Console console;
  private final Map<String, Long> documents = new TreeMap<>();
  private final Map<String, List<String>> indices = new TreeMap<>();
  private final Map<String, Long> latest = new TreeMap<>();
  private final Set<String> seenAlerts = new HashSet<>();
  private final List<JsonNode> alerts = new ArrayList<>();

  OpenSearchFeed(OpenSearchNode node, Console console) {
    this.node = node;
    this.console = console;
  }

  void poll() {
    try {
      pollDocuments();
      pollAlerts();
    } catch (IOException e) {
      // OpenSearch busy or restarting: the next poll catches up
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Documents per log type seen so far. */
  Map<String, Long> documents() {
    return new TreeMap<>(documents);
  }

  /** Index names per log type. */
  Map<String, List<String>> indices() {
    return new TreeMap<>(indices);
  }

  /** Findings per latest-state index, of the types seen so far that keep one. */
  Map<String, Long> latest() {
    return new TreeMap<>(latest);
  }

  List<JsonNode> alerts() {
    return List.copyOf(alerts);
  }

  private void pollDocuments() throws IOException, InterruptedException {
    JsonNode cat = get("/_cat/indices/vigil-*?format=json&h=index,docs.count&s=index");
    if (cat == null) {
      return;
    }
    Map<String, List<String>> byType = new TreeMap<>();
    for (JsonNode row : cat) {
      Matcher m = TYPED.matcher(row.path("index").asText());
      if (m.matches()) {
        byType.computeIfAbsent(m.group(1), t -> new ArrayList<>()).add(m.group(0));
      }
    }
    for (Map.Entry<String, List<String>> e : byType.entrySet()) {
      JsonNode count = get("/" + NAMING.prefix() + "-" + e.getKey() + "-*/_count");
      if (count == null) {
        continue;
      }
      long now = count.path("count").asLong();
      if (now == 0) {
        continue; // an index just created, its first documents not yet refreshed
      }
      Long before = documents.put(e.getKey(), now);
      indices.put(e.getKey(), e.getValue());
      if (before == null || before != now) {
        console.event(
            "ingested  %-12s %5d documents in %s",
            e.getKey(), now, String.join(", ", e.getValue()));
      }
    }
    for (LogType type : LogType.values()) {
      if (type.keepsLatestState() && documents.containsKey(type.id())) {
        JsonNode count = get("/" + NAMING.latest(type) + "/_count");
        if (count != null) {
          latest.put(NAMING.latest(type), count.path("count").asLong());
        }
      }
    }
  }

  private void pollAlerts() throws IOException, InterruptedException {
    JsonNode found = get("/vigil-alerts*/_search?size=200&allow_no_indices=true");
    if (found == null) {
      return;
    }
    for (JsonNode hit : found.path("hits").path("hits")) {
      if (seenAlerts.add(hit.path("_index").asText() + "/" + hit.path("_id").asText())) {
        JsonNode alert = hit.path("_source");
        alerts.add(alert);
        console.event(
            "ALERT     rule %s  severity %s  state %s  %s",
            first(alert, "rule.name", "rule.id", "rule", "ruleName", "rule_name"),
            first(alert, "severity", "rule.severity", "event.severity"),
            first(alert, "state", "status", "alert.state", "event.outcome"),
            first(alert, "message", "title", "summary"));
      }
    }
  }

  /** The first of {@code paths} (dotted, nested or flat) the alert has, or "-". */
  static String first(JsonNode doc, String... paths) {
    for (String path : paths) {
      JsonNode flat = doc.get(path);
      if (flat != null && flat.isValueNode()) {
        return flat.asText();
      }
      JsonNode nested = doc;
      for (String part : path.split("\\.")) {
        nested = nested.path(part);
      }
      if (nested.isValueNode()) {
        return nested.asText();
      }
    }
    return "-";
  }

  private JsonNode get(String path) throws IOException, InterruptedException {
    HttpResponse<String> response =
        node.httpClient()
            .send(node.request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    return response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
  }
}

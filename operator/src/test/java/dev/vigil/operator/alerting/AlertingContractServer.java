package dev.vigil.operator.alerting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.operator.opensearch.OpenSearchEndpoint;
import dev.vigil.operator.opensearch.OpenSearchRest;
import dev.vigil.operator.opensearch.RequestAuth;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A loopback stand-in for the OpenSearch Alerting and Notifications plugins, which cannot run on
 * these machines. It serves the documented endpoints Vigil uses, keeps monitors and configs in
 * memory, answers in the documented shapes, and REJECTS (400) every body that breaks the published
 * schema ({@link AlertingContract}, {@link NotificationsContract}).
 *
 * <p>Endpoints (https://docs.opensearch.org/latest/observing-your-data/alerting/api/): {@code POST
 * _plugins/_alerting/monitors}, {@code GET|PUT|DELETE _plugins/_alerting/monitors/<id>}, {@code
 * GET|POST _plugins/_alerting/monitors/_search}. Like the real API it returns monitors
 * re-serialized: query-level triggers wrapped in {@code query_level_trigger}, ids added to triggers
 * and actions, {@code lang} added to templates, and in the search query {@code gte/lte} rewritten
 * to {@code from/to/include_lower/include_upper} and {@code boost} added (as the documented
 * responses show). Notifications
 * (https://docs.opensearch.org/latest/observing-your-data/notifications/api/): {@code POST
 * _plugins/_notifications/configs}, {@code GET|PUT|DELETE _plugins/_notifications/configs/<id>}.
 */
final class AlertingContractServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MONITORS = "/_plugins/_alerting/monitors";
  private static final String CONFIGS = "/_plugins/_notifications/configs";

  record Stored(String id, long version, ObjectNode monitor) {}

  private final HttpServer server;
  private final ExecutorService executor;
  private final Map<String, Stored> monitors = new LinkedHashMap<>();
  private final Map<String, ObjectNode> configs = new LinkedHashMap<>();
  private final AtomicInteger writes = new AtomicInteger();
  private final AtomicInteger reads = new AtomicInteger();
  private final List<String> rejections = new ArrayList<>();

  static {
    // Small responses written as headers + body would otherwise wait on delayed ACKs (~40 ms each).
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  AlertingContractServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    executor =
        Executors.newFixedThreadPool(
            4,
            r -> {
              Thread t = new Thread(r, "alerting-contract-server");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext(MONITORS, this::monitors);
    server.createContext(CONFIGS, this::configs);
    // Just enough of a cluster for the OpenSearchConnection probe to see both plugins installed.
    server.createContext("/", this::cluster);
    server.start();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  OpenSearchRest rest() {
    return new OpenSearchRest(
        new OpenSearchEndpoint(uri(), RequestAuth.NONE, null, false, Duration.ofSeconds(10)));
  }

  /** POST/PUT/DELETE requests accepted or attempted since the last {@link #resetCounts()}. */
  int writes() {
    return writes.get();
  }

  int reads() {
    return reads.get();
  }

  void resetCounts() {
    writes.set(0);
    reads.set(0);
  }

  synchronized List<String> rejections() {
    return List.copyOf(rejections);
  }

  synchronized Map<String, Stored> monitors() {
    return new LinkedHashMap<>(monitors);
  }

  synchronized Map<String, ObjectNode> configs() {
    return new LinkedHashMap<>(configs);
  }

  /** Someone edits a monitor by hand (through the API: the version moves). */
  synchronized void handEdit(String id, Consumer<ObjectNode> edit) {
    Stored s = monitors.get(id);
    ObjectNode copy = s.monitor().deepCopy();
    edit.accept(copy);
    monitors.put(id, new Stored(id, s.version() + 1, copy));
  }

  synchronized void handDelete(String id) {
    monitors.remove(id);
  }

  /** Someone creates a monitor by hand (validated like any request). */
  synchronized String handCreate(ObjectNode monitor) {
    List<String> errors = AlertingContract.validateMonitor(monitor);
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException(errors.toString());
    }
    String id = UUID.randomUUID().toString();
    monitors.put(id, new Stored(id, 1, normalize(monitor)));
    return id;
  }

  synchronized void handEditConfig(String id, Consumer<ObjectNode> edit) {
    edit.accept(configs.get(id));
  }

  synchronized void handCreateConfig(String id, ObjectNode config) {
    List<String> errors = NotificationsContract.validateConfig(config, this::configType);
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException(errors.toString());
    }
    configs.put(id, config.deepCopy());
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  // ---- Alerting ----

  private synchronized void monitors(HttpExchange ex) throws IOException {
    try {
      String method = ex.getRequestMethod();
      String rest = ex.getRequestURI().getPath().substring(MONITORS.length());
      if (ex.getRequestURI().getQuery() != null) {
        reply(ex, 400, error("undocumented query parameters: " + ex.getRequestURI().getQuery()));
        return;
      }
      if (rest.equals("/_search")) {
        reads.incrementAndGet();
        search(ex);
        return;
      }
      if (rest.isEmpty() || rest.equals("/")) {
        writes.incrementAndGet();
        if (!method.equals("POST")) {
          reply(ex, 405, error("method not allowed"));
          return;
        }
        JsonNode body = body(ex);
        if (reject(ex, AlertingContract.validateMonitor(body))) {
          return;
        }
        String id = UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        Stored stored = new Stored(id, 1, normalize((ObjectNode) body));
        monitors.put(id, stored);
        reply(ex, 201, response(stored));
        return;
      }
      String id = rest.substring(1);
      Stored stored = monitors.get(id);
      switch (method) {
        case "GET" -> {
          reads.incrementAndGet();
          if (stored == null) {
            reply(ex, 404, error("Monitor not found."));
          } else {
            reply(ex, 200, response(stored));
          }
        }
        case "PUT" -> {
          writes.incrementAndGet();
          JsonNode body = body(ex);
          if (reject(ex, AlertingContract.validateMonitor(body))) {
            return;
          }
          if (stored == null) {
            reply(ex, 404, error("Monitor with " + id + " is not found"));
            return;
          }
          Stored updated = new Stored(id, stored.version() + 1, normalize((ObjectNode) body));
          monitors.put(id, updated);
          reply(ex, 200, response(updated));
        }
        case "DELETE" -> {
          writes.incrementAndGet();
          if (monitors.remove(id) == null) {
            reply(ex, 404, error("Monitor " + id + " is not found"));
          } else {
            ObjectNode r = JSON.createObjectNode();
            r.put("_index", ".opendistro-alerting-config").put("_id", id).put("result", "deleted");
            reply(ex, 200, r);
          }
        }
        default -> reply(ex, 405, error("method not allowed"));
      }
    } catch (Exception e) {
      reply(ex, 500, error(e.toString()));
    }
  }

  /** Supports the searches the docs show: a match/term on the monitor name, or match_all. */
  private void search(HttpExchange ex) throws IOException {
    JsonNode body = body(ex);
    JsonNode query = body.path("query");
    String name = null;
    JsonNode filter = query.path("bool").path("filter");
    JsonNode term = filter.isArray() ? filter.path(0).path("term") : filter.path("term");
    if (term.has("monitor.name.keyword")) {
      name = term.path("monitor.name.keyword").asText();
    } else if (query.path("match").has("monitor.name")) {
      name = query.path("match").path("monitor.name").asText();
    } else if (!query.has("match_all") && !query.isMissingNode()) {
      reply(
          ex,
          400,
          error(
              "the contract server supports term monitor.name.keyword, match monitor.name or match_all"));
      return;
    }
    if (monitors.isEmpty()) {
      // The scheduled-jobs index is created with the first monitor.
      reply(ex, 404, error("no such index [.opendistro-alerting-config]"));
      return;
    }
    ObjectNode response = JSON.createObjectNode();
    ArrayNode hits = response.putObject("hits").putArray("hits");
    int size = body.path("size").asInt(10);
    for (Stored s : monitors.values()) {
      if (hits.size() >= size) {
        break;
      }
      String stored = s.monitor().path("name").asText();
      // The scheduled-jobs mapping indexes monitor.name.keyword with ignore_above 256: longer names
      // are stored but never match a term query.
      if (name == null || (name.equals(stored) && stored.length() <= 256)) {
        ObjectNode hit = hits.addObject();
        hit.put("_index", ".opendistro-alerting-config").put("_id", s.id());
        if (body.path("version").asBoolean(false)) {
          hit.put("_version", s.version());
        }
        hit.set("_source", s.monitor().deepCopy());
      }
    }
    ((ObjectNode) response.get("hits"))
        .putObject("total")
        .put("value", hits.size())
        .put("relation", "eq");
    reply(ex, 200, response);
  }

  private static ObjectNode response(Stored s) {
    ObjectNode r = JSON.createObjectNode();
    r.put("_id", s.id())
        .put("_version", s.version())
        .put("_seq_no", s.version())
        .put("_primary_term", 1);
    r.set("monitor", s.monitor().deepCopy());
    return r;
  }

  /** Re-serializes a monitor the way the documented responses show it. */
  private static ObjectNode normalize(ObjectNode in) {
    ObjectNode m = in.deepCopy();
    m.put("schema_version", 5);
    m.put("last_update_time", System.currentTimeMillis());
    if (!m.has("monitor_type")) {
      m.put("monitor_type", "query_level_monitor");
    }
    if (m.path("enabled").asBoolean(true)) {
      m.put("enabled", true);
      if (!m.has("enabled_time")) {
        m.put("enabled_time", System.currentTimeMillis());
      }
    }
    for (JsonNode input : m.path("inputs")) {
      JsonNode query = input.path("search").path("query");
      if (query.isObject()) {
        rewriteQuery(query);
        if (query.path("track_total_hits").isBoolean()) {
          // SearchSourceBuilder writes "accurate" back as the integer it stands for.
          ((ObjectNode) query)
              .put(
                  "track_total_hits",
                  query.path("track_total_hits").asBoolean() ? Integer.MAX_VALUE : 10000);
        }
      }
    }
    ArrayNode triggers = JSON.createArrayNode();
    for (JsonNode t : m.path("triggers")) {
      ObjectNode wrapped;
      ObjectNode body;
      if (t.size() == 1 && t.fieldNames().next().endsWith("_trigger")) {
        wrapped = (ObjectNode) t.deepCopy();
        body = (ObjectNode) wrapped.elements().next();
      } else {
        wrapped = JSON.createObjectNode();
        body = wrapped.putObject("query_level_trigger");
        body.setAll((ObjectNode) t.deepCopy());
      }
      if (!body.has("id")) {
        body.put("id", UUID.randomUUID().toString());
      }
      if (body.path("condition").has("buckets_path")) {
        ((ObjectNode) body.path("condition")).put("gap_policy", "skip");
      }
      for (JsonNode a : body.path("actions")) {
        ObjectNode action = (ObjectNode) a;
        if (!action.has("id")) {
          action.put("id", UUID.randomUUID().toString());
        }
        for (String template : List.of("message_template", "subject_template")) {
          if (action.path(template).isObject() && !action.path(template).has("lang")) {
            ((ObjectNode) action.get(template)).put("lang", "mustache");
          }
        }
        if (!action.has("throttle_enabled")) {
          action.put("throttle_enabled", false);
        }
      }
      triggers.add(wrapped);
    }
    m.set("triggers", triggers);
    return m;
  }

  /** gte/lte → from/to + include_lower/include_upper; bool gets boost and adjust_pure_negative. */
  private static void rewriteQuery(JsonNode node) {
    if (node.isObject()) {
      ObjectNode o = (ObjectNode) node;
      if (o.has("bool") && o.get("bool").isObject()) {
        ((ObjectNode) o.get("bool")).put("adjust_pure_negative", true).put("boost", 1.0);
      }
      if (o.has("range") && o.get("range").isObject()) {
        for (JsonNode field : o.get("range")) {
          ObjectNode r = (ObjectNode) field;
          if (r.has("gte")) {
            r.set("from", r.remove("gte"));
            r.put("include_lower", true);
          }
          if (r.has("lte")) {
            r.set("to", r.remove("lte"));
            r.put("include_upper", true);
          }
          r.put("boost", 1.0);
        }
      }
      Iterator<JsonNode> children = o.elements();
      while (children.hasNext()) {
        rewriteQuery(children.next());
      }
    } else if (node.isArray()) {
      node.forEach(AlertingContractServer::rewriteQuery);
    }
  }

  // ---- Notifications ----

  private synchronized void configs(HttpExchange ex) throws IOException {
    try {
      String method = ex.getRequestMethod();
      String rest = ex.getRequestURI().getPath().substring(CONFIGS.length());
      String id = rest.replaceAll("^/+|/+$", "");
      if (ex.getRequestURI().getQuery() != null) {
        reply(ex, 400, error("undocumented query parameters: " + ex.getRequestURI().getQuery()));
        return;
      }
      if (id.isEmpty()) {
        writes.incrementAndGet();
        if (!method.equals("POST")) {
          reply(ex, 405, error("method not allowed"));
          return;
        }
        JsonNode body = body(ex);
        List<String> errors = new ArrayList<>();
        body.fieldNames()
            .forEachRemaining(
                f -> {
                  if (!List.of("config_id", "config").contains(f)) {
                    errors.add("unknown field " + f);
                  }
                });
        errors.addAll(NotificationsContract.validateConfig(body.path("config"), this::configType));
        if (reject(ex, errors)) {
          return;
        }
        String newId = body.path("config_id").asText(UUID.randomUUID().toString());
        if (configs.containsKey(newId)) {
          reply(ex, 409, error("version conflict, document already exists"));
          return;
        }
        configs.put(newId, (ObjectNode) body.get("config").deepCopy());
        reply(ex, 200, JSON.createObjectNode().put("config_id", newId));
        return;
      }
      ObjectNode stored = configs.get(id);
      switch (method) {
        case "GET" -> {
          reads.incrementAndGet();
          if (stored == null) {
            reply(ex, 404, error("NotificationConfig " + id + " not found"));
            return;
          }
          ObjectNode r = JSON.createObjectNode();
          r.put("start_index", 0).put("total_hits", 1).put("total_hit_relation", "eq");
          ObjectNode entry = r.putArray("config_list").addObject();
          entry.put("config_id", id).put("last_updated_time_ms", 1).put("created_time_ms", 1);
          entry.set("config", stored.deepCopy());
          reply(ex, 200, r);
        }
        case "PUT" -> {
          writes.incrementAndGet();
          JsonNode body = body(ex);
          List<String> errors = new ArrayList<>();
          body.fieldNames()
              .forEachRemaining(
                  f -> {
                    if (!f.equals("config")) {
                      errors.add("unknown field " + f);
                    }
                  });
          errors.addAll(
              NotificationsContract.validateConfig(body.path("config"), this::configType));
          if (reject(ex, errors)) {
            return;
          }
          if (stored == null) {
            reply(ex, 404, error("NotificationConfig " + id + " not found"));
            return;
          }
          configs.put(id, (ObjectNode) body.get("config").deepCopy());
          reply(ex, 200, JSON.createObjectNode().put("config_id", id));
        }
        case "DELETE" -> {
          writes.incrementAndGet();
          if (configs.remove(id) == null) {
            reply(ex, 404, error("NotificationConfig " + id + " not found"));
          } else {
            ObjectNode r = JSON.createObjectNode();
            r.putObject("delete_response_list").put(id, "OK");
            reply(ex, 200, r);
          }
        }
        default -> reply(ex, 405, error("method not allowed"));
      }
    } catch (Exception e) {
      reply(ex, 500, error(e.toString()));
    }
  }

  private String configType(String id) {
    ObjectNode c = configs.get(id);
    return c == null ? null : c.path("config_type").asText();
  }

  // ---- plumbing ----

  private boolean reject(HttpExchange ex, List<String> errors) throws IOException {
    if (errors.isEmpty()) {
      return false;
    }
    rejections.add(ex.getRequestMethod() + " " + ex.getRequestURI() + ": " + errors);
    reply(ex, 400, error(String.join("; ", errors)));
    return true;
  }

  private static JsonNode body(HttpExchange ex) throws IOException {
    byte[] bytes = ex.getRequestBody().readAllBytes();
    if (bytes.length > 0
        && !String.valueOf(ex.getRequestHeaders().getFirst("Content-Type"))
            .startsWith("application/json")) {
      throw new IOException("Content-Type must be application/json");
    }
    return bytes.length == 0 ? JSON.createObjectNode() : JSON.readTree(bytes);
  }

  private static ObjectNode error(String reason) {
    ObjectNode e = JSON.createObjectNode();
    e.putObject("error").put("type", "contract_violation").put("reason", reason);
    return e;
  }

  private void cluster(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    ObjectNode body = JSON.createObjectNode();
    switch (path) {
      case "/" ->
          body.putObject("version").put("number", "2.19.4").put("distribution", "opensearch");
      case "/_cluster/health" -> body.put("status", "green");
      case "/_cat/plugins" -> {
        var plugins = JSON.createArrayNode();
        plugins.addObject().put("name", "node-1").put("component", "opensearch-alerting");
        plugins.addObject().put("name", "node-1").put("component", "opensearch-notifications");
        reply(ex, 200, plugins);
        return;
      }
      default -> {
        reply(ex, 404, JSON.createObjectNode().put("error", "no handler for " + path));
        return;
      }
    }
    reply(ex, 200, body);
  }

  private static void reply(HttpExchange ex, int status, JsonNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
    ex.close();
  }
}

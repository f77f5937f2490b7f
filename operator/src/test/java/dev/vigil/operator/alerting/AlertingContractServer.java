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
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.opensearch.OpenSearchStatusException;
import org.opensearch.commons.alerting.action.GetMonitorResponse;
import org.opensearch.commons.alerting.action.IndexMonitorResponse;
import org.opensearch.commons.alerting.model.Monitor;
import org.opensearch.commons.notifications.action.CreateNotificationConfigRequest;
import org.opensearch.commons.notifications.action.CreateNotificationConfigResponse;
import org.opensearch.commons.notifications.action.GetNotificationConfigResponse;
import org.opensearch.commons.notifications.action.UpdateNotificationConfigRequest;
import org.opensearch.commons.notifications.model.ConfigType;
import org.opensearch.commons.notifications.model.Email;
import org.opensearch.commons.notifications.model.NotificationConfig;
import org.opensearch.commons.notifications.model.NotificationConfigInfo;
import org.opensearch.commons.notifications.model.NotificationConfigSearchResult;
import org.opensearch.core.rest.RestStatus;

/**
 * A loopback stand-in for the OpenSearch Alerting and Notifications plugins, which cannot run on
 * these machines, built on the plugins' own request models ({@link PluginModels}): every body Vigil
 * sends is parsed by the parser the plugin's REST handler calls, checked as the plugin checks it,
 * and refused with the plugin's status and message ({@code {"error": {...}, "status": 400}}, as
 * OpenSearch writes errors). What is stored and answered is the model's own serialization ({@code
 * GetMonitorResponse}, {@code IndexMonitorResponse}, {@code GetNotificationConfigResponse}), so
 * what Vigil reads back has the shape the plugin gives it: defaults added, the query DSL normalized
 * by OpenSearch's query builders, times stamped.
 *
 * <p>Endpoints (https://docs.opensearch.org/latest/observing-your-data/alerting/api/): {@code POST
 * _plugins/_alerting/monitors}, {@code GET|PUT|DELETE _plugins/_alerting/monitors/<id>}, {@code
 * GET|POST _plugins/_alerting/monitors/_search}; Notifications
 * (https://docs.opensearch.org/latest/observing-your-data/notifications/api/): {@code POST
 * _plugins/_notifications/configs}, {@code GET|PUT|DELETE _plugins/_notifications/configs/<id>}.
 * What stays hand-written: storage and ids, the search evaluation (a term/match on the monitor
 * name, or match_all, parsed first by OpenSearch's SearchSourceBuilder), and the delete responses.
 */
final class AlertingContractServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MONITORS = "/_plugins/_alerting/monitors";
  private static final String CONFIGS = "/_plugins/_notifications/configs";

  /** A stored monitor: {@code monitor} is the model's serialization (what GET returns). */
  record Stored(String id, long version, ObjectNode monitor) {}

  private record StoredConfig(NotificationConfig config, Instant created, Instant updated) {}

  private final HttpServer server;
  private final ExecutorService executor;
  private final Map<String, Stored> monitors = new LinkedHashMap<>();
  private final Map<String, StoredConfig> configs = new LinkedHashMap<>();
  private final AtomicInteger writes = new AtomicInteger();
  private final AtomicInteger reads = new AtomicInteger();
  private final List<String> rejections = new ArrayList<>();
  private Runnable beforeConfigCreate;

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

  /** Each refused request: method, path and the plugin's error body. */
  synchronized List<String> rejections() {
    return List.copyOf(rejections);
  }

  synchronized Map<String, Stored> monitors() {
    return new LinkedHashMap<>(monitors);
  }

  /** Each config as GET returns its {@code config} object. */
  synchronized Map<String, ObjectNode> configs() {
    Map<String, ObjectNode> out = new LinkedHashMap<>();
    configs.forEach((id, c) -> out.put(id, PluginModels.json(c.config())));
    return out;
  }

  /** Someone edits a monitor by hand, through the API: parsed like any update, version moves. */
  synchronized void handEdit(String id, Consumer<ObjectNode> edit) {
    Stored s = monitors.get(id);
    ObjectNode copy = s.monitor().deepCopy();
    edit.accept(copy);
    monitors.put(id, new Stored(id, s.version() + 1, accepted(copy, id)));
  }

  synchronized void handDelete(String id) {
    monitors.remove(id);
  }

  /** Someone creates a monitor by hand (parsed and checked like any request). */
  synchronized String handCreate(ObjectNode monitor) {
    String id = UUID.randomUUID().toString();
    monitors.put(id, new Stored(id, 1, accepted(monitor, Monitor.NO_ID)));
    return id;
  }

  synchronized void handEditConfig(String id, Consumer<ObjectNode> edit) {
    ObjectNode config = PluginModels.json(configs.get(id).config());
    edit.accept(config);
    ObjectNode body = JSON.createObjectNode();
    body.set("config", config);
    try {
      UpdateNotificationConfigRequest request = PluginModels.updateConfig(bytes(body), id);
      StoredConfig old = configs.get(id);
      configs.put(id, new StoredConfig(request.getNotificationConfig(), old.created(), now()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs once, inside the next config create, before the server looks at it (a race). */
  synchronized void beforeNextConfigCreate(Runnable race) {
    this.beforeConfigCreate = race;
  }

  synchronized void handCreateConfig(String id, ObjectNode config) {
    ObjectNode body = JSON.createObjectNode();
    body.put("config_id", id);
    body.set("config", config);
    try {
      NotificationConfig parsed = PluginModels.createConfig(bytes(body)).getNotificationConfig();
      checkEmailReferences(parsed);
      configs.put(id, new StoredConfig(parsed, now(), now()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  // ---- Alerting ----

  private synchronized void monitors(HttpExchange ex) throws IOException {
    String method = ex.getRequestMethod();
    String rest = ex.getRequestURI().getPath().substring(MONITORS.length());
    try {
      if (ex.getRequestURI().getQuery() != null) {
        // Vigil sends none; the plugin's would be if_seq_no, if_primary_term, refresh.
        throw new IllegalArgumentException(
            "query parameters Vigil does not send: " + ex.getRequestURI().getQuery());
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
        Monitor monitor = PluginModels.monitor(body(ex), Monitor.NO_ID);
        String id = UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        Stored stored = new Stored(id, 1, stamped(monitor));
        monitors.put(id, stored);
        reply(
            ex,
            201,
            PluginModels.json(
                new IndexMonitorResponse(id, 1, 1, 1, model(stored.monitor(), id, 1))));
        return;
      }
      String id = rest.substring(1);
      Stored stored = monitors.get(id);
      switch (method) {
        case "GET" -> {
          reads.incrementAndGet();
          if (stored == null) {
            throw new OpenSearchStatusException("Monitor not found.", RestStatus.NOT_FOUND);
          }
          reply(
              ex,
              200,
              PluginModels.json(
                  new GetMonitorResponse(
                      id,
                      stored.version(),
                      stored.version(),
                      1,
                      model(stored.monitor(), id, stored.version()),
                      null)));
        }
        case "PUT" -> {
          writes.incrementAndGet();
          Monitor monitor = PluginModels.monitor(body(ex), id);
          if (stored == null) {
            throw new OpenSearchStatusException(
                "Monitor with " + id + " is not found", RestStatus.NOT_FOUND);
          }
          Stored updated = new Stored(id, stored.version() + 1, stamped(monitor));
          monitors.put(id, updated);
          reply(
              ex,
              200,
              PluginModels.json(
                  new IndexMonitorResponse(
                      id,
                      updated.version(),
                      updated.version(),
                      1,
                      model(updated.monitor(), id, updated.version()))));
        }
        case "DELETE" -> {
          writes.incrementAndGet();
          if (monitors.remove(id) == null) {
            throw new OpenSearchStatusException(
                "Monitor " + id + " is not found", RestStatus.NOT_FOUND);
          }
          ObjectNode r = JSON.createObjectNode();
          r.put("_index", ".opendistro-alerting-config").put("_id", id).put("result", "deleted");
          reply(ex, 200, r);
        }
        default -> reply(ex, 405, error("method not allowed"));
      }
    } catch (Exception e) {
      refuse(ex, e);
    }
  }

  /** A monitor accepted as the plugin accepts it: parsed, checked, stamped, re-serialized. */
  private static ObjectNode accepted(ObjectNode body, String id) {
    try {
      return stamped(PluginModels.monitor(bytes(body), id));
    } catch (Exception e) {
      throw new IllegalArgumentException(
          "the plugin would refuse this monitor: " + PluginModels.error(e), e);
    }
  }

  /**
   * The stored form: the model's serialization with {@code last_update_time} set to now
   * (RestIndexMonitorAction copies the parsed monitor with {@code lastUpdateTime = Instant.now()}).
   */
  private static ObjectNode stamped(Monitor monitor) {
    ObjectNode json = PluginModels.json(monitor);
    json.put("last_update_time", System.currentTimeMillis());
    return json;
  }

  /** The stored monitor read back as the plugin reads its scheduled-jobs index. */
  private static Monitor model(ObjectNode stored, String id, long version) throws IOException {
    var parser = PluginModels.parser(bytes(stored));
    parser.nextToken();
    return Monitor.parse(parser, id, version);
  }

  /** Supports the searches the docs show: a match/term on the monitor name, or match_all. */
  private void search(HttpExchange ex) throws Exception {
    byte[] raw = body(ex);
    PluginModels.search(raw); // refused as the plugin's SearchSourceBuilder would refuse it
    JsonNode body = raw.length == 0 ? JSON.createObjectNode() : JSON.readTree(raw);
    JsonNode query = body.path("query");
    String name = null;
    JsonNode filter = query.path("bool").path("filter");
    JsonNode term = filter.isArray() ? filter.path(0).path("term") : filter.path("term");
    if (term.has("monitor.name.keyword")) {
      JsonNode value = term.path("monitor.name.keyword");
      name = value.isObject() ? value.path("value").asText() : value.asText();
    } else if (query.path("match").has("monitor.name")) {
      name = query.path("match").path("monitor.name").asText();
    } else if (!query.has("match_all") && !query.isMissingNode()) {
      throw new IllegalStateException(
          "the contract server evaluates term monitor.name.keyword, match monitor.name or"
              + " match_all only");
    }
    if (monitors.isEmpty()) {
      // The scheduled-jobs index is created with the first monitor.
      throw new org.opensearch.index.IndexNotFoundException(".opendistro-alerting-config");
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
        // RestSearchMonitorAction re-serializes each hit with Monitor.toXContent.
        hit.set("_source", s.monitor().deepCopy());
      }
    }
    ((ObjectNode) response.get("hits"))
        .putObject("total")
        .put("value", hits.size())
        .put("relation", "eq");
    reply(ex, 200, response);
  }

  // ---- Notifications ----

  private synchronized void configs(HttpExchange ex) throws IOException {
    String method = ex.getRequestMethod();
    String rest = ex.getRequestURI().getPath().substring(CONFIGS.length());
    String id = rest.replaceAll("^/+|/+$", "");
    try {
      if (ex.getRequestURI().getQuery() != null) {
        throw new IllegalArgumentException(
            "query parameters Vigil does not send: " + ex.getRequestURI().getQuery());
      }
      if (id.isEmpty()) {
        writes.incrementAndGet();
        if (!method.equals("POST")) {
          reply(ex, 405, error("method not allowed"));
          return;
        }
        if (beforeConfigCreate != null) {
          Runnable race = beforeConfigCreate;
          beforeConfigCreate = null;
          race.run();
        }
        CreateNotificationConfigRequest request = PluginModels.createConfig(body(ex));
        checkEmailReferences(request.getNotificationConfig());
        String newId =
            request.getConfigId() == null || request.getConfigId().isEmpty()
                ? UUID.randomUUID().toString()
                : request.getConfigId();
        if (configs.containsKey(newId)) {
          throw new OpenSearchStatusException(
              "[" + newId + "]: version conflict, document already exists (current version [1])",
              RestStatus.CONFLICT);
        }
        configs.put(newId, new StoredConfig(request.getNotificationConfig(), now(), now()));
        reply(ex, 200, PluginModels.json(new CreateNotificationConfigResponse(newId)));
        return;
      }
      StoredConfig stored = configs.get(id);
      switch (method) {
        case "GET" -> {
          reads.incrementAndGet();
          if (stored == null) {
            throw new OpenSearchStatusException(
                "NotificationConfig " + id + " not found", RestStatus.NOT_FOUND);
          }
          reply(
              ex,
              200,
              PluginModels.json(
                  new GetNotificationConfigResponse(
                      new NotificationConfigSearchResult(
                          new NotificationConfigInfo(
                              id, stored.updated(), stored.created(), stored.config())))));
        }
        case "PUT" -> {
          writes.incrementAndGet();
          UpdateNotificationConfigRequest request = PluginModels.updateConfig(body(ex), id);
          checkEmailReferences(request.getNotificationConfig());
          if (stored == null) {
            throw new OpenSearchStatusException(
                "NotificationConfig " + id + " not found", RestStatus.NOT_FOUND);
          }
          if (stored.config().getConfigType() != request.getNotificationConfig().getConfigType()) {
            throw new OpenSearchStatusException(
                "Config type cannot be changed after creation", RestStatus.CONFLICT);
          }
          configs.put(
              id, new StoredConfig(request.getNotificationConfig(), stored.created(), now()));
          reply(ex, 200, JSON.createObjectNode().put("config_id", id));
        }
        case "DELETE" -> {
          writes.incrementAndGet();
          if (configs.remove(id) == null) {
            throw new OpenSearchStatusException(
                "NotificationConfig " + id + " not found", RestStatus.NOT_FOUND);
          }
          ObjectNode r = JSON.createObjectNode();
          r.putObject("delete_response_list").put(id, "OK");
          reply(ex, 200, r);
        }
        default -> reply(ex, 405, error("method not allowed"));
      }
    } catch (Exception e) {
      refuse(ex, e);
    }
  }

  /**
   * ConfigIndexingActions.validateEmailConfig: an email channel's account and groups must exist,
   * the account an smtp_account or ses_account, the groups email_groups.
   */
  private void checkEmailReferences(NotificationConfig config) {
    if (!(config.getConfigData() instanceof Email email)) {
      return;
    }
    if (email.getEmailGroupIds().contains(email.getEmailAccountID())) {
      throw new OpenSearchStatusException(
          "Config IDs "
              + email.getEmailAccountID()
              + " is in both emailAccountID and emailGroupIds",
          RestStatus.BAD_REQUEST);
    }
    List<String> ids = new ArrayList<>();
    ids.add(email.getEmailAccountID());
    ids.addAll(email.getEmailGroupIds());
    List<String> missing = ids.stream().filter(i -> !configs.containsKey(i)).toList();
    if (!missing.isEmpty()) {
      throw new OpenSearchStatusException("Config IDs not found:" + missing, RestStatus.NOT_FOUND);
    }
    for (String ref : ids) {
      ConfigType type = configs.get(ref).config().getConfigType();
      boolean account = ref.equals(email.getEmailAccountID());
      String problem =
          switch (type) {
            case EMAIL_GROUP -> account ? "is not a valid email account ID" : null;
            case SMTP_ACCOUNT, SES_ACCOUNT -> account ? null : "is not a valid email group ID";
            default -> "is not a valid email group ID or email account ID";
          };
      if (problem != null) {
        throw new OpenSearchStatusException(
            "configId " + ref + " " + problem, RestStatus.NOT_ACCEPTABLE);
      }
    }
  }

  private static Instant now() {
    return Instant.ofEpochMilli(System.currentTimeMillis());
  }

  // ---- plumbing ----

  /** Answers a failure as OpenSearch's RestController does, and records it. */
  private void refuse(HttpExchange ex, Exception e) throws IOException {
    ObjectNode error = PluginModels.error(e);
    int status = PluginModels.status(e);
    // Not found is an answer, not a refusal, for lookups (and an already deleted object).
    boolean lookup =
        ex.getRequestMethod().equals("GET")
            || ex.getRequestMethod().equals("DELETE")
            || ex.getRequestURI().getPath().endsWith("/_search");
    if (status != 404 || !lookup) {
      rejections.add(ex.getRequestMethod() + " " + ex.getRequestURI() + ": " + error);
    }
    reply(ex, status, error);
  }

  private static byte[] body(HttpExchange ex) throws IOException {
    byte[] bytes = ex.getRequestBody().readAllBytes();
    if (bytes.length > 0
        && !String.valueOf(ex.getRequestHeaders().getFirst("Content-Type"))
            .startsWith("application/json")) {
      throw new IllegalArgumentException("Content-Type must be application/json");
    }
    return bytes;
  }

  private static byte[] bytes(JsonNode json) {
    return json.toString().getBytes(StandardCharsets.UTF_8);
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

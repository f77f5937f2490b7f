package dev.vigil.operator.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Snapshot Management and ISM REST APIs of the Index Management plugin, which cannot run here,
 * as a strict contract server built from the plugin's published API documentation (docs.opensearch
 * .org: "Snapshot Management API", "ISM API"): unknown fields, missing required fields, updates
 * without the right {@code if_seq_no}/{@code if_primary_term} and transitions to undefined states
 * are rejected with 400/409 like the plugin does; stored objects come back with the defaults the
 * plugin adds (schema version, schedule, an action retry block), so callers must cope with them.
 */
final class IndexManagementContractServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> SM_FIELDS =
      Set.of("description", "enabled", "snapshot_config", "creation", "deletion", "notification");
  private static final Set<String> SNAPSHOT_CONFIG_FIELDS =
      Set.of(
          "date_format",
          "date_format_timezone",
          "timezone",
          "indices",
          "repository",
          "ignore_unavailable",
          "include_global_state",
          "partial",
          "metadata");
  private static final Set<String> ISM_ACTIONS =
      Set.of(
          "delete",
          "snapshot",
          "rollover",
          "read_only",
          "read_write",
          "replica_count",
          "force_merge",
          "close",
          "open",
          "index_priority",
          "allocation",
          "notification");

  record Stored(JsonNode body, long seqNo, long primaryTerm) {}

  final Map<String, Stored> smPolicies = new ConcurrentHashMap<>();
  final Map<String, Stored> ismPolicies = new ConcurrentHashMap<>();
  final Map<String, String> attached = new ConcurrentHashMap<>();
  final List<String> requests = new java.util.concurrent.CopyOnWriteArrayList<>();
  private long seq;
  private final HttpServer server;

  /** Where requests outside {@code _plugins} go (a real node), or null for plugin APIs only. */
  private final URI upstream;

  private final java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();

  IndexManagementContractServer() throws IOException {
    this(null);
  }

  /**
   * A cluster "with" the Index Management plugin: plugin APIs served here, everything else (core
   * snapshot, index and cluster APIs) forwarded to a real node, whose plugin list gains {@code
   * opensearch-index-management}.
   */
  IndexManagementContractServer(URI upstream) throws IOException {
    this.upstream = upstream;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  synchronized List<String> writes() {
    return requests.stream().filter(r -> !r.startsWith("GET ")).toList();
  }

  private void handle(HttpExchange exchange) throws IOException {
    if (upstream != null && !exchange.getRequestURI().getPath().startsWith("/_plugins/")) {
      forward(exchange);
    } else {
      handlePlugin(exchange);
    }
  }

  private void forward(HttpExchange exchange) throws IOException {
    String target = exchange.getRequestURI().getRawPath();
    String query = exchange.getRequestURI().getRawQuery();
    byte[] body = exchange.getRequestBody().readAllBytes();
    java.net.http.HttpRequest.Builder request =
        java.net.http.HttpRequest.newBuilder(
                upstream.resolve(target.substring(1) + (query == null ? "" : "?" + query)))
            .method(
                exchange.getRequestMethod(),
                body.length == 0
                    ? java.net.http.HttpRequest.BodyPublishers.noBody()
                    : java.net.http.HttpRequest.BodyPublishers.ofByteArray(body));
    if (body.length > 0) {
      request.header("Content-Type", "application/json");
    }
    try {
      var response =
          http.send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
      byte[] answer = response.body();
      if (target.startsWith("/_cat/plugins") && response.statusCode() == 200) {
        ArrayNode plugins = (ArrayNode) JSON.readTree(answer);
        plugins
            .addObject()
            .put("name", "node-1")
            .put("component", "opensearch-index-management")
            .put("version", "2.19.4.0");
        answer = JSON.writeValueAsBytes(plugins);
      }
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(response.statusCode(), answer.length == 0 ? -1 : answer.length);
      exchange.getResponseBody().write(answer);
      exchange.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      exchange.close();
    }
  }

  private synchronized void handlePlugin(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    String query = exchange.getRequestURI().getQuery();
    requests.add(method + " " + path);
    byte[] raw = exchange.getRequestBody().readAllBytes();
    try {
      JsonNode body = raw.length == 0 ? null : JSON.readTree(raw);
      if (body != null
          && !exchange
              .getRequestHeaders()
              .getFirst("Content-Type")
              .startsWith("application/json")) {
        throw new Refusal(406, "Content-Type must be application/json");
      }
      String[] parts = path.substring(1).split("/");
      Object response;
      if (path.startsWith("/_plugins/_sm/policies/")) {
        response = sm(method, parts, query, body);
      } else if (path.startsWith("/_plugins/_ism/policies/")) {
        response = ism(method, parts[3], query, body);
      } else if (path.startsWith("/_plugins/_ism/add/") && method.equals("POST")) {
        String id = required(body, "policy_id").asText();
        if (!ismPolicies.containsKey(id)) {
          throw new Refusal(404, "policy " + id + " not found");
        }
        attached.put(parts[3], id);
        response = Map.of("updated_indices", 0, "failures", false, "failed_indices", List.of());
      } else {
        throw new Refusal(404, "no handler for " + method + " " + path);
      }
      send(exchange, 200, response);
    } catch (Refusal e) {
      send(
          exchange,
          e.status,
          Map.of(
              "error",
              Map.of("type", "contract_violation", "reason", e.getMessage()),
              "status",
              e.status));
    } catch (Exception e) {
      send(
          exchange,
          400,
          Map.of("error", Map.of("reason", "unreadable request: " + e.getMessage())));
    }
  }

  private Object sm(String method, String[] parts, String query, JsonNode body) throws Refusal {
    String name = parts[3];
    if (parts.length == 5 && parts[4].equals("_explain") && method.equals("GET")) {
      ArrayNode policies = JSON.createArrayNode();
      Stored stored = smPolicies.get(name);
      if (stored != null) {
        ObjectNode p = policies.addObject();
        p.put("name", name);
        ObjectNode creation = p.putObject("creation");
        creation.put("current_state", "CREATION_START");
        creation.putObject("trigger").put("time", 1_795_000_000_000L);
        p.put("policy_seq_no", stored.seqNo);
        p.put("policy_primary_term", stored.primaryTerm);
        p.put("enabled", true);
      }
      return JSON.createObjectNode().set("policies", policies);
    }
    if (parts.length == 5 && parts[4].equals("_start") && method.equals("POST")) {
      return Map.of("acknowledged", true);
    }
    Stored stored = smPolicies.get(name);
    switch (method) {
      case "GET" -> {
        if (stored == null) {
          throw new Refusal(404, "SM policy " + name + " not found");
        }
        ObjectNode response = envelope(name + "-sm-policy", stored);
        ObjectNode policy = stored.body.deepCopy();
        policy.put("name", name);
        policy.put("schema_version", 15);
        policy.put("enabled", true);
        policy.putObject("schedule").putObject("interval").put("period", 1).put("unit", "Minutes");
        response.set("sm_policy", policy);
        return response;
      }
      case "POST" -> {
        if (stored != null) {
          throw new Refusal(409, "version_conflict_engine_exception: " + name + " exists");
        }
        checkSmPolicy(body);
        smPolicies.put(name, new Stored(body, ++seq, 1));
        return envelope(name + "-sm-policy", smPolicies.get(name));
      }
      case "PUT" -> {
        checkVersion(query, stored);
        checkSmPolicy(body);
        smPolicies.put(name, new Stored(body, ++seq, 1));
        return envelope(name + "-sm-policy", smPolicies.get(name));
      }
      case "DELETE" -> {
        if (smPolicies.remove(name) == null) {
          throw new Refusal(404, "SM policy " + name + " not found");
        }
        return Map.of("result", "deleted");
      }
      default -> throw new Refusal(405, method + " not allowed");
    }
  }

  private Object ism(String method, String id, String query, JsonNode body) throws Refusal {
    Stored stored = ismPolicies.get(id);
    switch (method) {
      case "GET" -> {
        if (stored == null) {
          throw new Refusal(404, "Policy not found");
        }
        ObjectNode response = envelope(id, stored);
        ObjectNode policy = stored.body.path("policy").deepCopy();
        policy.put("policy_id", id);
        policy.put("schema_version", 21);
        policy.putNull("error_notification");
        for (JsonNode state : policy.path("states")) {
          for (JsonNode action : state.path("actions")) {
            ((ObjectNode) action)
                .putObject("retry")
                .put("count", 3)
                .put("backoff", "exponential")
                .put("delay", "1m");
          }
        }
        response.set("policy", policy);
        return response;
      }
      case "PUT" -> {
        if (stored != null || query != null) {
          checkVersion(query, stored);
        }
        checkIsmPolicy(body);
        ismPolicies.put(id, new Stored(body, ++seq, 1));
        return envelope(id, ismPolicies.get(id));
      }
      case "DELETE" -> {
        if (ismPolicies.remove(id) == null) {
          throw new Refusal(404, "Policy not found");
        }
        return Map.of("result", "deleted");
      }
      default -> throw new Refusal(405, method + " not allowed");
    }
  }

  private static void checkVersion(String query, Stored stored) throws Refusal {
    if (stored == null) {
      throw new Refusal(404, "policy not found");
    }
    String expected = "if_seq_no=" + stored.seqNo + "&if_primary_term=" + stored.primaryTerm;
    if (query == null || !query.contains("if_seq_no") || !query.contains("if_primary_term")) {
      throw new Refusal(409, "update needs if_seq_no and if_primary_term (policy exists)");
    }
    if (!query.equals(expected)) {
      throw new Refusal(409, "version_conflict_engine_exception: expected " + expected);
    }
  }

  private static void checkSmPolicy(JsonNode body) throws Refusal {
    onlyFields(body, SM_FIELDS, "policy");
    JsonNode config = required(body, "snapshot_config");
    onlyFields(config, SNAPSHOT_CONFIG_FIELDS, "snapshot_config");
    required(config, "repository");
    JsonNode creation = required(body, "creation");
    onlyFields(creation, Set.of("schedule", "time_limit"), "creation");
    cron(required(creation, "schedule"), "creation.schedule");
    if (body.has("deletion")) {
      JsonNode deletion = body.get("deletion");
      onlyFields(
          deletion, Set.of("schedule", "condition", "time_limit", "snapshot_pattern"), "deletion");
      if (deletion.has("schedule")) {
        cron(deletion.get("schedule"), "deletion.schedule");
      }
      JsonNode condition = required(deletion, "condition");
      onlyFields(condition, Set.of("max_age", "max_count", "min_count"), "deletion.condition");
      if (condition.has("max_count") && !condition.get("max_count").isInt()) {
        throw new Refusal(400, "deletion.condition.max_count must be an integer");
      }
      if (condition.has("max_age") && !condition.get("max_age").asText().matches("[0-9]+[smhd]")) {
        throw new Refusal(400, "deletion.condition.max_age must be a time value like 7d");
      }
    }
  }

  private static void cron(JsonNode schedule, String field) throws Refusal {
    onlyFields(schedule, Set.of("cron"), field);
    JsonNode cron = required(schedule, "cron");
    onlyFields(cron, Set.of("expression", "timezone"), field + ".cron");
    if (required(cron, "expression").asText().trim().split("\\s+").length != 5) {
      throw new Refusal(400, field + ".cron.expression must have 5 fields");
    }
    required(cron, "timezone");
  }

  private static void checkIsmPolicy(JsonNode body) throws Refusal {
    onlyFields(body, Set.of("policy"), "body");
    JsonNode policy = required(body, "policy");
    onlyFields(
        policy,
        Set.of("description", "default_state", "states", "ism_template", "error_notification"),
        "policy");
    String defaultState = required(policy, "default_state").asText();
    JsonNode states = required(policy, "states");
    List<String> names = new ArrayList<>();
    states.forEach(s -> names.add(s.path("name").asText()));
    if (!names.contains(defaultState)) {
      throw new Refusal(400, "default_state " + defaultState + " is not a state");
    }
    for (JsonNode state : states) {
      onlyFields(state, Set.of("name", "actions", "transitions"), "state");
      for (JsonNode action : required(state, "actions")) {
        for (Iterator<String> it = action.fieldNames(); it.hasNext(); ) {
          String type = it.next();
          if (!ISM_ACTIONS.contains(type) && !type.equals("retry") && !type.equals("timeout")) {
            throw new Refusal(400, "unknown action " + type);
          }
          if (type.equals("snapshot")) {
            required(action.get(type), "repository");
            required(action.get(type), "snapshot");
          }
        }
      }
      for (JsonNode transition : required(state, "transitions")) {
        if (!names.contains(required(transition, "state_name").asText())) {
          throw new Refusal(400, "transition to undefined state " + transition.get("state_name"));
        }
        if (transition.has("conditions")) {
          onlyFields(
              transition.get("conditions"),
              Set.of("min_index_age", "min_doc_count", "min_size", "min_rollover_age", "cron"),
              "conditions");
        }
      }
    }
    for (JsonNode template : policy.path("ism_template")) {
      onlyFields(
          template, Set.of("index_patterns", "priority", "last_updated_time"), "ism_template");
      if (!required(template, "index_patterns").isArray()) {
        throw new Refusal(400, "ism_template.index_patterns must be an array");
      }
    }
  }

  private static void onlyFields(JsonNode node, Set<String> allowed, String where) throws Refusal {
    if (node == null || !node.isObject()) {
      throw new Refusal(400, where + " must be an object");
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!allowed.contains(field)) {
        throw new Refusal(400, "unknown field [" + field + "] in " + where);
      }
    }
  }

  private static JsonNode required(JsonNode node, String field) throws Refusal {
    if (node == null || !node.hasNonNull(field)) {
      throw new Refusal(400, "required field [" + field + "] is missing");
    }
    return node.get(field);
  }

  private static ObjectNode envelope(String id, Stored stored) {
    ObjectNode response = JSON.createObjectNode();
    response.put("_id", id);
    response.put("_version", stored.seqNo);
    response.put("_seq_no", stored.seqNo);
    response.put("_primary_term", stored.primaryTerm);
    return response;
  }

  private static void send(HttpExchange exchange, int status, Object body) throws IOException {
    byte[] bytes = JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  static final class Refusal extends Exception {
    final int status;

    Refusal(int status, String message) {
      super(message);
      this.status = status;
    }
  }
}

package dev.vigil.operator.dashboard;

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
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for the OpenSearch Dashboards saved-objects API (Dashboards cannot run here), strict
 * about what the published API requires: {@code osd-xsrf} on every write, Basic auth when set, a
 * multipart upload with one {@code file} part named {@code *.ndjson} for {@code _import}, ids and
 * types, references that resolve (else {@code missing_references}), conflicts without {@code
 * overwrite=true}, and the stored shapes Vigil must produce (JSON-string {@code visState}, {@code
 * searchSourceJSON} with {@code indexRefName}, {@code panelsJSON} whose {@code panelRefName}s are
 * references). Objects are kept per {@code securitytenant}. Every write is counted.
 */
final class DashboardsContractServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> TYPES =
      Set.of("index-pattern", "search", "visualization", "dashboard", "config", "query");
  private static final Pattern OBJECT_PATH =
      Pattern.compile("^/api/saved_objects/([a-z-]+)/([^/]+)$");

  private final HttpServer server;
  private final String basePath;
  private volatile String credentials; // user:password, or null for no auth

  /** tenant ("" = none) -> "type/id" -> stored object. */
  final Map<String, Map<String, ObjectNode>> tenants = new ConcurrentHashMap<>();

  final AtomicInteger imports = new AtomicInteger();
  final AtomicInteger importedObjects = new AtomicInteger();
  final AtomicInteger deletes = new AtomicInteger();
  final AtomicInteger bulkGets = new AtomicInteger();
  final List<String> violations = new CopyOnWriteArrayList<>();

  DashboardsContractServer(String basePath) throws IOException {
    this.basePath = basePath;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + basePath);
  }

  void requireBasicAuth(String user, String password) {
    credentials = user + ":" + password;
  }

  Map<String, ObjectNode> objects(String tenant) {
    return tenants.computeIfAbsent(tenant == null ? "" : tenant, t -> new ConcurrentHashMap<>());
  }

  int writes() {
    return imports.get() + deletes.get();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      if (!path.startsWith(basePath)) {
        reply(exchange, 404, error(404, "Not Found", "no route " + path));
        return;
      }
      path = "/" + path.substring(basePath.length());
      String method = exchange.getRequestMethod();
      if (credentials != null && !authorized(exchange)) {
        reply(exchange, 401, error(401, "Unauthorized", "Authentication required"));
        return;
      }
      if (!"GET".equals(method)
          && !"true".equals(exchange.getRequestHeaders().getFirst("osd-xsrf"))) {
        violation(method + " " + path + " without osd-xsrf: true");
        reply(exchange, 400, error(400, "Bad Request", "Request must contain a osd-xsrf header."));
        return;
      }
      String tenant = exchange.getRequestHeaders().getFirst("securitytenant");
      Map<String, ObjectNode> store = objects(tenant);
      byte[] body = exchange.getRequestBody().readAllBytes();
      if ("POST".equals(method) && path.equals("/api/saved_objects/_import")) {
        importObjects(exchange, store, body);
      } else if ("POST".equals(method) && path.equals("/api/saved_objects/_bulk_get")) {
        bulkGet(exchange, store, body);
      } else if ("DELETE".equals(method) && OBJECT_PATH.matcher(path).matches()) {
        Matcher m = OBJECT_PATH.matcher(path);
        m.matches();
        String key = m.group(1) + "/" + m.group(2);
        deletes.incrementAndGet();
        if (store.remove(key) == null) {
          reply(exchange, 404, error(404, "Not Found", "Saved object [" + key + "] not found"));
        } else {
          reply(exchange, 200, JSON.createObjectNode());
        }
      } else {
        violation("unexpected " + method + " " + path);
        reply(exchange, 404, error(404, "Not Found", "no route " + method + " " + path));
      }
    } catch (RuntimeException e) {
      violation("server error: " + e);
      throw e;
    }
  }

  private void importObjects(HttpExchange exchange, Map<String, ObjectNode> store, byte[] body)
      throws IOException {
    String query = exchange.getRequestURI().getQuery();
    boolean overwrite = query != null && query.contains("overwrite=true");
    String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
    Matcher boundary =
        Pattern.compile("^multipart/form-data;\\s*boundary=(\\S+)$")
            .matcher(contentType == null ? "" : contentType);
    if (!boundary.matches()) {
      violation("import Content-Type " + contentType);
      reply(exchange, 415, error(415, "Unsupported Media Type", "Unsupported Media Type"));
      return;
    }
    String file = filePart(new String(body, StandardCharsets.UTF_8), boundary.group(1));
    if (file == null) {
      violation("import without a file part named *.ndjson");
      reply(
          exchange,
          400,
          error(400, "Bad Request", "[request body.file]: expected value of type [Stream]"));
      return;
    }
    imports.incrementAndGet();
    List<ObjectNode> objects = new ArrayList<>();
    for (String line : file.split("\n")) {
      if (!line.isBlank()) {
        objects.add((ObjectNode) JSON.readTree(line));
      }
    }
    Set<String> inFile = new HashSet<>();
    objects.forEach(o -> inFile.add(o.path("type").asText() + "/" + o.path("id").asText()));
    ArrayNode errors = JSON.createArrayNode();
    ArrayNode successes = JSON.createArrayNode();
    for (ObjectNode object : objects) {
      String type = object.path("type").asText();
      String id = object.path("id").asText();
      String key = type + "/" + id;
      ObjectNode failure = JSON.createObjectNode().put("type", type).put("id", id);
      failure.putObject("meta").put("title", object.path("attributes").path("title").asText());
      if (!TYPES.contains(type)) {
        failure.putObject("error").put("type", "unsupported_type");
        errors.add(failure);
        continue;
      }
      String shape = shapeProblem(object);
      if (shape != null) {
        violation(key + ": " + shape);
        failure.putObject("error").put("type", "unknown").put("message", shape);
        errors.add(failure);
        continue;
      }
      ArrayNode missing = JSON.createArrayNode();
      for (JsonNode ref : object.path("references")) {
        String target = ref.path("type").asText() + "/" + ref.path("id").asText();
        if (!inFile.contains(target) && !store.containsKey(target)) {
          missing
              .addObject()
              .put("type", ref.path("type").asText())
              .put("id", ref.path("id").asText());
        }
      }
      if (!missing.isEmpty()) {
        ObjectNode error = failure.putObject("error").put("type", "missing_references");
        error.set("references", missing);
        errors.add(failure);
        continue;
      }
      if (store.containsKey(key) && !overwrite) {
        failure.putObject("error").put("type", "conflict");
        errors.add(failure);
        continue;
      }
      ObjectNode stored = object.deepCopy();
      stored.put("version", "WzEsMV0=");
      stored.put("updated_at", java.time.Instant.now().toString());
      store.put(key, stored);
      importedObjects.incrementAndGet();
      successes.add(JSON.createObjectNode().put("type", type).put("id", id));
    }
    ObjectNode response = JSON.createObjectNode();
    response.put("success", errors.isEmpty());
    response.put("successCount", successes.size());
    response.set("successResults", successes);
    if (!errors.isEmpty()) {
      response.set("errors", errors);
    }
    reply(exchange, 200, response);
  }

  /** What Dashboards needs to load the object, per the stored format of each type. */
  private static String shapeProblem(ObjectNode object) {
    JsonNode attributes = object.path("attributes");
    if (!attributes.isObject() || !attributes.path("title").isTextual()) {
      return "attributes.title must be a string";
    }
    Set<String> refNames = new HashSet<>();
    object.path("references").forEach(r -> refNames.add(r.path("name").asText()));
    String type = object.path("type").asText();
    if (type.equals("search") || type.equals("visualization") || type.equals("dashboard")) {
      JsonNode source =
          jsonString(attributes.path("kibanaSavedObjectMeta").path("searchSourceJSON"));
      if (source == null) {
        return "kibanaSavedObjectMeta.searchSourceJSON must be a JSON string";
      }
      if (source.has("index")) {
        return "searchSourceJSON.index must be extracted to indexRefName + a reference";
      }
      if (source.has("indexRefName") && !refNames.contains(source.path("indexRefName").asText())) {
        return "indexRefName names no reference";
      }
      if (type.equals("search") && !source.has("indexRefName")) {
        return "a saved search needs an index pattern";
      }
    }
    if (type.equals("visualization")) {
      JsonNode vis = jsonString(attributes.path("visState"));
      if (vis == null || !vis.path("type").isTextual() || !vis.path("aggs").isArray()) {
        return "visState must be a JSON string with type and aggs";
      }
      if (jsonString(attributes.path("uiStateJSON")) == null) {
        return "uiStateJSON must be a JSON string";
      }
      String searchRef = attributes.path("savedSearchRefName").asText(null);
      if (searchRef != null && !refNames.contains(searchRef)) {
        return "savedSearchRefName names no reference";
      }
    }
    if (type.equals("dashboard")) {
      JsonNode panels = jsonString(attributes.path("panelsJSON"));
      if (panels == null || !panels.isArray()) {
        return "panelsJSON must be a JSON array string";
      }
      for (JsonNode panel : panels) {
        if (!refNames.contains(panel.path("panelRefName").asText())) {
          return "panel " + panel.path("panelIndex").asText() + " has no matching reference";
        }
        if (!panel.path("gridData").has("w") || !panel.path("gridData").has("i")) {
          return "panel gridData needs x, y, w, h, i";
        }
      }
      if (jsonString(attributes.path("optionsJSON")) == null) {
        return "optionsJSON must be a JSON string";
      }
    }
    return null;
  }

  private void bulkGet(HttpExchange exchange, Map<String, ObjectNode> store, byte[] body)
      throws IOException {
    bulkGets.incrementAndGet();
    JsonNode request = JSON.readTree(body);
    if (!request.isArray()) {
      violation("_bulk_get body is not an array");
      reply(
          exchange,
          400,
          error(400, "Bad Request", "[request body]: expected value of type [array]"));
      return;
    }
    ArrayNode found = JSON.createArrayNode();
    for (JsonNode wanted : request) {
      String key = wanted.path("type").asText() + "/" + wanted.path("id").asText();
      ObjectNode stored = store.get(key);
      if (stored != null) {
        found.add(stored);
      } else {
        ObjectNode missing =
            found
                .addObject()
                .put("id", wanted.path("id").asText())
                .put("type", wanted.path("type").asText());
        missing
            .putObject("error")
            .put("statusCode", 404)
            .put("error", "Not Found")
            .put("message", "Saved object [" + key + "] not found");
      }
    }
    ObjectNode response = JSON.createObjectNode();
    response.set("saved_objects", found);
    reply(exchange, 200, response);
  }

  /** The content of the multipart part named "file" with a .ndjson file name, or null. */
  private static String filePart(String body, String boundary) {
    for (String part : body.split("--" + Pattern.quote(boundary))) {
      int headerEnd = part.indexOf("\r\n\r\n");
      if (headerEnd < 0) {
        continue;
      }
      String headers = part.substring(0, headerEnd);
      if (headers.contains("name=\"file\"")
          && headers.matches("(?s).*filename=\"[^\"]+\\.ndjson\".*")) {
        String content = part.substring(headerEnd + 4);
        return content.endsWith("\r\n") ? content.substring(0, content.length() - 2) : content;
      }
    }
    return null;
  }

  private boolean authorized(HttpExchange exchange) {
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    String expected =
        "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    return expected.equals(header);
  }

  private static JsonNode jsonString(JsonNode node) {
    if (!node.isTextual()) {
      return null;
    }
    try {
      return JSON.readTree(node.asText());
    } catch (IOException e) {
      return null;
    }
  }

  private void violation(String what) {
    violations.add(what);
  }

  private static ObjectNode error(int status, String error, String message) {
    return JSON.createObjectNode()
        .put("statusCode", status)
        .put("error", error)
        .put("message", message);
  }

  private static void reply(HttpExchange exchange, int status, JsonNode body) throws IOException {
    byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }
}

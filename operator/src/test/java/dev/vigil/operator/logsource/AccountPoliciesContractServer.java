package dev.vigil.operator.logsource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A stand-in for CloudWatch Logs' account policy operations, which the emulator (moto 5.2.5) does
 * not implement: PutAccountPolicy, DescribeAccountPolicies and DeleteAccountPolicy over the AWS
 * JSON 1.1 protocol ({@code X-Amz-Target: Logs_20140328.<Operation>}), strict about what the API
 * reference requires
 * (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutAccountPolicy.html):
 * policyName, policyDocument and policyType present, policyType one of the documented values, a
 * subscription filter policy's document JSON with a DestinationArn, selectionCriteria only for that
 * type and only as {@code LogGroupName NOT IN [...]}, and one subscription filter policy per
 * account (a second name is refused with LimitExceededException). DescribeLogGroups answers an
 * account without log groups. Every request is recorded.
 */
final class AccountPoliciesContractServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TARGET_PREFIX = "Logs_20140328.";
  private static final Set<String> POLICY_TYPES =
      Set.of(
          "DATA_PROTECTION_POLICY",
          "SUBSCRIPTION_FILTER_POLICY",
          "FIELD_INDEX_POLICY",
          "TRANSFORMER_POLICY");
  private static final String SUBSCRIPTION = "SUBSCRIPTION_FILTER_POLICY";

  private final HttpServer server;

  /** Policy type → policy name → the stored policy, as DescribeAccountPolicies returns it. */
  private final Map<String, Map<String, ObjectNode>> policies = new TreeMap<>();

  private final List<String> operations = new ArrayList<>();
  private final List<JsonNode> bodies = new ArrayList<>();

  AccountPoliciesContractServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** A policy someone else put (another tool's subscription filter policy). */
  synchronized void holds(String type, String name, String document) {
    ObjectNode policy =
        JSON.createObjectNode()
            .put("policyName", name)
            .put("policyType", type)
            .put("policyDocument", document)
            .put("scope", "ALL")
            .put("accountId", "123456789012")
            .put("lastUpdatedTime", 1_733_480_000_000L);
    policies.computeIfAbsent(type, t -> new TreeMap<>()).put(name, policy);
  }

  synchronized List<String> operations() {
    return List.copyOf(operations);
  }

  /** Request bodies, in the order received. */
  synchronized List<JsonNode> bodies() {
    return List.copyOf(bodies);
  }

  synchronized Map<String, ObjectNode> policies(String type) {
    return Map.copyOf(policies.getOrDefault(type, Map.of()));
  }

  private synchronized void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
      String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
      JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
      if (!"POST".equals(exchange.getRequestMethod())
          || target == null
          || !target.startsWith(TARGET_PREFIX)
          || !"application/x-amz-json-1.1".equals(contentType)) {
        error(exchange, "SerializationException", "not an AWS JSON 1.1 CloudWatch Logs request");
        return;
      }
      String operation = target.substring(TARGET_PREFIX.length());
      operations.add(operation);
      bodies.add(body);
      switch (operation) {
        case "PutAccountPolicy" -> put(exchange, body);
        case "DescribeAccountPolicies" -> describe(exchange, body);
        case "DeleteAccountPolicy" -> delete(exchange, body);
        // An account without log groups (API_DescribeLogGroups: {"logGroups": [...]}).
        case "DescribeLogGroups" ->
            answer(exchange, JSON.createObjectNode().set("logGroups", JSON.createArrayNode()));
        default -> error(exchange, "UnknownOperationException", operation);
      }
    }
  }

  private void put(HttpExchange exchange, JsonNode body) throws IOException {
    String name = body.path("policyName").asText(null);
    String document = body.path("policyDocument").asText(null);
    String type = body.path("policyType").asText(null);
    if (name == null || document == null || type == null || !POLICY_TYPES.contains(type)) {
      error(exchange, "InvalidParameterException", "policyName, policyDocument, policyType");
      return;
    }
    String scope = body.path("scope").asText("ALL");
    if (!"ALL".equals(scope)) {
      error(exchange, "InvalidParameterException", "scope must be ALL");
      return;
    }
    String selection = body.path("selectionCriteria").asText(null);
    if (selection != null
        && (!SUBSCRIPTION.equals(type) || !selection.startsWith("LogGroupName NOT IN ["))) {
      error(exchange, "InvalidParameterException", "selectionCriteria: " + selection);
      return;
    }
    if (SUBSCRIPTION.equals(type)) {
      JsonNode parsed;
      try {
        parsed = JSON.readTree(document);
      } catch (IOException e) {
        error(exchange, "InvalidParameterException", "policyDocument is not JSON");
        return;
      }
      if (!parsed.path("DestinationArn").isTextual()) {
        error(exchange, "InvalidParameterException", "policyDocument needs DestinationArn");
        return;
      }
      Map<String, ObjectNode> present = policies.getOrDefault(type, Map.of());
      if (!present.isEmpty() && !present.containsKey(name)) {
        error(
            exchange,
            "LimitExceededException",
            "an account can have one subscription filter policy");
        return;
      }
    }
    holds(type, name, document);
    ObjectNode policy = policies.get(type).get(name);
    if (selection != null) {
      policy.put("selectionCriteria", selection);
    }
    answer(exchange, JSON.createObjectNode().set("accountPolicy", policy));
  }

  private void describe(HttpExchange exchange, JsonNode body) throws IOException {
    String type = body.path("policyType").asText(null);
    if (type == null || !POLICY_TYPES.contains(type)) {
      error(exchange, "InvalidParameterException", "policyType");
      return;
    }
    ArrayNode list = JSON.createArrayNode();
    policies.getOrDefault(type, Map.of()).values().forEach(list::add);
    answer(exchange, JSON.createObjectNode().set("accountPolicies", list));
  }

  private void delete(HttpExchange exchange, JsonNode body) throws IOException {
    String type = body.path("policyType").asText(null);
    String name = body.path("policyName").asText(null);
    Map<String, ObjectNode> present = policies.getOrDefault(type, new TreeMap<>());
    if (name == null || present.remove(name) == null) {
      error(exchange, "ResourceNotFoundException", "no policy " + name);
      return;
    }
    answer(exchange, JSON.createObjectNode());
  }

  private static void answer(HttpExchange exchange, JsonNode json) throws IOException {
    send(exchange, 200, json);
  }

  private static void error(HttpExchange exchange, String type, String message) throws IOException {
    send(exchange, 400, JSON.createObjectNode().put("__type", type).put("message", message));
  }

  private static void send(HttpExchange exchange, int status, JsonNode json) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(json);
    exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

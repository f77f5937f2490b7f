package dev.vigil.ingester.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * The per-item outcome of a {@code _bulk} response, as filtered by {@code
 * filter_path=errors,items.*.status,items.*.error}.
 */
record BulkItems(boolean errors, int[] statuses, JsonNode[] itemErrors) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * @throws IOException when the body is not a bulk response for {@code expected} items
   */
  static BulkItems parse(byte[] body, int expected) throws IOException {
    JsonNode root = JSON.readTree(body);
    if (root == null || !root.has("errors")) {
      throw new IOException("not a _bulk response: " + excerpt(body));
    }
    boolean errors = root.path("errors").asBoolean();
    JsonNode items = root.path("items");
    int[] statuses = new int[expected];
    JsonNode[] itemErrors = new JsonNode[expected];
    if (!errors) {
      java.util.Arrays.fill(statuses, 200);
      return new BulkItems(false, statuses, itemErrors);
    }
    if (!items.isArray() || items.size() != expected) {
      throw new IOException(
          "_bulk response has " + items.size() + " items for " + expected + " documents");
    }
    for (int i = 0; i < expected; i++) {
      JsonNode result = items.get(i).elements().hasNext() ? items.get(i).elements().next() : null;
      if (result == null || !result.has("status")) {
        throw new IOException("_bulk response item " + i + " has no status");
      }
      statuses[i] = result.path("status").asInt();
      JsonNode error = result.get("error");
      itemErrors[i] = error;
    }
    return new BulkItems(true, statuses, itemErrors);
  }

  /** The OpenSearch error type of an item ({@code mapper_parsing_exception}...), for metrics. */
  String errorType(int item) {
    JsonNode error = itemErrors[item];
    if (error == null) {
      return "http_" + statuses[item];
    }
    return error.isObject() ? error.path("type").asText("unknown") : "unknown";
  }

  /** Type, reason and cause of an item's error, for the dead letter. */
  String errorText(int item) {
    JsonNode error = itemErrors[item];
    if (error == null) {
      return "HTTP " + statuses[item];
    }
    if (!error.isObject()) {
      return error.asText();
    }
    StringBuilder text = new StringBuilder(error.path("type").asText("error"));
    text.append(": ").append(error.path("reason").asText(""));
    JsonNode cause = error.path("caused_by");
    if (cause.isObject()) {
      text.append(" (caused by ")
          .append(cause.path("type").asText(""))
          .append(": ")
          .append(cause.path("reason").asText(""))
          .append(')');
    }
    return text.toString();
  }

  static String excerpt(byte[] body) {
    String text =
        new String(body, 0, Math.min(body.length, 300), java.nio.charset.StandardCharsets.UTF_8);
    return body.length > 300 ? text + "…" : text;
  }
}

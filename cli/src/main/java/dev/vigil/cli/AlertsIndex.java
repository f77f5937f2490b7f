package dev.vigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.core.alerts.Alert;
import dev.vigil.core.alerts.AlertIndexMapping;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code vigil-alerts} over OpenSearch's REST API. The CLI only reads alerts: every state
 * change goes through the DetectionRule, so the operator's engine stays the only writer of
 * lifecycle states.
 */
final class AlertsIndex {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** OpenSearch could not be reached or refused the request (exit 3). */
  static final class UnreachableException extends IOException {
    UnreachableException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final HttpClient http;
  private final URI base;
  private final String authorization;

  AlertsIndex(OpenSearchOptions options) throws IOException {
    this.http = options.httpClient();
    String url = options.url.toString();
    this.base = URI.create(url.endsWith("/") ? url : url + "/");
    String password = options.password();
    this.authorization =
        options.user == null
            ? null
            : "Basic "
                + Base64.getEncoder()
                    .encodeToString(
                        (options.user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** Alerts matching a search body, in the order OpenSearch returns them. */
  List<Alert> search(ObjectNode body) throws IOException {
    JsonNode response = send("POST", AlertIndexMapping.INDEX + "/_search", body);
    if (response == null) {
      return List.of(); // no index yet: no alert was ever raised
    }
    List<Alert> alerts = new ArrayList<>();
    for (JsonNode hit : response.path("hits").path("hits")) {
      alerts.add(alert(hit));
    }
    return alerts;
  }

  /** The alerts with these ids, by id; ids without an alert are left out. */
  Map<String, Alert> get(List<String> ids) throws IOException {
    ObjectNode body = JSON.createObjectNode();
    ids.forEach(body.putArray("ids")::add);
    JsonNode response = send("POST", AlertIndexMapping.INDEX + "/_mget", body);
    Map<String, Alert> found = new LinkedHashMap<>();
    if (response == null) {
      return found;
    }
    for (JsonNode doc : response.path("docs")) {
      if (doc.path("found").asBoolean()) {
        found.put(doc.path("_id").asText(), alert(doc));
      }
    }
    return found;
  }

  private static Alert alert(JsonNode hit) throws IOException {
    Alert alert = JSON.treeToValue(hit.path("_source"), Alert.class);
    alert.id = hit.path("_id").asText(); // the document id is the alert id
    return alert;
  }

  /** The response body; null when the index does not exist. */
  private JsonNode send(String method, String path, ObjectNode body) throws IOException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    HttpResponse<byte[]> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UnreachableException("cannot reach OpenSearch at " + base + ": " + describe(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    String text = new String(response.body(), StandardCharsets.UTF_8);
    int status = response.statusCode();
    if (status == 404 && text.contains("index_not_found_exception")) {
      return null;
    }
    if (status == 401 || status == 403) {
      throw new UnreachableException(
          "OpenSearch at "
              + base
              + " refused "
              + method
              + " /"
              + path
              + " ("
              + status
              + "): "
              + text,
          null);
    }
    if (status >= 300) {
      throw new IOException(
          "OpenSearch answered " + status + " to " + method + " /" + path + ": " + text);
    }
    return JSON.readTree(text);
  }

  private static String describe(IOException e) {
    if (e instanceof java.net.ConnectException) {
      return "connection refused (is the port-forward running?)";
    }
    String message = e.getMessage();
    return message == null ? e.getClass().getSimpleName() : message;
  }
}

package dev.vigil.operator.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * A small JSON-over-HTTP client for the OpenSearch REST APIs the operator uses (cluster info,
 * plugins, templates, Alerting, Notifications, snapshots). Failures become {@link
 * OpenSearchException}s with a reason users can act on.
 */
public final class OpenSearchRest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final OpenSearchEndpoint endpoint;
  private final HttpClient http;

  public OpenSearchRest(OpenSearchEndpoint endpoint) {
    this.endpoint = endpoint;
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(endpoint.timeout());
    if (endpoint.sslContext() != null) {
      builder.sslContext(endpoint.sslContext());
    }
    if (endpoint.skipHostnameVerification()) {
      SSLParameters parameters = new SSLParameters();
      parameters.setEndpointIdentificationAlgorithm(null);
      builder.sslParameters(parameters);
    }
    this.http = builder.build();
  }

  public URI uri() {
    return endpoint.uri();
  }

  public JsonNode get(String path) throws OpenSearchException {
    return send("GET", path, null);
  }

  public JsonNode put(String path, Object body) throws OpenSearchException {
    return send("PUT", path, body);
  }

  public JsonNode post(String path, Object body) throws OpenSearchException {
    return send("POST", path, body);
  }

  public JsonNode delete(String path) throws OpenSearchException {
    return send("DELETE", path, null);
  }

  public JsonNode send(String method, String path, Object body) throws OpenSearchException {
    byte[] bytes = serialize(body);
    return send(method, path, bytes, bytes.length > 0 ? "application/json" : null, Map.of());
  }

  /**
   * A request with any body and extra headers (e.g. a multipart upload to the Dashboards API, with
   * its {@code osd-xsrf} header). {@code path} resolves against the endpoint's URI.
   */
  public JsonNode send(
      String method, String path, byte[] bytes, String contentType, Map<String, String> headers)
      throws OpenSearchException {
    URI uri = endpoint.uri().resolve(path);
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(endpoint.timeout());
    request.method(
        method,
        bytes.length == 0
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(bytes));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    headers.forEach(request::header);
    try {
      endpoint.auth().authenticate(request, method, uri, bytes);
    } catch (RequestAuth.CredentialsUnavailable e) {
      throw new OpenSearchException("CredentialsUnavailable", 0, e.getMessage(), e);
    }
    HttpResponse<String> response;
    try {
      response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (SSLException e) {
      throw new OpenSearchException(
          "TlsFailure",
          0,
          "TLS handshake with " + endpoint.uri() + " failed: " + e.getMessage(),
          e);
    } catch (HttpConnectTimeoutException | ConnectException e) {
      throw new OpenSearchException(
          "Unreachable", 0, "cannot connect to " + endpoint.uri() + ": " + describe(e), e);
    } catch (HttpTimeoutException e) {
      throw new OpenSearchException(
          "Unreachable", 0, method + " " + path + " timed out after " + endpoint.timeout(), e);
    } catch (IOException e) {
      if (e.getCause() instanceof SSLException ssl) {
        throw new OpenSearchException(
            "TlsFailure", 0, "TLS with " + endpoint.uri() + " failed: " + ssl.getMessage(), e);
      }
      throw new OpenSearchException(
          "Unreachable", 0, method + " " + path + " failed: " + describe(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OpenSearchException("Unreachable", 0, "interrupted", e);
    }
    return parse(method, path, response);
  }

  private static JsonNode parse(String method, String path, HttpResponse<String> response)
      throws OpenSearchException {
    int status = response.statusCode();
    JsonNode body;
    try {
      body = response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
    } catch (IOException e) {
      body = JSON.createObjectNode().put("raw", response.body());
    }
    if (status >= 200 && status < 300) {
      return body;
    }
    String reason =
        switch (status) {
          case 401 -> "Unauthorized";
          case 403 -> "Forbidden";
          case 404 -> "NotFound";
          case 409 -> "Conflict";
          default -> status >= 500 ? "ServerError" : "BadRequest";
        };
    String detail =
        body.path("message").isTextual() // OpenSearch Dashboards: {statusCode, error, message}
            ? body.path("message").asText()
            : body.path("error").isTextual()
                ? body.path("error").asText()
                : body.path("error").path("reason").asText(response.body());
    // The root reason often only says what failed ("failed to create repository"); the cause says
    // why.
    String cause = body.path("error").path("caused_by").path("reason").asText("");
    if (!cause.isEmpty() && !detail.contains(cause)) {
      detail = detail + ": " + cause;
    }
    throw new OpenSearchException(
        reason,
        status,
        method + " " + path + " answered " + status + ": " + abbreviate(detail),
        null);
  }

  private static byte[] serialize(Object body) throws OpenSearchException {
    if (body == null) {
      return new byte[0];
    }
    if (body instanceof byte[] raw) {
      return raw;
    }
    try {
      return JSON.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new OpenSearchException(
          "BadRequest", 0, "cannot serialize request body: " + e.getMessage(), e);
    }
  }

  private static String describe(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof ConnectException) {
        return "connection refused";
      }
      if (cause instanceof java.nio.channels.UnresolvedAddressException
          || cause instanceof java.net.UnknownHostException) {
        return "host name does not resolve";
      }
    }
    String message = e.getMessage();
    return message == null || message.isBlank() ? "no response" : message;
  }

  private static String abbreviate(String text) {
    return text.length() > 300 ? text.substring(0, 300) + "…" : text;
  }
}

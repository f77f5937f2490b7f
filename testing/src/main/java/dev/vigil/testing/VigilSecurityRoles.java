package dev.vigil.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.parts.OpenSearchNode;
import dev.vigil.parts.PartLogs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Vigil's OpenSearch Security roles applied the way users apply them — {@code
 * deploy/opensearch-security/apply.sh all} against the node with the Security plugin — and one
 * internal user per role, holding that role only (through the shipped role mappings), for tests
 * that run a component as that user.
 */
public final class VigilSecurityRoles {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PASSWORD = "Lq7-Harbour-Quiet-Mint!";

  /** An analyst's internal user; the shipped mapping grants the role through a backend role. */
  private static final String ANALYST_USER = "vigil-test-analyst";

  private static final Set<URI> APPLIED = new HashSet<>();

  /** Basic-auth credentials of one user. */
  public record User(String name, String password) {
    /** The {@code Authorization} header value. */
    public String basic() {
      String token = name + ":" + password;
      return "Basic " + Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8));
    }
  }

  private VigilSecurityRoles() {}

  /** {@code deploy/opensearch-security}: the files users apply, and this class reads. */
  public static Path directory() {
    return RepositoryRoot.find().resolve("deploy/opensearch-security");
  }

  /** The user mapped to {@code vigil_ingester} (once the roles are applied). */
  public static User ingester(OpenSearchNode node) {
    apply(node);
    return new User(mappedUser("vigil_ingester"), PASSWORD);
  }

  /** The user mapped to {@code vigil_operator}. */
  public static User operator(OpenSearchNode node) {
    apply(node);
    return new User(mappedUser("vigil_operator"), PASSWORD);
  }

  /** A user holding the backend role that the shipped mapping gives {@code vigil_analyst}. */
  public static User analyst(OpenSearchNode node) {
    apply(node);
    return new User(ANALYST_USER, PASSWORD);
  }

  /** A request to {@code node} as {@code user} (TLS trusting the node's CA). */
  public static HttpResponse<String> send(
      OpenSearchNode node, User user, String method, String path, String body) {
    HttpRequest request =
        HttpRequest.newBuilder(node.uri().resolve(path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", user.basic())
            .header(
                "Content-Type",
                path.contains("_bulk") ? "application/x-ndjson" : "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build();
    try {
      return node.httpClient().send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path + " as " + user.name() + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static synchronized void apply(OpenSearchNode node) {
    if (!node.secured()) {
      throw new IllegalArgumentException(node + " has no Security plugin: use the @Secured node");
    }
    if (APPLIED.contains(node.uri())) {
      return;
    }
    runApplyScript(node);
    for (String role : List.of("vigil_ingester", "vigil_operator")) {
      createUser(node, mappedUser(role), List.of());
    }
    createUser(node, ANALYST_USER, List.of(mappedBackendRole("vigil_analyst")));
    APPLIED.add(node.uri());
  }

  private static void runApplyScript(OpenSearchNode node) {
    Path log = PartLogs.file("opensearch-security-apply");
    try {
      ProcessBuilder builder =
          new ProcessBuilder("sh", directory().resolve("apply.sh").toString(), "all")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      builder
          .environment()
          .putAll(
              Map.of(
                  "OPENSEARCH_URL", node.uri().toString(),
                  "OPENSEARCH_USER", node.username(),
                  "OPENSEARCH_PASSWORD", node.password(),
                  "OPENSEARCH_CA", node.caCertificate().toString()));
      Process process = builder.start();
      process.getOutputStream().close();
      int code = process.waitFor();
      if (code != 0) {
        throw new IllegalStateException(
            "apply.sh exited " + code + "; log " + log + ":\n" + PartLogs.tail(log, 20));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run apply.sh", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static void createUser(OpenSearchNode node, String name, List<String> backendRoles) {
    var body = JSON.createObjectNode();
    body.put("password", PASSWORD);
    body.set("backend_roles", JSON.valueToTree(backendRoles));
    HttpRequest request =
        node.request("/_plugins/_security/api/internalusers/" + name)
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(body.toString()))
            .build();
    try {
      HttpResponse<String> response =
          node.httpClient().send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 != 2) {
        throw new IllegalStateException(
            "creating user "
                + name
                + " answered "
                + response.statusCode()
                + ": "
                + response.body());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create user " + name, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** The one user the shipped mapping of {@code role} names. */
  private static String mappedUser(String role) {
    return single(mapping(role).path("users"), role + " mapping's users");
  }

  private static String mappedBackendRole(String role) {
    return single(mapping(role).path("backend_roles"), role + " mapping's backend_roles");
  }

  private static JsonNode mapping(String role) {
    Path file = directory().resolve("rolesmapping/" + role + ".json");
    try {
      return JSON.readTree(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static String single(JsonNode array, String what) {
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asText()));
    if (values.size() != 1) {
      throw new IllegalStateException(what + " should name exactly one, not " + values);
    }
    return values.get(0);
  }
}

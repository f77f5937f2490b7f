package dev.vigil.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * The demo's alert destination: an HTTP endpoint on loopback that the demo's Webhook
 * NotificationChannel points at; it prints every delivery it receives and answers 200.
 */
final class WebhookReceiver implements AutoCloseable {
  private static final int SHOWN = 200;
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpServer server;
  private final List<String> deliveries = new CopyOnWriteArrayList<>();

  private WebhookReceiver(HttpServer server) {
    this.server = server;
  }

  static WebhookReceiver start(Console console) {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      WebhookReceiver receiver = new WebhookReceiver(server);
      server.createContext(
          "/alerts",
          exchange -> {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
              body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            receiver.deliveries.add(body);
            console.event(
                "webhook delivery #%d (%s, %d bytes): %s",
                receiver.deliveries.size(),
                exchange.getRequestHeaders().getFirst("Content-Type"),
                body.length(),
                describe(body));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
          });
      server.start();
      return receiver;
    } catch (IOException e) {
      throw new DemoException("cannot serve the demo webhook on loopback: " + e.getMessage(), e);
    }
  }

  /** The alert a delivery carries (rule, severity, state), else the start of the body. */
  static String describe(String body) {
    Optional<JsonNode> alert = alert(body);
    if (alert.isPresent()) {
      return "alert from rule "
          + alert.get().path("rule").path("name").asText()
          + ", severity "
          + alert.get().path("severity").asText("-")
          + ", state "
          + alert.get().path("state").asText("-");
    }
    String shown = body.replaceAll("\\s+", " ");
    return shown.length() > SHOWN ? shown.substring(0, SHOWN) + "…" : shown;
  }

  /** The name of the rule whose alert a delivery carries. */
  static Optional<String> ruleOf(String body) {
    return alert(body).map(a -> a.path("rule").path("name").asText());
  }

  private static Optional<JsonNode> alert(String body) {
    try {
      JsonNode alert = JSON.readTree(body).path("alert");
      return alert.path("rule").has("name") ? Optional.of(alert) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty(); // not JSON: shown as it came
    }
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/alerts");
  }

  int deliveries() {
    return deliveries.size();
  }

  /** The rules whose alerts were delivered here. */
  Set<String> deliveredRules() {
    return deliveries.stream()
        .map(WebhookReceiver::ruleOf)
        .flatMap(Optional::stream)
        .collect(Collectors.toSet());
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

package dev.vigil.ingester.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * OpenSearch behind a loopback proxy that throttles like an overloaded cluster: every fourth {@code
 * _bulk} request is refused whole with 429, and in the others about a third of the items are not
 * indexed and answered {@code 429 es_rejected_execution_exception} — only the rest reach
 * OpenSearch. Everything else passes through.
 */
public final class ThrottlingProxy implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI upstream;
  private final HttpServer server;
  private final HttpClient http = HttpClient.newHttpClient();
  private final SplittableRandom random = new SplittableRandom(42);
  private final AtomicInteger bulkRequests = new AtomicInteger();
  public final AtomicInteger throttledRequests = new AtomicInteger();
  public final AtomicInteger throttledItems = new AtomicInteger();

  public ThrottlingProxy(URI upstream) throws IOException {
    this.upstream = upstream;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.createContext("/", this::handle);
    server.start();
  }

  public URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      URI target = upstream.resolve(exchange.getRequestURI().toString());
      if ("POST".equals(exchange.getRequestMethod())
          && exchange.getRequestURI().getPath().endsWith("/_bulk")) {
        bulk(exchange, target, body);
      } else {
        HttpResponse<byte[]> response =
            forward(exchange.getRequestMethod(), target, body, exchange);
        reply(exchange, response.statusCode(), response.body());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void bulk(HttpExchange exchange, URI target, byte[] body)
      throws IOException, InterruptedException {
    if (bulkRequests.incrementAndGet() % 4 == 1) {
      throttledRequests.incrementAndGet();
      reply(
          exchange,
          429,
          ("{\"error\":{\"type\":\"es_rejected_execution_exception\",\"reason\":\"rejected"
                  + " execution of coordinating operation\"},\"status\":429}")
              .getBytes(StandardCharsets.UTF_8));
      return;
    }
    String[] lines = new String(body, StandardCharsets.UTF_8).split("\n");
    int items = lines.length / 2;
    boolean[] rejected = new boolean[items];
    ByteArrayOutputStream kept = new ByteArrayOutputStream();
    synchronized (random) {
      for (int i = 0; i < items; i++) {
        rejected[i] = random.nextInt(3) == 0;
      }
    }
    for (int i = 0; i < items; i++) {
      if (!rejected[i]) {
        kept.writeBytes(
            (lines[2 * i] + "\n" + lines[2 * i + 1] + "\n").getBytes(StandardCharsets.UTF_8));
      }
    }
    List<JsonNode> upstreamItems = new ArrayList<>();
    boolean errors = false;
    if (kept.size() > 0) {
      HttpResponse<byte[]> response = forward("POST", target, kept.toByteArray(), exchange);
      if (response.statusCode() != 200) {
        reply(exchange, response.statusCode(), response.body());
        return;
      }
      JsonNode answer = JSON.readTree(response.body());
      errors = answer.path("errors").asBoolean();
      answer.path("items").forEach(upstreamItems::add);
    }
    ObjectNode merged = JSON.createObjectNode();
    ArrayNode out = JSON.createArrayNode();
    int next = 0;
    for (int i = 0; i < items; i++) {
      if (rejected[i]) {
        throttledItems.incrementAndGet();
        ObjectNode item = out.addObject().putObject("index");
        item.put("status", 429);
        item.putObject("error")
            .put("type", "es_rejected_execution_exception")
            .put("reason", "rejected execution of primary operation");
        errors = true;
      } else {
        out.add(upstreamItems.get(next++));
      }
    }
    merged.put("errors", errors);
    merged.set("items", out);
    reply(exchange, 200, JSON.writeValueAsBytes(merged));
  }

  private HttpResponse<byte[]> forward(
      String method, URI target, byte[] body, HttpExchange exchange)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(target)
            .timeout(Duration.ofSeconds(60))
            .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
    String type = exchange.getRequestHeaders().getFirst("Content-Type");
    if (type != null) {
      request.header("Content-Type", type);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static void reply(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

package dev.vigil.ingester.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.function.BiPredicate;

/**
 * The AWS emulator behind a loopback HTTP proxy that holds chosen requests for a while before
 * passing them on — a slow network path or a slow service — and passes everything else at once,
 * headers and bodies as they are.
 */
public final class SlowAwsProxy implements AutoCloseable {
  private static final Set<String> NOT_FORWARDED =
      Set.of("connection", "content-length", "expect", "host", "upgrade", "transfer-encoding");

  private final URI upstream;
  private final HttpServer server;
  private final HttpClient http = HttpClient.newHttpClient();
  private final Map<BiPredicate<HttpExchange, byte[]>, Duration> delays;

  /**
   * @param delays how long requests matching each predicate (of the exchange and its body) wait
   */
  public SlowAwsProxy(URI upstream, Map<BiPredicate<HttpExchange, byte[]>, Duration> delays)
      throws IOException {
    this.upstream = upstream;
    this.delays = Map.copyOf(delays);
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/", this::handle);
    server.start();
  }

  /** An SQS call of the JSON protocol ({@code X-Amz-Target: AmazonSQS.<operation>}) or query. */
  public static BiPredicate<HttpExchange, byte[]> sqs(String operation) {
    return (exchange, body) -> {
      String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
      return target != null
          ? target.equals("AmazonSQS." + operation)
          : new String(body, StandardCharsets.UTF_8).contains("Action=" + operation + "&");
    };
  }

  /** A path-style S3 GET of an object of {@code bucket}. */
  public static BiPredicate<HttpExchange, byte[]> s3Get(String bucket) {
    return (exchange, body) ->
        exchange.getRequestMethod().equals("GET")
            && exchange.getRequestURI().getPath().startsWith("/" + bucket + "/");
  }

  public URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      for (Map.Entry<BiPredicate<HttpExchange, byte[]>, Duration> delay : delays.entrySet()) {
        if (delay.getKey().test(exchange, body)) {
          Thread.sleep(delay.getValue().toMillis()); // the injected slowness itself
        }
      }
      HttpRequest.Builder request =
          HttpRequest.newBuilder(upstream.resolve(exchange.getRequestURI().toString()))
              .timeout(Duration.ofSeconds(60))
              .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
      exchange
          .getRequestHeaders()
          .forEach(
              (name, values) -> {
                if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                  values.forEach(v -> request.header(name, v));
                }
              });
      HttpResponse<byte[]> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      response
          .headers()
          .map()
          .forEach(
              (name, values) -> {
                if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))
                    && !name.startsWith(":")) {
                  exchange.getResponseHeaders().put(name, List.copyOf(values));
                }
              });
      byte[] answer = response.body();
      boolean head = exchange.getRequestMethod().equals("HEAD");
      exchange.sendResponseHeaders(
          response.statusCode(), head || answer.length == 0 ? -1 : answer.length);
      if (!head && answer.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(answer);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

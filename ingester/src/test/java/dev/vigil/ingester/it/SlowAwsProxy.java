package dev.vigil.ingester.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.testing.Forwarder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.BiPredicate;

/**
 * The AWS emulator behind a loopback HTTP proxy that holds chosen requests for a while before
 * passing them on — a slow network path or a slow service — and passes everything else at once,
 * headers and bodies as they are.
 */
public final class SlowAwsProxy implements AutoCloseable {
  private final Forwarder forwarder;
  private final HttpServer server;
  private final Map<BiPredicate<HttpExchange, byte[]>, Duration> delays;

  /**
   * @param delays how long requests matching each predicate (of the exchange and its body) wait
   */
  public SlowAwsProxy(URI upstream, Map<BiPredicate<HttpExchange, byte[]>, Duration> delays)
      throws IOException {
    this.forwarder = new Forwarder(upstream);
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
      forwarder.forward(exchange, body).sendTo(exchange);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

package dev.vigil.operator.logsource;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The AWS emulator behind a loopback proxy that places another writer's read-modify-write around
 * chosen bucket-notification writes: for each of the first {@code hooks} PUTs of {@code
 * ?notification} it runs {@code beforeWrite} (the other writer reads), forwards the PUT, runs
 * {@code afterWrite} (the other writer writes what it read, plus its own entry) and only then
 * answers. Notification requests pass one at a time, so nobody else's write falls between the other
 * writer's read and write. Everything else is forwarded as it is.
 */
final class InterleavingS3Proxy implements AutoCloseable {
  private final URI upstream;
  private final HttpServer server;
  private final HttpClient http = HttpClient.newHttpClient();
  private final Object notifications = new Object();
  private final AtomicInteger hooksLeft;
  private final AtomicInteger hooked = new AtomicInteger();
  private final Runnable beforeWrite;
  private final Runnable afterWrite;

  InterleavingS3Proxy(URI upstream, int hooks, Runnable beforeWrite, Runnable afterWrite)
      throws IOException {
    this.upstream = upstream;
    this.hooksLeft = new AtomicInteger(hooks);
    this.beforeWrite = beforeWrite;
    this.afterWrite = afterWrite;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/", this::handle);
    server.start();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** How many writes had another writer's update placed around them. */
  int hooked() {
    return hooked.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      String query = exchange.getRequestURI().getRawQuery();
      if (query == null
          || java.util.Arrays.stream(query.split("&"))
              .noneMatch(p -> p.equals("notification") || p.startsWith("notification="))) {
        forward(exchange, body);
        return;
      }
      synchronized (notifications) {
        boolean hook = exchange.getRequestMethod().equals("PUT") && hooksLeft.getAndDecrement() > 0;
        if (hook) {
          beforeWrite.run();
        }
        HttpResponse<byte[]> response = send(exchange, body);
        if (hook) {
          afterWrite.run();
          hooked.incrementAndGet();
        }
        answer(exchange, response);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void forward(HttpExchange exchange, byte[] body)
      throws IOException, InterruptedException {
    answer(exchange, send(exchange, body));
  }

  private HttpResponse<byte[]> send(HttpExchange exchange, byte[] body)
      throws IOException, InterruptedException {
    return EmulatorForwarding.send(http, upstream, exchange, body);
  }

  private static void answer(HttpExchange exchange, HttpResponse<byte[]> response)
      throws IOException {
    EmulatorForwarding.answer(exchange, response);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

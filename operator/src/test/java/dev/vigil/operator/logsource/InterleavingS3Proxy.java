package dev.vigil.operator.logsource;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.testing.Forwarder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
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
  private final Forwarder forwarder;
  private final HttpServer server;
  private final Object notifications = new Object();
  private final AtomicInteger hooksLeft;
  private final AtomicInteger hooked = new AtomicInteger();
  private final Runnable beforeWrite;
  private final Runnable afterWrite;

  InterleavingS3Proxy(URI upstream, int hooks, Runnable beforeWrite, Runnable afterWrite)
      throws IOException {
    this.forwarder = new Forwarder(upstream);
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
        Forwarder.Answer answer = forwarder.forward(exchange, body);
        if (hook) {
          afterWrite.run();
          hooked.incrementAndGet();
        }
        answer.sendTo(exchange);
      }
    }
  }

  private void forward(HttpExchange exchange, byte[] body) throws IOException {
    forwarder.forward(exchange, body).sendTo(exchange);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

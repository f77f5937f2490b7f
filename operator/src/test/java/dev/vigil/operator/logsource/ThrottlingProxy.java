package dev.vigil.operator.logsource;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.testing.Forwarder;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The AWS emulator behind a loopback proxy that answers a share of the control-plane calls (JSON
 * protocol: CloudWatch Logs, Firehose, EventBridge, Organizations; query protocol: STS) with AWS's
 * throttling error instead of forwarding them, as a busy AWS does. The answers follow the AWS
 * documentation of each service's errors:
 *
 * <ul>
 *   <li>JSON 1.1 services answer HTTP 400 with {@code {"__type": "ThrottlingException"}}
 *       (CloudWatch Logs API reference, "Common Errors": ThrottlingException, 400); Organizations
 *       with {@code TooManyRequestsException} (Organizations API reference, ListAccounts errors);
 *   <li>STS answers HTTP 400 with the query protocol's {@code <ErrorResponse>} and code {@code
 *       Throttling} (AWS STS API reference, "Common Errors": ThrottlingException, "Throttling").
 * </ul>
 *
 * Everything else (S3, the emulator's own API) passes through. The share is drawn from a seeded
 * random generator, so a run throttles the same calls in the same order.
 */
final class ThrottlingProxy implements AutoCloseable {
  private static final String ORGANIZATIONS_TARGET = "AWSOrganizationsV20161128.";

  private final Forwarder forwarder;
  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final Random random = new Random(20);
  private final Map<String, AtomicLong> throttled = new ConcurrentHashMap<>();
  private volatile double share;

  ThrottlingProxy(URI upstream) throws IOException {
    this.forwarder = new Forwarder(upstream);
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(threads);
    server.createContext("/", this::handle);
    server.start();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** From now on, this share (0 to 1) of control-plane calls is answered with throttling. */
  void throttle(double share) {
    this.share = share;
  }

  /** Calls answered with throttling so far, by the call's name ({@code X-Amz-Target} or Action). */
  Map<String, Long> throttled() {
    Map<String, Long> out = new java.util.TreeMap<>();
    throttled.forEach((call, n) -> out.put(call, n.get()));
    return out;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
      String action = target == null ? queryAction(body) : null;
      if ((target != null || action != null) && draw()) {
        String call = target != null ? target : "sts." + action;
        throttled.computeIfAbsent(call, c -> new AtomicLong()).incrementAndGet();
        if (target != null) {
          String code =
              target.startsWith(ORGANIZATIONS_TARGET)
                  ? "TooManyRequestsException"
                  : "ThrottlingException";
          answer(
              exchange,
              "application/x-amz-json-1.1",
              "{\"__type\":\"" + code + "\",\"message\":\"Rate exceeded\"}");
        } else {
          answer(
              exchange,
              "text/xml",
              "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error>"
                  + "<Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message>"
                  + "</Error><RequestId>00000000-0000-0000-0000-000000000000</RequestId>"
                  + "</ErrorResponse>");
        }
        return;
      }
      forwarder.forward(exchange, body).sendTo(exchange);
    }
  }

  private boolean draw() {
    double s = share;
    if (s <= 0) {
      return false;
    }
    synchronized (random) {
      return random.nextDouble() < s;
    }
  }

  /** The Action of a query-protocol (STS) request, or null. */
  private static String queryAction(byte[] body) {
    String form = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8);
    if (!form.startsWith("Action=")) {
      return null;
    }
    int end = form.indexOf('&');
    return form.substring("Action=".length(), end < 0 ? form.length() : end);
  }

  private static void answer(HttpExchange exchange, String contentType, String error)
      throws IOException {
    byte[] bytes = error.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", contentType);
    exchange.sendResponseHeaders(400, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}

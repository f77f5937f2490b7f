package dev.vigil.testing;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadFactory;
import javax.net.ssl.SSLContext;

/**
 * Sends a request received by a loopback {@code HttpServer} on to the real part behind it, and its
 * answer back: the one forwarding loop of every test proxy (SigV4 verifier, STS witness, and the
 * slow, throttling and interleaving proxies in front of the AWS emulator).
 */
public final class Forwarder {
  /** Hop-by-hop headers, and those the JDK client sets itself and refuses from callers. */
  private static final Set<String> NOT_FORWARDED =
      Set.of(
          "host",
          "content-length",
          "connection",
          "expect",
          "upgrade",
          "transfer-encoding",
          "keep-alive",
          "te",
          "trailer",
          "proxy-connection");

  /** What the part answered. */
  public record Answer(int status, Map<String, List<String>> headers, byte[] body) {
    /** Answers the exchange with this: status, headers and body (none for HEAD or an empty one). */
    public void sendTo(HttpExchange exchange) throws IOException {
      headers.forEach(
          (name, values) -> {
            if (!name.startsWith(":") && !NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
              exchange.getResponseHeaders().put(name, values);
            }
          });
      boolean empty = body.length == 0 || "HEAD".equals(exchange.getRequestMethod());
      exchange.sendResponseHeaders(status, empty ? -1 : body.length);
      if (!empty) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    }
  }

  private final URI upstream;
  private final HttpClient http;

  /** Forwards to a plain-HTTP part. */
  public Forwarder(URI upstream) {
    this(upstream, null);
  }

  Forwarder(URI upstream, SSLContext tls) {
    this.upstream = upstream;
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10));
    if (tls != null) {
      builder.sslContext(tls);
    }
    this.http = builder.build();
  }

  /** Sends the exchange's request (with its already-read body) to the part. */
  public Answer forward(HttpExchange exchange, byte[] body) throws IOException {
    URI received = exchange.getRequestURI();
    String target =
        received.getRawPath()
            + (received.getRawQuery() == null ? "" : "?" + received.getRawQuery());
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(upstream.toString().replaceAll("/$", "") + target))
            .timeout(Duration.ofMinutes(2))
            .method(
                exchange.getRequestMethod(),
                body.length == 0
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    exchange
        .getRequestHeaders()
        .forEach(
            (name, values) -> {
              if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> request.header(name, value));
              }
            });
    try {
      HttpResponse<byte[]> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new Answer(response.statusCode(), response.headers().map(), response.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted forwarding to " + upstream, e);
    }
  }

  static ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}

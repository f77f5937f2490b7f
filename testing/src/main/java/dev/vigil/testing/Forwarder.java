package dev.vigil.testing;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
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

/** Sends a request received by a loopback {@code HttpServer} on to the real part behind it. */
final class Forwarder {
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

  record Answer(int status, Map<String, List<String>> headers, byte[] body) {
    void copyHeadersTo(HttpExchange exchange) {
      headers.forEach(
          (name, values) -> {
            if (!name.startsWith(":") && !NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
              exchange.getResponseHeaders().put(name, values);
            }
          });
    }
  }

  private final URI upstream;
  private final HttpClient http;

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

  Answer forward(HttpExchange exchange, byte[] body) throws IOException {
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

package dev.vigil.operator.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.api.v1alpha1.NotificationChannelSpec.ChannelType;
import dev.vigil.api.v1alpha1.NotificationChannelSpec.SmtpSecurity;
import dev.vigil.core.alerts.Alert;
import dev.vigil.core.alerts.AlertState;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.Test;

/**
 * The senders against loopback receivers that follow the destinations' published contracts: Slack
 * and Teams incoming webhooks take {@code {"text"}}, Amazon Chime {@code {"Content"}}, a custom
 * webhook the alert document; SMTP per RFC 5321 with AUTH PLAIN (RFC 4616).
 */
class ChannelSendersContractIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void chatWebhooksGetTheirOwnPayloadShapesAndCustomHeaders() throws Exception {
    Map<String, JsonNode> bodies = new ConcurrentHashMap<>();
    Map<String, String> headers = new ConcurrentHashMap<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          bodies.put(exchange.getRequestURI().getPath(), JSON.readTree(exchange.getRequestBody()));
          headers.put(
              exchange.getRequestURI().getPath(),
              exchange.getRequestHeaders().getFirst("Content-Type")
                  + "|"
                  + exchange.getRequestHeaders().getFirst("X-Team"));
          int status = exchange.getRequestURI().getPath().equals("/gone") ? 404 : 200;
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    server.start();
    try {
      WebhookSender sender = new WebhookSender(Duration.ofSeconds(5));
      String base = "http://127.0.0.1:" + server.getAddress().getPort();
      Alert alert = alert();
      sender.send(webhook(ChannelType.Slack, base + "/slack", Map.of()), alert);
      sender.send(webhook(ChannelType.Teams, base + "/teams", Map.of()), alert);
      sender.send(webhook(ChannelType.Chime, base + "/chime", Map.of()), alert);
      sender.send(webhook(ChannelType.Webhook, base + "/custom", Map.of("X-Team", "soc")), alert);

      assertThat(bodies.get("/slack").fieldNames()).toIterable().containsExactly("text");
      assertThat(bodies.get("/slack").path("text").asText())
          .startsWith("[Vigil] severity 1 alert: trail-stopped\nmallory stopped the trail");
      assertThat(bodies.get("/teams").fieldNames()).toIterable().containsExactly("text");
      assertThat(bodies.get("/chime").fieldNames()).toIterable().containsExactly("Content");
      assertThat(bodies.get("/custom").path("alert").path("id").asText()).isEqualTo("a1");
      assertThat(bodies.get("/custom").path("alert").path("state").asText()).isEqualTo("ACTIVE");
      assertThat(headers.get("/custom")).isEqualTo("application/json|soc");

      assertThatThrownBy(
              () -> sender.send(webhook(ChannelType.Slack, base + "/gone", Map.of()), alert))
          .isInstanceOfSatisfying(
              DeliveryException.class,
              e -> {
                assertThat(e.retryable()).as("404 stays 404").isFalse();
                assertThat(e.getMessage()).contains("HTTP 404").doesNotContain("127.0.0.1");
              });
    } finally {
      server.stop(0);
    }
  }

  @Test
  void emailGoesThroughTheSmtpConversationWithAuthPlain() throws Exception {
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<List<String>> conversation =
          CompletableFuture.supplyAsync(() -> smtpServer(listener, "vigil", "s3cret"));
      SmtpSender sender =
          new SmtpSender(Duration.ofSeconds(5), (SSLSocketFactory) SSLSocketFactory.getDefault());
      ResolvedChannel target =
          new ResolvedChannel(
              "ns",
              "mail",
              ChannelType.Email,
              Set.of(),
              null,
              Map.of(),
              null,
              null,
              new ResolvedChannel.Smtp(
                  "127.0.0.1",
                  listener.getLocalPort(),
                  SmtpSecurity.None,
                  "vigil",
                  "s3cret",
                  "vigil@example.com",
                  List.of("soc@example.com", "oncall@example.com")));

      sender.send(target, alert());

      List<String> lines = conversation.get(10, TimeUnit.SECONDS);
      assertThat(lines)
          .containsSubsequence(
              "EHLO vigil",
              "AUTH PLAIN "
                  + Base64.getEncoder()
                      .encodeToString("\0vigil\0s3cret".getBytes(StandardCharsets.UTF_8)),
              "MAIL FROM:<vigil@example.com>",
              "RCPT TO:<soc@example.com>",
              "RCPT TO:<oncall@example.com>",
              "DATA",
              "Subject: [Vigil] severity 1 alert: trail-stopped",
              "mallory stopped the trail",
              ".",
              "QUIT");
    }
  }

  @Test
  void aRejectedRecipientIsAPermanentFailure() throws Exception {
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture.runAsync(() -> smtpServer(listener, null, null));
      SmtpSender sender =
          new SmtpSender(Duration.ofSeconds(5), (SSLSocketFactory) SSLSocketFactory.getDefault());
      ResolvedChannel target =
          new ResolvedChannel(
              "ns",
              "mail",
              ChannelType.Email,
              Set.of(),
              null,
              Map.of(),
              null,
              null,
              new ResolvedChannel.Smtp(
                  "127.0.0.1",
                  listener.getLocalPort(),
                  SmtpSecurity.None,
                  null,
                  null,
                  "vigil@example.com",
                  List.of("nobody@invalid")));
      assertThatThrownBy(() -> sender.send(target, alert()))
          .isInstanceOfSatisfying(
              DeliveryException.class,
              e -> {
                assertThat(e.retryable()).isFalse();
                assertThat(e.getMessage()).contains("550");
              });
    }
  }

  /**
   * A strict SMTP receiver: greets, answers EHLO, checks AUTH PLAIN when credentials are expected
   * (535 otherwise), refuses recipients @invalid with 550, and returns every line it read.
   */
  private static List<String> smtpServer(ServerSocket listener, String user, String password) {
    List<String> lines = new ArrayList<>();
    try (Socket socket = listener.accept()) {
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      OutputStream out = socket.getOutputStream();
      reply(out, "220 loopback ESMTP");
      boolean data = false;
      boolean authenticated = user == null;
      String line;
      while ((line = in.readLine()) != null) {
        lines.add(line);
        if (data) {
          if (line.equals(".")) {
            data = false;
            reply(out, "250 queued");
          }
          continue;
        }
        if (line.startsWith("EHLO ")) {
          reply(out, "250-loopback\r\n250 AUTH PLAIN");
        } else if (line.startsWith("AUTH PLAIN ")) {
          String expected =
              Base64.getEncoder()
                  .encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
          authenticated = line.substring(11).equals(expected);
          reply(out, authenticated ? "235 ok" : "535 bad credentials");
        } else if (line.startsWith("MAIL FROM:<")) {
          reply(out, authenticated ? "250 ok" : "530 authentication required");
        } else if (line.startsWith("RCPT TO:<")) {
          reply(out, line.contains("@invalid") ? "550 no such user" : "250 ok");
        } else if (line.equals("DATA")) {
          data = true;
          reply(out, "354 go ahead");
        } else if (line.equals("QUIT")) {
          reply(out, "221 bye");
          break;
        } else {
          reply(out, "500 unexpected " + line);
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return lines;
  }

  private static void reply(OutputStream out, String text) throws java.io.IOException {
    out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  private static ResolvedChannel webhook(
      ChannelType type, String url, Map<String, String> headers) {
    return new ResolvedChannel("ns", "c", type, Set.of(), url, headers, null, null, null);
  }

  private static Alert alert() {
    Alert alert = new Alert();
    alert.id = "a1";
    alert.rule.namespace = "ns";
    alert.rule.name = "trail-stopped";
    alert.severity = 1;
    alert.state = AlertState.ACTIVE;
    alert.trigger = "any match in 5m";
    alert.startTime = "2026-11-27T10:00:00Z";
    alert.count = 1;
    alert.message = "mallory stopped the trail";
    return alert;
  }
}

package dev.vigil.operator.notify;

import dev.vigil.core.alerts.Alert;
import dev.vigil.core.alerts.NotificationPayloads;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * POSTs to Slack, Chime, Teams or a custom webhook. 2xx is delivered; 429 and 5xx are retryable;
 * other answers are not (a wrong URL stays wrong). Error messages never include the URL (it holds
 * the token).
 */
public final class WebhookSender implements ChannelSender {
  private final HttpClient http;
  private final Duration timeout;

  public WebhookSender(Duration timeout) {
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  @Override
  public void send(ResolvedChannel target, Alert alert) throws DeliveryException {
    String body =
        switch (target.type()) {
          case Slack -> NotificationPayloads.slack(alert);
          case Chime -> NotificationPayloads.chime(alert);
          case Teams -> NotificationPayloads.teams(alert);
          default -> NotificationPayloads.webhook(alert);
        };
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(target.url()))
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    target.headers().forEach(request::setHeader);
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new DeliveryException(
          target.type() + " webhook unreachable: " + e.getClass().getSimpleName(), true, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DeliveryException("interrupted", false, e);
    }
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return;
    }
    throw new DeliveryException(
        target.type() + " webhook answered HTTP " + status, status == 429 || status >= 500, null);
  }
}

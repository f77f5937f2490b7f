package dev.vigil.operator.notify;

import dev.vigil.api.v1alpha1.NotificationChannelSpec.ChannelType;
import dev.vigil.operator.OperatorConfig;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLSocketFactory;

/** Wires channel delivery: one registry, one sender per channel type, one delivery pool. */
public class NotifyBeans {
  private static final Duration SEND_TIMEOUT = Duration.ofSeconds(10);

  @Produces
  @Singleton
  ChannelRegistry registry() {
    return new ChannelRegistry();
  }

  @Produces
  @Singleton
  ChannelDelivery delivery(ChannelRegistry registry, OperatorConfig config, MeterRegistry metrics) {
    WebhookSender webhook = new WebhookSender(SEND_TIMEOUT);
    Map<ChannelType, ChannelSender> senders =
        Map.of(
            ChannelType.Slack, webhook,
            ChannelType.Chime, webhook,
            ChannelType.Teams, webhook,
            ChannelType.Webhook, webhook,
            ChannelType.SNS,
                new SnsSender(
                    config.aws().endpointOverride().map(java.net.URI::create),
                    dev.vigil.operator.common.AwsCallLimits.of(config.aws())),
            ChannelType.Email,
                new SmtpSender(SEND_TIMEOUT, (SSLSocketFactory) SSLSocketFactory.getDefault()));
    return new ChannelDelivery(
        registry,
        senders,
        config.deliveryAttempts(),
        config.deliveryRetryDelay(),
        config.retryMaxDelay(),
        metrics,
        Clock.systemUTC());
  }

  void close(@Disposes ChannelDelivery delivery) {
    delivery.close();
  }
}

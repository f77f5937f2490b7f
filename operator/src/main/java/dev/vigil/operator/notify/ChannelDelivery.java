package dev.vigil.operator.notify;

import dev.vigil.api.v1alpha1.NotificationChannelSpec.ChannelType;
import dev.vigil.core.alerts.Alert;
import dev.vigil.core.retry.Backoff;
import dev.vigil.operator.detection.AlertNotifier;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Delivers alerts to the channels a rule names, asynchronously: each channel's attempts run as
 * their own tasks, a retryable failure (5xx, 429, I/O) is tried again after a doubling delay, and
 * the caller — the engine's run — never waits. So a slow or failing channel delays only itself.
 * Outcomes go to the {@link ChannelRegistry} (for the channel's status) and to {@code
 * vigil_notifications_total{type, outcome}}.
 */
public final class ChannelDelivery implements AlertNotifier, AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ChannelDelivery.class);

  private final ChannelRegistry registry;
  private final Map<ChannelType, ChannelSender> senders;
  private final int attempts;
  private final Backoff retries;
  private final MeterRegistry metrics;
  private final Clock clock;
  private final ScheduledExecutorService executor;
  private volatile Consumer<String> onResult = key -> {};

  public ChannelDelivery(
      ChannelRegistry registry,
      Map<ChannelType, ChannelSender> senders,
      int attempts,
      Duration firstDelay,
      Duration maxDelay,
      MeterRegistry metrics,
      Clock clock) {
    this.registry = registry;
    this.senders = senders;
    this.attempts = Math.max(1, attempts);
    this.retries = new Backoff(firstDelay, maxDelay, Backoff.Jitter.NONE);
    this.metrics = metrics;
    this.clock = clock;
    this.executor =
        Executors.newScheduledThreadPool(
            4,
            r -> {
              Thread t = new Thread(r, "vigil-notify");
              t.setDaemon(true);
              return t;
            });
  }

  /** Told the channel key after each final outcome (delivered or given up). */
  public void onResult(Consumer<String> listener) {
    this.onResult = listener;
  }

  @Override
  public void notify(String namespace, List<String> channels, Alert alert) {
    for (String name : channels) {
      String key = namespace + "/" + name;
      var target = registry.get(key);
      if (target.isEmpty()) {
        LOG.warnf(
            "DetectionRule %s/%s names channel %s, which is missing or not Ready: alert %s not sent"
                + " there",
            namespace, alert.rule.name, name, alert.id);
        count("unknown", "channel_not_ready");
        continue;
      }
      if (!target.get().receives(alert.severity)) {
        count(target.get().type().name(), "filtered");
        continue;
      }
      executor.execute(() -> attempt(target.get(), alert, 1));
    }
  }

  private void attempt(ResolvedChannel target, Alert alert, int attempt) {
    ChannelSender sender = senders.get(target.type());
    try {
      if (sender == null) {
        throw new DeliveryException("no sender for type " + target.type(), false, null);
      }
      sender.send(target, alert);
      registry.delivered(target.key(), clock.instant());
      count(target.type().name(), "delivered");
      LOG.infof("NotificationChannel %s: delivered alert %s", target.key(), alert.id);
      onResult.accept(target.key());
    } catch (DeliveryException e) {
      if (e.retryable() && attempt < attempts) {
        count(target.type().name(), "retried");
        long delay = retries.delay(attempt - 1).toMillis();
        executor.schedule(() -> attempt(target, alert, attempt + 1), delay, TimeUnit.MILLISECONDS);
        return;
      }
      registry.failed(target.key(), e.getMessage());
      count(target.type().name(), "failed");
      LOG.warnf(
          "NotificationChannel %s: alert %s not delivered after %d attempt(s): %s",
          target.key(), alert.id, attempt, e.getMessage());
      onResult.accept(target.key());
    } catch (RuntimeException e) {
      registry.failed(target.key(), e.toString());
      count(target.type().name(), "failed");
      LOG.errorf(e, "NotificationChannel %s: alert %s not delivered", target.key(), alert.id);
      onResult.accept(target.key());
    }
  }

  private void count(String type, String outcome) {
    metrics.counter("vigil_notifications_total", "type", type, "outcome", outcome).increment();
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}

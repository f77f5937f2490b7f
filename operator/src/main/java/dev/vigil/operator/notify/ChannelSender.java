package dev.vigil.operator.notify;

import dev.vigil.core.alerts.Alert;

/** Sends one alert to one kind of destination; one attempt, no retries (the caller retries). */
@FunctionalInterface
public interface ChannelSender {
  void send(ResolvedChannel target, Alert alert) throws DeliveryException;
}

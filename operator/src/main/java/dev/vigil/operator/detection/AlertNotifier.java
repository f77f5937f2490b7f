package dev.vigil.operator.detection;

import dev.vigil.core.alerts.Alert;
import java.util.List;

/** Tells a rule's channels about a new alert. Must return at once (delivery is asynchronous). */
@FunctionalInterface
public interface AlertNotifier {
  AlertNotifier NONE = (namespace, channels, alert) -> {};

  void notify(String namespace, List<String> channels, Alert alert);
}

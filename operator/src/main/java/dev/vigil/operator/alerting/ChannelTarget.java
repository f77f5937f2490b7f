package dev.vigil.operator.alerting;

import java.util.Set;

/**
 * A NotificationChannel as a monitor action sees it: the Notifications config id it was synced to
 * and the severities it receives (empty: all).
 */
public record ChannelTarget(String channel, String configId, Set<Integer> severities) {
  public ChannelTarget {
    severities = severities == null ? Set.of() : Set.copyOf(severities);
  }

  public boolean receives(int severity) {
    return severities.isEmpty() || severities.contains(severity);
  }
}

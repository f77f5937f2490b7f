package dev.vigil.core.alerts;

import java.util.Set;

/**
 * A NotificationChannel as a monitor action sees it: the Notifications config id it was synced to
 * ({@link VigilMarker#channelConfigId}) and the severities it receives (empty: all).
 */
public record MonitorDestination(String channel, String configId, Set<Integer> severities) {
  public MonitorDestination {
    severities = severities == null ? Set.of() : Set.copyOf(severities);
  }

  public boolean receives(int severity) {
    return severities.isEmpty() || severities.contains(severity);
  }
}

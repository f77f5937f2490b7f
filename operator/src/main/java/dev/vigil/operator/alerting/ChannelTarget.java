package dev.vigil.operator.alerting;

import dev.vigil.api.v1alpha1.NotificationChannel;
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

  /** The target a NotificationChannel resource becomes (its synced config id, its severities). */
  public static ChannelTarget of(NotificationChannel channel) {
    String namespace = channel.getMetadata().getNamespace();
    String name = channel.getMetadata().getName();
    return new ChannelTarget(
        name,
        VigilMarker.channelConfigId(namespace, name),
        channel.getSpec().severities == null ? Set.of() : Set.copyOf(channel.getSpec().severities));
  }
}

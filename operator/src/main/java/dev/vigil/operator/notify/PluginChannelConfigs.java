package dev.vigil.operator.notify;

import dev.vigil.api.v1alpha1.DeletionPolicy;
import dev.vigil.api.v1alpha1.NotificationChannel;
import dev.vigil.api.v1alpha1.OpenSearchConnection;
import dev.vigil.operator.alerting.NotificationChannelSync;
import dev.vigil.operator.common.InvalidSpecException;
import dev.vigil.operator.common.SecretValues;
import dev.vigil.operator.connection.EndpointResolver;
import dev.vigil.operator.opensearch.OpenSearchException;
import dev.vigil.operator.opensearch.OpenSearchRest;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The Notifications plugin configs of a NotificationChannel on a cluster that has the plugin: the
 * channel syncs them itself (so what the plugin refuses shows on the channel), rules on the
 * Alerting executor sync them too before their monitors point at them (see {@code
 * AlertingMonitorExecutor}), and a deleted channel's configs are removed. A connection that is
 * gone, unusable or without the plugin leaves nothing to do.
 */
final class PluginChannelConfigs {
  private final KubernetesClient client;
  private final EndpointResolver endpoints;
  private final SecretValues secrets;

  PluginChannelConfigs(KubernetesClient client) {
    this.client = client;
    this.endpoints = new EndpointResolver(client);
    this.secrets = new SecretValues(client);
  }

  /**
   * Syncs the channel's configs to the plugin.
   *
   * @return the sync's result, or null when the connection reports no Notifications plugin
   */
  NotificationChannelSync.Result sync(NotificationChannel channel)
      throws OpenSearchException, InvalidSpecException {
    OpenSearchConnection connection = withPlugin(channel);
    if (connection == null) {
      return null;
    }
    String namespace = channel.getMetadata().getNamespace();
    String name = channel.getMetadata().getName();
    return NotificationChannelSync.sync(
        new OpenSearchRest(endpoints.resolve(connection)),
        NotificationChannelSync.render(
            namespace,
            name,
            channel.getSpec(),
            ref -> secrets.value(namespace, ref.name, ref.key, "NotificationChannel " + name)));
  }

  private OpenSearchConnection withPlugin(NotificationChannel channel) {
    String connectionName =
        channel.getSpec().connectionRef == null ? "default" : channel.getSpec().connectionRef.name;
    OpenSearchConnection connection =
        client
            .resources(OpenSearchConnection.class)
            .inNamespace(channel.getMetadata().getNamespace())
            .withName(connectionName)
            .get();
    if (connection == null
        || connection.getStatus() == null
        || connection.getStatus().capabilities == null
        || !connection.getStatus().capabilities.notifications) {
      return null;
    }
    return connection;
  }

  void remove(NotificationChannel channel) throws OpenSearchException {
    String namespace = channel.getMetadata().getNamespace();
    OpenSearchConnection connection = withPlugin(channel);
    if (connection == null) {
      return;
    }
    try {
      NotificationChannelSync.delete(
          new OpenSearchRest(endpoints.resolve(connection)),
          namespace,
          channel.getMetadata().getName(),
          DeletionPolicy.Delete);
    } catch (InvalidSpecException e) {
      // The connection cannot be used as configured: nothing can be removed through it.
    }
  }
}

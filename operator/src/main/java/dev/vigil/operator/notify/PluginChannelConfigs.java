package dev.vigil.operator.notify;

import dev.vigil.api.v1alpha1.DeletionPolicy;
import dev.vigil.api.v1alpha1.NotificationChannel;
import dev.vigil.api.v1alpha1.OpenSearchConnection;
import dev.vigil.operator.alerting.NotificationChannelSync;
import dev.vigil.operator.common.InvalidSpecException;
import dev.vigil.operator.connection.EndpointResolver;
import dev.vigil.operator.opensearch.OpenSearchException;
import dev.vigil.operator.opensearch.OpenSearchRest;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The Notifications plugin configs of a NotificationChannel: rules on the Alerting executor sync
 * them (see {@code AlertingMonitorExecutor}); this removes Vigil's configs of a deleted channel
 * from a cluster that has the plugin. A connection that is gone or unusable leaves nothing to do.
 */
final class PluginChannelConfigs {
  private final KubernetesClient client;
  private final EndpointResolver endpoints;

  PluginChannelConfigs(KubernetesClient client) {
    this.client = client;
    this.endpoints = new EndpointResolver(client);
  }

  void remove(NotificationChannel channel) throws OpenSearchException {
    String namespace = channel.getMetadata().getNamespace();
    String connectionName =
        channel.getSpec().connectionRef == null ? "default" : channel.getSpec().connectionRef.name;
    OpenSearchConnection connection =
        client
            .resources(OpenSearchConnection.class)
            .inNamespace(namespace)
            .withName(connectionName)
            .get();
    if (connection == null
        || connection.getStatus() == null
        || connection.getStatus().capabilities == null
        || !connection.getStatus().capabilities.notifications) {
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

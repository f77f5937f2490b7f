package dev.vigil.operator.snapshot;

import dev.vigil.api.v1alpha1.OpenSearchConnection;
import dev.vigil.api.v1alpha1.OpenSearchConnectionStatus.Capabilities;
import dev.vigil.operator.common.Conditions;
import dev.vigil.operator.common.InvalidSpecException;
import dev.vigil.operator.connection.EndpointResolver;
import dev.vigil.operator.opensearch.OpenSearchRest;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The cluster a SnapshotPolicy works on: its OpenSearchConnection must exist and be Ready, so that
 * the capabilities used to pick the engine are current.
 */
final class ConnectionTargets {
  record Target(OpenSearchRest rest, Capabilities capabilities) {}

  /** The connection is missing or not Ready: wait for it, at the normal re-check pace. */
  static final class NotReady extends Exception {
    private final String reason;

    NotReady(String reason, String message) {
      super(message);
      this.reason = reason;
    }

    String reason() {
      return reason;
    }
  }

  private final KubernetesClient client;
  private final EndpointResolver endpoints;

  ConnectionTargets(KubernetesClient client) {
    this.client = client;
    this.endpoints = new EndpointResolver(client);
  }

  Target target(String namespace, String name) throws NotReady {
    OpenSearchConnection connection =
        client.resources(OpenSearchConnection.class).inNamespace(namespace).withName(name).get();
    if (connection == null) {
      throw new NotReady(
          "ConnectionNotFound",
          "spec.connectionRef: OpenSearchConnection " + namespace + "/" + name + " not found");
    }
    if (connection.getStatus() == null
        || !Conditions.isTrue(connection.getStatus().conditions, Conditions.READY)) {
      throw new NotReady(
          "ConnectionNotReady", "OpenSearchConnection " + namespace + "/" + name + " is not Ready");
    }
    try {
      Capabilities capabilities =
          connection.getStatus().capabilities == null
              ? new Capabilities()
              : connection.getStatus().capabilities;
      return new Target(new OpenSearchRest(endpoints.resolve(connection)), capabilities);
    } catch (InvalidSpecException e) {
      throw new NotReady(
          "ConnectionNotReady", "OpenSearchConnection " + name + ": " + e.getMessage());
    }
  }
}

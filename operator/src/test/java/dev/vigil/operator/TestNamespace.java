package dev.vigil.operator;

import dev.vigil.api.v1alpha1.OpenSearchConnection;
import dev.vigil.api.v1alpha1.OpenSearchConnectionSpec;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/** A test's own namespace on the real API server, usually with its connection named default. */
public final class TestNamespace {
  private TestNamespace() {}

  public static void create(KubernetesClient client, String namespace) {
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .serverSideApply();
  }

  /** The namespace, and in it the OpenSearchConnection {@code default} to this endpoint. */
  public static void withConnection(KubernetesClient client, String namespace, String endpoint) {
    create(client, namespace);
    connection(client, namespace, endpoint);
  }

  /** The OpenSearchConnection {@code default} of the namespace, to this endpoint. */
  public static void connection(KubernetesClient client, String namespace, String endpoint) {
    OpenSearchConnection connection = new OpenSearchConnection();
    connection.getMetadata().setName("default");
    connection.getMetadata().setNamespace(namespace);
    connection.setSpec(new OpenSearchConnectionSpec());
    connection.getSpec().endpoint = endpoint;
    client.resource(connection).create();
  }
}

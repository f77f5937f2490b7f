package dev.vigil.operator.common;

import dev.vigil.api.v1alpha1.OpenSearchConnection;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Watches the OpenSearchConnection each resource names: a connection that appears or changes wakes
 * every resource of its namespace that names it (found through an index on the primary cache).
 */
public final class ConnectionWatch {
  private static final String INDEX = "vigil-connection";

  private ConnectionWatch() {}

  public static <P extends HasMetadata> InformerEventSource<OpenSearchConnection, P> of(
      EventSourceContext<P> context, Class<P> type, Function<P, String> connectionName) {
    context
        .getPrimaryCache()
        .addIndexer(
            INDEX,
            resource ->
                List.of(
                    key(resource.getMetadata().getNamespace(), connectionName.apply(resource))));
    return new InformerEventSource<>(
        InformerEventSourceConfiguration.from(OpenSearchConnection.class, type)
            .withSecondaryToPrimaryMapper(
                connection ->
                    context
                        .getPrimaryCache()
                        .byIndex(
                            INDEX,
                            key(
                                connection.getMetadata().getNamespace(),
                                connection.getMetadata().getName()))
                        .stream()
                        .map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
            .withPrimaryToSecondaryMapper(
                (P resource) ->
                    Set.of(
                        new ResourceID(
                            connectionName.apply(resource), resource.getMetadata().getNamespace())))
            .build(),
        context);
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }
}

package dev.vigil.operator.monitoring;

import java.util.List;
import java.util.Optional;

/**
 * The namespaces of {@code quarkus.operator-sdk.namespaces} as a list to read from, empty for all:
 * what the operator itself lists must stay inside them, or a namespace-scoped install (Roles only,
 * no ClusterRole) is refused every cluster-wide list.
 */
final class WatchedNamespaces {
  /** The operator SDK's marker for "every namespace" (its default). */
  private static final String ALL = "JOSDK_ALL_NAMESPACES";

  private WatchedNamespaces() {}

  static List<String> of(Optional<List<String>> configured) {
    List<String> namespaces =
        configured.orElse(List.of()).stream().map(String::trim).filter(n -> !n.isEmpty()).toList();
    return namespaces.contains(ALL) ? List.of() : namespaces;
  }
}

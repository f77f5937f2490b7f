package dev.vigil.operator.monitoring;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The namespaces of {@code quarkus.operator-sdk.namespaces} as a list to read from, empty for all:
 * what the operator itself lists must stay inside them, or a namespace-scoped install (Roles only,
 * no ClusterRole) is refused every cluster-wide list.
 */
final class WatchedNamespaces {
  /**
   * Markers the operator SDKs put in the setting instead of names: every namespace (JOSDK's), and
   * the build-time setting (Quarkus' run-time default; Vigil sets none at build time, so: all).
   */
  private static final Set<String> ALL =
      Set.of("JOSDK_ALL_NAMESPACES", "QOSDK_USE_BUILDTIME_NAMESPACES");

  /** JOSDK's marker for the namespace the operator runs in. */
  private static final String CURRENT = "JOSDK_WATCH_CURRENT";

  private WatchedNamespaces() {}

  static List<String> of(Optional<List<String>> configured, String current) {
    List<String> namespaces =
        configured.orElse(List.of()).stream().map(String::trim).filter(n -> !n.isEmpty()).toList();
    if (namespaces.stream().anyMatch(ALL::contains)) {
      return List.of();
    }
    return namespaces.stream().map(n -> n.equals(CURRENT) ? current : n).distinct().toList();
  }
}

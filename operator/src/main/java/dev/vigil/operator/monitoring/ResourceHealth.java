package dev.vigil.operator.monitoring;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** What a Vigil resource's status says about its health, read without knowing its kind. */
record ResourceHealth(boolean ready, boolean synced, String clusterHealth) {

  @SuppressWarnings("unchecked")
  static ResourceHealth of(GenericKubernetesResource resource) {
    Object statusObject = resource.getAdditionalProperties().get("status");
    Map<String, Object> status =
        statusObject instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    boolean ready = false;
    if (status.get("conditions") instanceof List<?> conditions) {
      for (Object c : conditions) {
        if (c instanceof Map<?, ?> condition
            && "Ready".equals(condition.get("type"))
            && "True".equals(condition.get("status"))) {
          ready = true;
        }
      }
    }
    Object observed = status.get("observedGeneration");
    Long generation = resource.getMetadata().getGeneration();
    boolean synced =
        generation == null
            || (observed instanceof Number n && Objects.equals(n.longValue(), generation));
    Object health = status.get("clusterHealth");
    return new ResourceHealth(ready, synced, health == null ? null : health.toString());
  }

  /** The cluster's health as its status word, one of {@link #CLUSTER_STATUSES}. */
  String clusterStatus() {
    return clusterHealth != null && CLUSTER_STATUSES.contains(clusterHealth)
        ? clusterHealth
        : "unknown";
  }

  /** Every value of the {@code status} label of {@code vigil_opensearch_cluster_status}. */
  static final List<String> CLUSTER_STATUSES = List.of("green", "yellow", "red", "unknown");
}

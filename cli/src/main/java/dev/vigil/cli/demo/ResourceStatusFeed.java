package dev.vigil.cli.demo;

import dev.vigil.api.v1alpha1.Groups;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reports each Vigil resource's Ready condition as it changes (kind/name, reason, message). Reads
 * the resources generically, so it shows whatever the operator of this build does with every kind.
 */
final class ResourceStatusFeed {
  static final String API_VERSION = Groups.API_VERSION;
  static final List<String> KINDS = Groups.KINDS;

  /** The Ready condition of one resource; null fields when it has no status yet. */
  record Ready(String kind, String name, String status, String reason, String message) {
    boolean isTrue() {
      return "True".equals(status);
    }
  }

  private final KubernetesClient client;
  private final String namespace;
  private final Console console;
  private final Map<String, Ready> last = new LinkedHashMap<>();

  ResourceStatusFeed(KubernetesClient client, String namespace, Console console) {
    this.client = client;
    this.namespace = namespace;
    this.console = console;
  }

  void poll() {
    for (String kind : KINDS) {
      for (GenericKubernetesResource r : list(kind)) {
        Ready now = ready(kind, r);
        String key = kind + "/" + r.getMetadata().getName();
        Ready before = last.put(key, now);
        boolean changed =
            before == null
                || !java.util.Objects.equals(before.status(), now.status())
                || !java.util.Objects.equals(before.reason(), now.reason());
        if (changed && now.status() != null) {
          console.event(
              "%-9s %s/%s  %s: %s",
              now.isTrue() ? "Ready" : "not ready", kind, now.name(), now.reason(), now.message());
        }
      }
    }
  }

  /** Every resource seen, by kind/name. */
  Map<String, Ready> all() {
    return Map.copyOf(last);
  }

  List<GenericKubernetesResource> list(String kind) {
    return client
        .genericKubernetesResources(API_VERSION, kind)
        .inNamespace(namespace)
        .list()
        .getItems();
  }

  /** A condition of a generic resource's status, if it has one. */
  static Optional<Map<String, Object>> condition(GenericKubernetesResource r, String type) {
    Object status = r.getAdditionalProperties().get("status");
    if (!(status instanceof Map<?, ?> s) || !(s.get("conditions") instanceof List<?> list)) {
      return Optional.empty();
    }
    for (Object c : list) {
      if (c instanceof Map<?, ?> m && type.equals(m.get("type"))) {
        @SuppressWarnings("unchecked")
        Map<String, Object> found = (Map<String, Object>) m;
        return Optional.of(found);
      }
    }
    return Optional.empty();
  }

  private static Ready ready(String kind, GenericKubernetesResource r) {
    Optional<Map<String, Object>> c = condition(r, "Ready");
    return new Ready(
        kind,
        r.getMetadata().getName(),
        c.map(m -> (String) m.get("status")).orElse(null),
        c.map(m -> (String) m.get("reason")).orElse(null),
        c.map(m -> (String) m.get("message")).orElse(null));
  }
}

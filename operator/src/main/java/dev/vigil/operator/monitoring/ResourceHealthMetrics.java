package dev.vigil.operator.monitoring;

import dev.vigil.api.v1alpha1.Groups;
import dev.vigil.operator.OperatorConfig;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Health of every Vigil resource as Prometheus gauges, read from their statuses on an interval (the
 * same view {@code vigil status} prints), so alerts need no knowledge of each kind:
 *
 * <ul>
 *   <li>{@code vigil_resource_ready{kind,namespace,name}} — 1 when the Ready condition is True;
 *   <li>{@code vigil_resource_sync_lag_seconds{kind,namespace,name}} — how long the operator has
 *       not yet acted on the resource's latest spec ({@code observedGeneration} behind {@code
 *       generation}); 0 when in sync;
 *   <li>{@code vigil_opensearch_cluster_status{namespace,name,status}} — per OpenSearchConnection,
 *       one series per status (green, yellow, red, unknown): 1 for the cluster's current one, 0 for
 *       the others (a state set, as kube-state-metrics does, rather than states encoded as
 *       numbers).
 * </ul>
 */
@ApplicationScoped
public class ResourceHealthMetrics {
  private static final Logger LOG = Logger.getLogger(ResourceHealthMetrics.class);
  static final String API_VERSION = Groups.API_VERSION;
  static final List<String> KINDS = Groups.KINDS;

  private final KubernetesClient client;

  /** Namespaces whose resources the operator serves; empty for all. */
  private final List<String> watched;

  private final OperatorConfig config;
  private final Clock clock = Clock.systemUTC();
  private final MultiGauge ready;
  private final MultiGauge syncLag;
  private final MultiGauge clusterHealth;

  /** When each resource was first seen with an unobserved generation (uid|generation → millis). */
  private final Map<String, Long> behindSince = new ConcurrentHashMap<>();

  private ScheduledExecutorService executor;

  public ResourceHealthMetrics(
      KubernetesClient client,
      MeterRegistry registry,
      OperatorConfig config,
      @ConfigProperty(name = "quarkus.operator-sdk.namespaces") Optional<List<String>> namespaces) {
    this.client = client;
    this.watched = WatchedNamespaces.of(namespaces, client.getNamespace());
    this.config = config;
    this.ready =
        MultiGauge.builder("vigil_resource_ready")
            .description("1 when the Vigil resource's Ready condition is True")
            .register(registry);
    this.syncLag =
        MultiGauge.builder("vigil_resource_sync_lag_seconds")
            .description("Seconds the operator has not yet acted on the resource's latest spec")
            .register(registry);
    this.clusterHealth =
        MultiGauge.builder("vigil_opensearch_cluster_status")
            .description(
                "1 for the OpenSearch cluster health status (green, yellow, red, unknown) of each"
                    + " connection, 0 for the other statuses")
            .register(registry);
  }

  void start(@Observes StartupEvent event) {
    executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "vigil-resource-health-metrics");
              thread.setDaemon(true);
              return thread;
            });
    long interval = config.statusMetricsInterval().toMillis();
    executor.scheduleWithFixedDelay(this::refresh, 0, interval, TimeUnit.MILLISECONDS);
  }

  void stop(@Observes ShutdownEvent event) {
    if (executor != null) {
      executor.shutdownNow();
    }
  }

  /** Every resource of the kind the operator serves: in its watched namespaces only, if set. */
  private List<GenericKubernetesResource> list(String kind) {
    var resources = client.genericKubernetesResources(API_VERSION, kind);
    if (watched.isEmpty()) {
      return resources.inAnyNamespace().list().getItems();
    }
    List<GenericKubernetesResource> items = new ArrayList<>();
    for (String namespace : watched) {
      items.addAll(resources.inNamespace(namespace).list().getItems());
    }
    return items;
  }

  void refresh() {
    List<MultiGauge.Row<?>> readyRows = new ArrayList<>();
    List<MultiGauge.Row<?>> lagRows = new ArrayList<>();
    List<MultiGauge.Row<?>> healthRows = new ArrayList<>();
    Map<String, Long> seen = new ConcurrentHashMap<>();
    long now = clock.millis();
    for (String kind : KINDS) {
      List<GenericKubernetesResource> items;
      try {
        items = list(kind);
      } catch (RuntimeException e) {
        LOG.debugf("cannot list %s for metrics: %s", kind, e.getMessage());
        continue; // e.g. the CRD is not installed: the kind simply has no rows
      }
      for (GenericKubernetesResource item : items) {
        ResourceHealth health = ResourceHealth.of(item);
        Tags tags =
            Tags.of(
                "kind", kind,
                "namespace", item.getMetadata().getNamespace(),
                "name", item.getMetadata().getName());
        readyRows.add(MultiGauge.Row.of(tags, health.ready() ? 1 : 0));
        long lag = 0;
        if (!health.synced()) {
          String key = item.getMetadata().getUid() + "|" + item.getMetadata().getGeneration();
          long since = behindSince.getOrDefault(key, now);
          seen.put(key, since);
          lag = (now - since) / 1000;
        }
        lagRows.add(MultiGauge.Row.of(tags, lag));
        if (kind.equals("OpenSearchConnection")) {
          for (String status : ResourceHealth.CLUSTER_STATUSES) {
            healthRows.add(
                MultiGauge.Row.of(
                    Tags.of(
                        "namespace", item.getMetadata().getNamespace(),
                        "name", item.getMetadata().getName(),
                        "status", status),
                    status.equals(health.clusterStatus()) ? 1 : 0));
          }
        }
      }
    }
    behindSince.keySet().retainAll(seen.keySet());
    behindSince.putAll(seen);
    ready.register(readyRows, true);
    syncLag.register(lagRows, true);
    clusterHealth.register(healthRows, true);
  }
}

package dev.vigil.operator.logsource;

import dev.vigil.api.v1alpha1.LogSource;
import dev.vigil.api.v1alpha1.OpenSearchConnection;
import dev.vigil.operator.OperatorConfig;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.Map;
import java.util.Objects;

/**
 * Applies a LogSource's ingester ConfigMap and Deployment, writing only when the configuration or
 * the replica count changed (a steady LogSource costs the API server no writes).
 */
public final class IngesterDeployments {
  private final KubernetesClient client;
  private final OperatorConfig.Ingesters settings;

  public IngesterDeployments(KubernetesClient client, OperatorConfig.Ingesters settings) {
    this.client = client;
    this.settings = settings;
  }

  /** Replica counts as Kubernetes sees them. */
  public record Observed(int desired, int ready) {}

  /** The Deployment's current replica counts, or null when it does not exist yet. */
  public Observed observe(LogSource source) {
    Deployment current = get(source);
    if (current == null) {
      return null;
    }
    Integer ready = current.getStatus() == null ? null : current.getStatus().getReadyReplicas();
    return new Observed(current.getSpec().getReplicas(), ready == null ? 0 : ready);
  }

  public void apply(
      LogSource source,
      OpenSearchConnection connection,
      Map<String, String> properties,
      String streamRules,
      int replicas) {
    ensureServiceAccount(source.getMetadata().getNamespace());
    String name = LogSourceNames.of(source).ingester();
    ConfigMap config = IngesterWorkload.configMap(source, name, properties, streamRules);
    ConfigMap currentConfig =
        client.configMaps().inNamespace(source.getMetadata().getNamespace()).withName(name).get();
    if (currentConfig == null || !Objects.equals(currentConfig.getData(), config.getData())) {
      client.resource(config).forceConflicts().serverSideApply();
    }
    Deployment wanted =
        IngesterWorkload.deployment(
            source, connection, name, properties, streamRules, replicas, settings);
    Deployment current = get(source);
    if (current == null
        || !Objects.equals(current.getSpec().getReplicas(), replicas)
        || !Objects.equals(IngesterWorkload.hash(current), IngesterWorkload.hash(wanted))) {
      if (current != null && switchesToRecreate(current, wanted)) {
        // Server-side apply cannot make it Recreate while the rollingUpdate the API server
        // defaulted (owned by no manager) stays: the change from mode SQS to Scan drops it first.
        client
            .apps()
            .deployments()
            .inNamespace(source.getMetadata().getNamespace())
            .withName(name)
            .patch(
                PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"strategy\":{\"type\":\"Recreate\",\"rollingUpdate\":null}}}");
      }
      client.resource(wanted).forceConflicts().serverSideApply();
    }
  }

  private static boolean switchesToRecreate(Deployment current, Deployment wanted) {
    DeploymentStrategy now = current.getSpec().getStrategy();
    DeploymentStrategy next = wanted.getSpec().getStrategy();
    return next != null
        && "Recreate".equals(next.getType())
        && now != null
        && now.getRollingUpdate() != null;
  }

  /**
   * The ingesters' service account, created (unannotated) when the namespace has none so pods can
   * start; users annotate it for IRSA, and an existing one is never changed.
   */
  public void ensureServiceAccount(String namespace) {
    String name = settings.serviceAccount();
    if (client.serviceAccounts().inNamespace(namespace).withName(name).get() == null) {
      client
          .serviceAccounts()
          .inNamespace(namespace)
          .resource(
              new ServiceAccountBuilder()
                  .withNewMetadata()
                  .withName(name)
                  .withNamespace(namespace)
                  .addToLabels("app.kubernetes.io/managed-by", "vigil")
                  .endMetadata()
                  .build())
          .create();
    }
  }

  private Deployment get(LogSource source) {
    return client
        .apps()
        .deployments()
        .inNamespace(source.getMetadata().getNamespace())
        .withName(LogSourceNames.of(source).ingester())
        .get();
  }
}

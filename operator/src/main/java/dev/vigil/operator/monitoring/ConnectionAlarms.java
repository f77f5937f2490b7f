package dev.vigil.operator.monitoring;

import dev.vigil.api.v1alpha1.OpenSearchConnection;
import dev.vigil.api.v1alpha1.OpenSearchConnectionSpec.CloudWatchAlarms;
import dev.vigil.api.v1alpha1.OpenSearchConnectionStatus;
import dev.vigil.api.v1alpha1.OpenSearchConnectionStatus.ProvisionedAlarms;
import dev.vigil.operator.common.Conditions;
import dev.vigil.operator.common.KubeEvents;
import java.net.URI;
import java.util.Optional;
import org.jboss.logging.Logger;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * The {@code cloudWatchAlarms} part of an OpenSearchConnection: provisions the domain's recommended
 * alarms and reports them as the {@code AlarmsReady} condition (independent of {@code Ready}: the
 * cluster may be fine while CloudWatch refuses, and the other way round); removes them when the
 * spec stops asking for them, found through {@code status.cloudWatchAlarms}.
 */
public final class ConnectionAlarms {
  public static final String ALARMS_READY = "AlarmsReady";
  private static final Logger LOG = Logger.getLogger(ConnectionAlarms.class);

  /** IRSA web identity, instance profile or environment: resolved once, refreshed by the SDK. */
  private static final AwsCredentialsProvider CREDENTIALS =
      DefaultCredentialsProvider.builder().build();

  private final Optional<URI> endpointOverride;

  public ConnectionAlarms(Optional<URI> endpointOverride) {
    this.endpointOverride = endpointOverride;
  }

  /**
   * Provisions the alarms {@code spec.cloudWatchAlarms} asks for, and removes those recorded in the
   * previous status when the spec no longer asks for them (dropped, or another domain or region).
   */
  public void reconcile(
      OpenSearchConnection connection,
      OpenSearchConnectionStatus previous,
      OpenSearchConnectionStatus status,
      Conditions conditions,
      KubeEvents events) {
    CloudWatchAlarms spec = connection.getSpec().cloudWatchAlarms;
    ProvisionedAlarms provisioned = previous == null ? null : previous.cloudWatchAlarms;
    status.cloudWatchAlarms = provisioned;
    if (spec == null && provisioned == null) {
      return;
    }
    boolean wasReady = Conditions.isTrue(status.conditions, ALARMS_READY);
    try {
      if (provisioned != null && !asks(spec, provisioned)) {
        int removed = DomainAlarms.delete(cloudWatch(provisioned.region), provisioned.domainName);
        status.cloudWatchAlarms = null;
        String message =
            removed
                + " CloudWatch alarm(s) vigil-"
                + provisioned.domainName
                + "-* removed from "
                + provisioned.region;
        LOG.infof("OpenSearchConnection %s: %s", name(connection), message);
        events.normal(connection, "AlarmsRemoved", message);
        if (spec == null) {
          status.conditions.removeIf(c -> ALARMS_READY.equals(c.getType()));
          return;
        }
      }
      // Recorded before writing: alarms a failed pass created are still found and removed later.
      status.cloudWatchAlarms = new ProvisionedAlarms(spec.region, spec.domainName);
      int writes = DomainAlarms.ensure(cloudWatch(spec.region), spec);
      conditions.set(
          status.conditions,
          ALARMS_READY,
          true,
          "AlarmsProvisioned",
          "recommended CloudWatch alarms vigil-"
              + spec.domainName
              + "-* notify "
              + spec.snsTopicArn,
          status.observedGeneration);
      if (writes > 0) {
        LOG.infof(
            "OpenSearchConnection %s: %d CloudWatch alarm(s) written for domain %s",
            name(connection), writes, spec.domainName);
        events.normal(connection, "AlarmsProvisioned", writes + " CloudWatch alarm(s) written");
      }
    } catch (CloudWatchQueryApi.CloudWatchException e) {
      conditions.set(
          status.conditions,
          ALARMS_READY,
          false,
          e.reason(),
          e.getMessage(),
          status.observedGeneration);
      if (wasReady) {
        events.warning(connection, e.reason(), e.getMessage());
      }
    } catch (RuntimeException e) {
      // No AWS credentials in this environment, for instance.
      conditions.set(
          status.conditions,
          ALARMS_READY,
          false,
          "AwsUnavailable",
          String.valueOf(e.getMessage()),
          status.observedGeneration);
    }
  }

  private static boolean asks(CloudWatchAlarms spec, ProvisionedAlarms provisioned) {
    return spec != null
        && provisioned.region.equals(spec.region)
        && provisioned.domainName.equals(spec.domainName);
  }

  private CloudWatchQueryApi cloudWatch(String region) {
    return new CloudWatchQueryApi(
        endpointOverride.orElse(CloudWatchQueryApi.regional(region)), CREDENTIALS, region);
  }

  private static String name(OpenSearchConnection connection) {
    return connection.getMetadata().getNamespace() + "/" + connection.getMetadata().getName();
  }
}

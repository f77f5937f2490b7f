package dev.vigil.operator.monitoring;

import dev.vigil.api.v1alpha1.OpenSearchConnection;
import dev.vigil.api.v1alpha1.OpenSearchConnectionSpec.CloudWatchAlarms;
import dev.vigil.api.v1alpha1.OpenSearchConnectionStatus;
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
 * cluster may be fine while CloudWatch refuses, and the other way round).
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

  public void reconcile(
      OpenSearchConnection connection,
      OpenSearchConnectionStatus status,
      Conditions conditions,
      KubeEvents events) {
    CloudWatchAlarms spec = connection.getSpec().cloudWatchAlarms;
    CloudWatchQueryApi cloudWatch =
        new CloudWatchQueryApi(
            endpointOverride.orElse(CloudWatchQueryApi.regional(spec.region)),
            CREDENTIALS,
            spec.region);
    boolean wasReady = Conditions.isTrue(status.conditions, ALARMS_READY);
    try {
      int writes = DomainAlarms.ensure(cloudWatch, spec);
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
            "OpenSearchConnection %s/%s: %d CloudWatch alarm(s) written for domain %s",
            connection.getMetadata().getNamespace(),
            connection.getMetadata().getName(),
            writes,
            spec.domainName);
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
}

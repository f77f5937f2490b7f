package dev.vigil.operator.connection;

import dev.vigil.api.v1alpha1.OpenSearchConnection;
import dev.vigil.api.v1alpha1.OpenSearchConnectionStatus;
import dev.vigil.core.retry.Backoff;
import dev.vigil.operator.Leadership;
import dev.vigil.operator.OperatorConfig;
import dev.vigil.operator.common.Conditions;
import dev.vigil.operator.common.InvalidSpecException;
import dev.vigil.operator.common.KubeEvents;
import dev.vigil.operator.common.ReadyCondition;
import dev.vigil.operator.common.StatusCarry;
import dev.vigil.operator.common.StatusUpdates;
import dev.vigil.operator.opensearch.OpenSearchException;
import dev.vigil.operator.opensearch.OpenSearchRest;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;

/**
 * Checks that an OpenSearch cluster is reachable with the configured credentials and reports its
 * version, health and capabilities. Failures become {@code Ready=False} with a reason (Unreachable,
 * Unauthorized, TlsFailure, InvalidSpec…) and are retried with capped exponential backoff; a Ready
 * connection is re-checked periodically. Writes the status only when it changed.
 */
@ControllerConfiguration(name = "opensearchconnection")
public class OpenSearchConnectionReconciler implements Reconciler<OpenSearchConnection> {

  private final EndpointResolver endpoints;
  private final StatusUpdates statusUpdates;
  private final KubeEvents events;
  private final Conditions conditions;
  private final ReadyCondition readiness;
  private final Backoff backoff;
  private final Duration recheck;
  private final dev.vigil.operator.monitoring.ConnectionAlarms alarms;

  private final Leadership leadership;

  @Inject
  public OpenSearchConnectionReconciler(
      Leadership leadership,
      KubernetesClient client,
      MeterRegistry metrics,
      OperatorConfig config) {
    this(
        leadership,
        new EndpointResolver(client),
        new StatusUpdates(metrics),
        new KubeEvents(client, Clock.systemUTC()),
        Clock.systemUTC(),
        config);
  }

  OpenSearchConnectionReconciler(
      Leadership leadership,
      EndpointResolver endpoints,
      StatusUpdates statusUpdates,
      KubeEvents events,
      Clock clock,
      OperatorConfig config) {
    this.leadership = leadership;
    this.endpoints = endpoints;
    this.statusUpdates = statusUpdates;
    this.events = events;
    this.conditions = new Conditions(clock);
    this.readiness = new ReadyCondition(conditions, events);
    this.backoff = new Backoff(config.retryInitialDelay(), config.retryMaxDelay());
    this.recheck = config.connectionCheckInterval();
    this.alarms =
        new dev.vigil.operator.monitoring.ConnectionAlarms(
            config.aws().endpointOverride().map(java.net.URI::create));
  }

  @Override
  public UpdateControl<OpenSearchConnection> reconcile(
      OpenSearchConnection connection, Context<OpenSearchConnection> context) {
    if (leadership.isPaused()) {
      return UpdateControl.noUpdate();
    }
    String uid = connection.getMetadata().getUid();
    OpenSearchConnectionStatus previous = connection.getStatus();
    OpenSearchConnectionStatus status =
        StatusCarry.from(
            previous, OpenSearchConnectionStatus::new, connection.getMetadata().getGeneration());
    // What the probe learns is set by a probe that answers (or kept as last known while the
    // cluster cannot be reached); an invalid spec shows none of it.
    status.version = null;
    status.distribution = null;
    status.clusterHealth = null;
    status.plugins = null;
    status.capabilities = null;
    Duration next = recheck;
    try {
      ClusterFacts facts = ClusterProbe.probe(new OpenSearchRest(endpoints.resolve(connection)));
      status.version = facts.version();
      status.distribution = facts.distribution();
      status.clusterHealth = facts.health();
      status.plugins = facts.plugins();
      status.capabilities = facts.capabilities();
      boolean red = "red".equals(facts.health());
      ready(
          connection,
          status,
          !red,
          red ? "ClusterRed" : "Connected",
          "OpenSearch "
              + facts.version()
              + " at "
              + connection.getSpec().endpoint
              + ", health "
              + facts.health());
      backoff.succeeded(uid);
    } catch (InvalidSpecException e) {
      // No fast retries: the spec must change. A missing Secret may be created later, and Secrets
      // are not watched,
      // so look again at the normal re-check pace.
      ready(connection, status, false, "InvalidSpec", e.getMessage());
    } catch (OpenSearchException e) {
      keepLastKnown(previous, status);
      ready(connection, status, false, e.reason(), e.getMessage());
      next = backoff.failed(uid);
    }
    alarms.reconcile(connection, previous, status, conditions, events);
    UpdateControl<OpenSearchConnection> control = statusUpdates.apply(connection, status);
    return control.rescheduleAfter(next);
  }

  private void ready(
      OpenSearchConnection connection,
      OpenSearchConnectionStatus status,
      boolean ready,
      String reason,
      String message) {
    readiness.set(connection, status, ready, reason, message);
  }

  /**
   * While the cluster cannot be reached, what was learned last time stays visible (capabilities
   * don't vanish).
   */
  private static void keepLastKnown(
      OpenSearchConnectionStatus previous, OpenSearchConnectionStatus status) {
    if (previous != null) {
      status.version = previous.version;
      status.distribution = previous.distribution;
      status.plugins = previous.plugins;
      status.capabilities = previous.capabilities;
    }
  }
}

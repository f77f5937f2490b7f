package dev.vigil.operator.alerting;

import dev.vigil.api.v1alpha1.DetectionRule;
import dev.vigil.api.v1alpha1.NotificationChannel;
import dev.vigil.core.alerts.MonitorDestination;
import dev.vigil.core.alerts.MonitorRenderer;
import dev.vigil.core.alerts.VigilMarker;
import dev.vigil.core.rules.CompiledRule;
import dev.vigil.core.rules.RuleDefinition;
import dev.vigil.operator.OperatorConfig;
import dev.vigil.operator.common.DriftRepairs;
import dev.vigil.operator.common.InvalidSpecException;
import dev.vigil.operator.common.KubeEvents;
import dev.vigil.operator.common.SecretValues;
import dev.vigil.operator.detection.MonitorExecutor;
import dev.vigil.operator.opensearch.OpenSearchException;
import dev.vigil.operator.opensearch.OpenSearchRest;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Runs DetectionRules as OpenSearch Alerting monitors: the rule's channels are synced to the
 * Notifications plugin first (configs the monitor's actions point at), then the monitor itself.
 * Both syncs write only what differs, so a steady rule costs reads only.
 */
@ApplicationScoped
public class AlertingMonitorExecutor implements MonitorExecutor {
  private static final Logger LOG = Logger.getLogger(AlertingMonitorExecutor.class);

  private final KubernetesClient client;
  private final SecretValues secrets;

  private final Duration resync;

  private final DriftRepairs drift;

  @Inject
  public AlertingMonitorExecutor(
      KubernetesClient client, OperatorConfig config, MeterRegistry metrics) {
    this.client = client;
    this.drift = new DriftRepairs(new KubeEvents(client, Clock.systemUTC()), metrics);
    this.secrets = new SecretValues(client);
    this.resync = config.monitorResyncInterval();
  }

  @Override
  public Duration resyncInterval() {
    return resync;
  }

  @Override
  public String sync(
      DetectionRule rule, RuleDefinition definition, CompiledRule compiled, OpenSearchRest rest)
      throws OpenSearchException, InvalidSpecException {
    String namespace = definition.namespace();
    // The renderer the rule asks for (spec.monitorType), checked before anything is written.
    MonitorRenderer renderer = new MonitorRenderer(definition.monitorType());
    String unfit = renderer.unfit(compiled);
    if (unfit != null) {
      throw new InvalidSpecException(unfit);
    }
    List<MonitorDestination> targets = new ArrayList<>();
    for (String name : definition.channels()) {
      NotificationChannel channel =
          client.resources(NotificationChannel.class).inNamespace(namespace).withName(name).get();
      if (channel == null) {
        throw new InvalidSpecException(
            "spec.actions: NotificationChannel " + namespace + "/" + name + " not found");
      }
      NotificationChannelSync.sync(
          rest,
          NotificationChannelSync.render(
              namespace,
              name,
              channel.getSpec(),
              ref -> secrets.value(namespace, ref.name, ref.key, "NotificationChannel " + name)));
      targets.add(destination(channel));
    }
    String known = rule.getStatus() == null ? null : rule.getStatus().monitorId;
    MonitorSync.Result result =
        MonitorSync.sync(
            rest, renderer.render(compiled, definition, targets), new MonitorSync.Known(known, 0));
    if (result.action() != SyncAction.UNCHANGED) {
      LOG.infof(
          "DetectionRule %s/%s: monitor %s %s",
          namespace, rule.getMetadata().getName(), result.monitorId(), result.action());
    }
    if (result.action() == SyncAction.REPAIRED) {
      drift.repaired(
          rule, "monitor", "Alerting monitor " + result.monitorId() + ": " + result.detail());
    }
    return result.monitorId();
  }

  /** Where a monitor action sends to for a NotificationChannel: its synced config, severities. */
  static MonitorDestination destination(NotificationChannel channel) {
    String namespace = channel.getMetadata().getNamespace();
    String name = channel.getMetadata().getName();
    return new MonitorDestination(
        name,
        VigilMarker.channelConfigId(namespace, name),
        channel.getSpec().severities == null ? Set.of() : Set.copyOf(channel.getSpec().severities));
  }

  @Override
  public void delete(DetectionRule rule, OpenSearchRest rest) throws OpenSearchException {
    String known = rule.getStatus() == null ? null : rule.getStatus().monitorId;
    MonitorSync.delete(
        rest,
        rule.getMetadata().getNamespace(),
        rule.getMetadata().getName(),
        new MonitorSync.Known(known, 0),
        rule.getSpec().deletionPolicy);
  }
}

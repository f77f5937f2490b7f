package dev.vigil.operator.detection;

import dev.vigil.api.v1alpha1.DetectionRule;
import dev.vigil.api.v1alpha1.DetectionRuleStatus;
import dev.vigil.api.v1alpha1.OpenSearchConnection;
import dev.vigil.core.DesiredStateHash;
import dev.vigil.core.alerts.AlertRule;
import dev.vigil.core.rules.CompiledRule;
import dev.vigil.core.rules.RuleDefinition;
import dev.vigil.operator.Leadership;
import dev.vigil.operator.common.Conditions;
import dev.vigil.operator.common.ConnectionWatch;
import dev.vigil.operator.common.InvalidSpecException;
import dev.vigil.operator.common.KubeEvents;
import dev.vigil.operator.common.ReadyCondition;
import dev.vigil.operator.common.StatusCarry;
import dev.vigil.operator.common.StatusUpdates;
import dev.vigil.operator.connection.EndpointResolver;
import dev.vigil.operator.opensearch.OpenSearchException;
import dev.vigil.operator.opensearch.OpenSearchRest;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * Compiles each DetectionRule, chooses its executor and hands it over: the built-in engine's
 * schedule (registered here, so only the leader runs it) or an Alerting monitor through {@link
 * MonitorExecutor}. Status shows the executor, the last run's result and time, and the active alert
 * count; the engine wakes this reconciler (an inbound event) when a run changed them.
 *
 * <p>Every change of the rule reaches here, annotations included (generation-aware filtering is
 * off): the acknowledge annotation is passed to the engine at its next run. The rule's {@link
 * OpenSearchConnection} is watched, so a connection that appears or gains the Alerting plugin moves
 * its rules at once.
 */
@ControllerConfiguration(name = "detectionrule", generationAwareEventProcessing = false)
public class DetectionRuleReconciler implements Reconciler<DetectionRule>, Cleaner<DetectionRule> {
  static final String ALERT_COUNT = "AlertCount";

  private final DetectionScheduler scheduler;
  private final ConnectionClients clients;
  private final Optional<MonitorExecutor> monitors;
  private final StatusUpdates statusUpdates;
  private final KubeEvents events;
  private final Conditions conditions;
  private final ReadyCondition readiness;

  private final Leadership leadership;

  @Inject
  public DetectionRuleReconciler(
      Leadership leadership,
      DetectionScheduler scheduler,
      KubernetesClient client,
      MeterRegistry metrics,
      Instance<MonitorExecutor> monitors) {
    this(
        leadership,
        scheduler,
        new ConnectionClients(
            new EndpointResolver(client), Clock.systemUTC(), Duration.ofMinutes(10)),
        monitors.isResolvable() ? Optional.of(monitors.get()) : Optional.empty(),
        new StatusUpdates(metrics),
        new KubeEvents(client, Clock.systemUTC()),
        Clock.systemUTC());
  }

  DetectionRuleReconciler(
      Leadership leadership,
      DetectionScheduler scheduler,
      ConnectionClients clients,
      Optional<MonitorExecutor> monitors,
      StatusUpdates statusUpdates,
      KubeEvents events,
      Clock clock) {
    this.leadership = leadership;
    this.scheduler = scheduler;
    this.clients = clients;
    this.monitors = monitors;
    this.statusUpdates = statusUpdates;
    this.events = events;
    this.conditions = new Conditions(clock);
    this.readiness = new ReadyCondition(conditions, events);
  }

  @Override
  public List<EventSource<?, DetectionRule>> prepareEventSources(
      EventSourceContext<DetectionRule> context) {
    var connections = ConnectionWatch.of(context, DetectionRule.class, RuleSpecs::connectionName);
    SimpleInboundEventSource<DetectionRule> runs = new SimpleInboundEventSource<>("detection-runs");
    scheduler.onOutcomeChanged(
        rule -> runs.propagateEvent(new ResourceID(rule.name(), rule.namespace())));
    return List.of(connections, runs);
  }

  @Override
  public UpdateControl<DetectionRule> reconcile(
      DetectionRule rule, Context<DetectionRule> context) {
    if (leadership.isPaused()) {
      return UpdateControl.noUpdate();
    }
    String key = key(rule);
    DetectionRuleStatus previous = rule.getStatus();
    DetectionRuleStatus status =
        StatusCarry.from(previous, DetectionRuleStatus::new, rule.getMetadata().getGeneration());
    // Set again by every pass that gets that far; a failed compile or sync leaves none.
    status.syncedHash = null;
    status.executor = null;
    status.monitorId = null;
    try {
      RuleDefinition definition = RuleSpecs.definition(rule);
      CompiledRule compiled = RuleSpecs.compile(definition);
      status.syncedHash = DesiredStateHash.of(compiled.toJson());
      Optional<OpenSearchConnection> connection =
          context.getSecondaryResource(OpenSearchConnection.class);
      if (connection.isEmpty()) {
        scheduler.unschedule(key);
        ready(
            rule,
            status,
            false,
            "ConnectionNotFound",
            "OpenSearchConnection "
                + RuleSpecs.connectionName(rule)
                + " not found in namespace "
                + rule.getMetadata().getNamespace());
        return statusUpdates.apply(rule, status);
      }
      String executor = ExecutorChoice.choose(rule.getSpec().engine, connection.get().getStatus());
      if (executor == null) {
        ready(
            rule,
            status,
            false,
            "ConnectionNotReady",
            "waiting for OpenSearchConnection "
                + RuleSpecs.connectionName(rule)
                + " to report its capabilities (engine: Auto)");
        return statusUpdates.apply(rule, status);
      }
      status.executor = executor;
      OpenSearchRest rest;
      try {
        rest = clients.get(connection.get());
      } catch (InvalidSpecException e) {
        // The connection's spec (or its Secret) is wrong, not the rule's: say so.
        scheduler.unschedule(key);
        ready(
            rule,
            status,
            false,
            "ConnectionInvalid",
            "OpenSearchConnection " + RuleSpecs.connectionName(rule) + ": " + e.getMessage());
        return statusUpdates.apply(rule, status);
      }
      if (executor.equals(ExecutorChoice.ALERTING) && compiled.postFilter() != null) {
        // A monitor runs only the widened native query: it would alert on events the rule does
        // not match. The built-in engine runs the post-filter over each hit.
        throw new InvalidSpecException(
            "the rule compares two fields of one event (Sigma fieldref / vigil_field_equals), which"
                + " an Alerting monitor cannot run: set spec.engine: BuiltIn");
      }
      if (executor.equals(ExecutorChoice.ALERTING)) {
        scheduler.unschedule(key);
        alerting(rule, definition, compiled, rest, status);
        if (monitors.isPresent()) {
          return statusUpdates.apply(rule, status).rescheduleAfter(monitors.get().resyncInterval());
        }
      } else {
        status.monitorId = null;
        builtIn(rule, definition, compiled, rest, status);
      }
    } catch (InvalidSpecException e) {
      scheduler.unschedule(key);
      ready(rule, status, false, "InvalidSpec", e.getMessage());
    }
    return statusUpdates.apply(rule, status);
  }

  private void builtIn(
      DetectionRule rule,
      RuleDefinition definition,
      CompiledRule compiled,
      OpenSearchRest rest,
      DetectionRuleStatus status) {
    scheduler.schedule(
        new ScheduledRule(
            definition.namespace(),
            definition.name(),
            compiled,
            AlertRule.of(definition, compiled),
            definition.interval(),
            rest,
            definition.channels(),
            RuleSpecs.requests(rule)));
    Optional<RunOutcome> outcome = scheduler.takeOutcome(key(rule));
    if (outcome.isEmpty()) {
      ready(
          rule,
          status,
          true,
          "Scheduled",
          "runs every " + definition.source().interval() + " in the built-in engine");
      return;
    }
    RunOutcome run = outcome.get();
    status.lastRunTime = run.time().truncatedTo(ChronoUnit.SECONDS).toString();
    status.lastResult = run.result();
    alertCount(status, run, rule.getMetadata().getGeneration());
    if (run.failed()) {
      ready(rule, status, false, "RunFailed", run.result());
    } else {
      ready(
          rule,
          status,
          true,
          "Running",
          "runs every "
              + definition.source().interval()
              + " in the built-in engine"
              + (run.note() == null ? "" : "; last run: " + run.note()));
    }
  }

  /**
   * A run that could not read the alert index does not know how many alerts are open: the last
   * count stays in {@code activeAlerts} and {@value #ALERT_COUNT} turns Unknown (never a 0 that
   * reads as "all clear" during an outage); the next run that reads them makes it True again.
   */
  private void alertCount(DetectionRuleStatus status, RunOutcome run, Long generation) {
    if (run.activeAlerts() == null) {
      conditions.set(
          status.conditions,
          ALERT_COUNT,
          Conditions.UNKNOWN,
          "CountUnavailable",
          status.activeAlerts == null
              ? "the alerts of this rule could not be read; never counted yet"
              : "the alerts of this rule could not be read; activeAlerts is the last count",
          generation);
      return;
    }
    status.activeAlerts = run.activeAlerts();
    conditions.set(
        status.conditions,
        ALERT_COUNT,
        true,
        "Counted",
        run.activeAlerts() + " open alerts at the last run",
        generation);
  }

  private void alerting(
      DetectionRule rule,
      RuleDefinition definition,
      CompiledRule compiled,
      OpenSearchRest rest,
      DetectionRuleStatus status)
      throws InvalidSpecException {
    status.lastRunTime = null;
    status.lastResult = null;
    status.activeAlerts = null;
    status.conditions.removeIf(c -> c.getType().equals(ALERT_COUNT));
    if (monitors.isEmpty()) {
      ready(
          rule,
          status,
          false,
          "AlertingSyncNotWired",
          "the cluster runs OpenSearch Alerting, but this operator build cannot sync monitors yet;"
              + " set spec.engine: BuiltIn to run the rule in Vigil's engine");
      return;
    }
    try {
      status.monitorId = monitors.get().sync(rule, definition, compiled, rest);
      ready(rule, status, true, "MonitorSynced", "Alerting monitor " + status.monitorId);
    } catch (OpenSearchException e) {
      ready(rule, status, false, e.reason(), e.getMessage());
    }
  }

  @Override
  public DeleteControl cleanup(DetectionRule rule, Context<DetectionRule> context) {
    if (leadership.isPaused()) {
      return DeleteControl.noFinalizerRemoval();
    }
    scheduler.unschedule(key(rule));
    Optional<OpenSearchConnection> connection =
        context.getSecondaryResource(OpenSearchConnection.class);
    if (monitors.isPresent()
        && connection.isPresent()
        && rule.getStatus() != null
        && ExecutorChoice.ALERTING.equals(rule.getStatus().executor)) {
      try {
        monitors.get().delete(rule, clients.get(connection.get()));
      } catch (OpenSearchException e) {
        events.warning(rule, "CleanupFailed", e.getMessage());
        return DeleteControl.noFinalizerRemoval().rescheduleAfter(Duration.ofSeconds(30));
      } catch (InvalidSpecException e) {
        // The connection can never be reached as configured: nothing to clean up through it.
        events.warning(rule, "CleanupSkipped", e.getMessage());
      }
    }
    return DeleteControl.defaultDelete();
  }

  private void ready(
      DetectionRule rule,
      DetectionRuleStatus status,
      boolean ready,
      String reason,
      String message) {
    readiness.set(rule, status, ready, reason, message);
  }

  private static String key(DetectionRule rule) {
    return rule.getMetadata().getNamespace() + "/" + rule.getMetadata().getName();
  }
}

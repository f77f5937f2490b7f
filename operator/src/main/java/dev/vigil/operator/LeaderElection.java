package dev.vigil.operator;

import dev.vigil.operator.detection.DetectionScheduler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfig;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RegisteredController;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.processing.Controller;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * Leader election for the operator's replicas: the operator SDK activates it in the {@code prod}
 * profile when the {@link LeaderElectionConfiguration} bean exists. Only the leader runs
 * reconcilers — and so only the leader fills the built-in engine's schedule (see docs/engine.md).
 * The lease lives in the operator's own namespace (the service account's), under the RBAC the
 * kustomize base grants.
 *
 * <p>A leader that cannot renew its lease within the renew deadline (API server unreachable) does
 * not exit, as the SDK would by default: it pauses every reconciler ({@link Leadership}), empties
 * the built-in engine's schedule, and stands for election again in-process. Whoever wins — this
 * replica once the API server answers, or another — reconciles every resource afresh. The renew
 * deadline is shorter than the lease, so this replica stops before another may start.
 */
@Singleton
public class LeaderElection {
  public static final String LEASE = "vigil-operator";
  private static final Logger LOG = Logger.getLogger(LeaderElection.class);

  private final OperatorConfig.LeaderElection settings;
  private final Instance<Operator> operator;
  private final KubernetesClient client;
  private final DetectionScheduler scheduler;
  private final Leadership leadership;
  private final String identity = identity();
  private volatile boolean shuttingDown;
  private volatile CompletableFuture<?> election;

  public LeaderElection(
      OperatorConfig config,
      Instance<Operator> operator,
      KubernetesClient client,
      DetectionScheduler scheduler,
      Leadership leadership,
      MeterRegistry metrics) {
    this.settings = config.leaderElection();
    this.operator = operator;
    this.client = client;
    this.scheduler = scheduler;
    this.leadership = leadership;
    Gauge.builder("vigil_operator_leader", leadership, l -> l.isLeading() ? 1 : 0)
        .description("1 while this replica holds the lease and runs reconcilers")
        .register(metrics);
  }

  @Produces
  @Singleton
  LeaderElectionConfiguration leaderElection() {
    // The SDK's first election runs these callbacks before its own (which start event processing).
    return new LeaderElectionConfiguration(
        LEASE,
        null,
        settings.leaseDuration(),
        settings.renewDeadline(),
        settings.retryPeriod(),
        identity,
        new LeaderCallbacks(this::startedLeading, this::stoppedLeading, leader -> {}),
        false);
  }

  void stop(@Observes @Priority(1) ShutdownEvent event) {
    shuttingDown = true;
    CompletableFuture<?> running = election;
    if (running != null) {
      running.cancel(true);
    }
  }

  private void startedLeading() {
    scheduler.resume();
    leadership.started();
    LOG.infof("Leading as %s (lease %s/%s)", identity, client.getNamespace(), LEASE);
  }

  private void stoppedLeading() {
    if (shuttingDown || !leadership.lost()) {
      return;
    }
    scheduler.pause();
    LOG.warnf(
        "Lost the lease %s/%s (not renewed within %d ms): reconcilers paused, built-in engine"
            + " schedule cleared; standing for election again",
        client.getNamespace(), LEASE, settings.renewDeadline().toMillis());
    standAgain();
  }

  /** After the SDK's election ended in a loss: a new election whose win resumes the controllers. */
  private void standAgain() {
    LeaderElectionConfig config =
        new LeaderElectionConfig(
            new LeaseLock(client.getNamespace(), LEASE, identity),
            settings.leaseDuration(),
            settings.renewDeadline(),
            settings.retryPeriod(),
            new LeaderCallbacks(this::resumeLeading, this::stoppedLeading, leader -> {}),
            true,
            LEASE);
    election = client.leaderElector().withConfig(config).build().start();
  }

  private void resumeLeading() {
    startedLeading();
    for (Controller<?> controller : controllers()) {
      // Changes seen while paused were skipped: every resource is reconciled afresh.
      controller
          .getEventSourceManager()
          .getControllerEventSource()
          .keys()
          .forEach(id -> controller.getEventProcessor().handleEvent(new Event(id)));
    }
  }

  private Iterable<Controller<?>> controllers() {
    return operator.get().getRegisteredControllers().stream()
        .map(LeaderElection::controller)
        .toList();
  }

  private static Controller<?> controller(RegisteredController<?> registered) {
    return (Controller<?>) registered;
  }

  private static String identity() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "vigil-operator";
    }
    return host + "-" + UUID.randomUUID().toString().substring(0, 8);
  }
}

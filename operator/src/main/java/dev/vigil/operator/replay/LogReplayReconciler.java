package dev.vigil.operator.replay;

import dev.vigil.api.v1alpha1.LogReplay;
import dev.vigil.api.v1alpha1.LogReplayStatus;
import dev.vigil.api.v1alpha1.LogReplayStatus.Phase;
import dev.vigil.api.v1alpha1.LogSource;
import dev.vigil.api.v1alpha1.OpenSearchConnection;
import dev.vigil.operator.Leadership;
import dev.vigil.operator.OperatorConfig;
import dev.vigil.operator.common.AwsCallLimits;
import dev.vigil.operator.common.Conditions;
import dev.vigil.operator.common.KubeEvents;
import dev.vigil.operator.common.ReadyCondition;
import dev.vigil.operator.common.StatusCarry;
import dev.vigil.operator.common.StatusUpdates;
import dev.vigil.operator.logsource.AwsClients;
import dev.vigil.operator.logsource.IngesterDeployments;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/**
 * Runs a LogReplay as a Kubernetes Job of the ingester in replay mode ({@link ReplayWorkload}) and
 * follows it: the Job's phase and times, and the progress from the checkpoint the replay writes to
 * the bucket. The Job is created once (its spec, like the LogReplay's, never changes) and owned by
 * the LogReplay, so deleting the LogReplay deletes it and its pods; the documents stay. Job changes
 * wake the reconciler (an informer on Vigil's replay Jobs); while one runs, its checkpoint is read
 * every {@code replay-progress-interval}.
 */
@ControllerConfiguration(name = "logreplay")
public class LogReplayReconciler implements Reconciler<LogReplay> {
  private static final Logger LOG = Logger.getLogger(LogReplayReconciler.class);

  private final Leadership leadership;
  private final KubernetesClient client;
  private final OperatorConfig config;
  private final MeterRegistry metrics;
  private final StatusUpdates statusUpdates;
  private final ReadyCondition readiness;
  private final IngesterDeployments serviceAccounts;
  private final Map<String, AwsClients> clients = new ConcurrentHashMap<>();

  @Inject
  public LogReplayReconciler(
      Leadership leadership,
      KubernetesClient client,
      MeterRegistry metrics,
      OperatorConfig config) {
    this.leadership = leadership;
    this.client = client;
    this.config = config;
    this.metrics = metrics;
    this.statusUpdates = new StatusUpdates(metrics);
    Clock clock = Clock.systemUTC();
    this.readiness = new ReadyCondition(new Conditions(clock), new KubeEvents(client, clock));
    this.serviceAccounts = new IngesterDeployments(client, config.ingesters());
  }

  /** Vigil's replay Jobs, each waking the LogReplay that owns it. */
  @Override
  public List<EventSource<?, LogReplay>> prepareEventSources(
      EventSourceContext<LogReplay> context) {
    return List.of(
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Job.class, LogReplay.class)
                .withLabelSelector("app.kubernetes.io/name=" + ReplayWorkload.APP)
                .withSecondaryToPrimaryMapper(
                    Mappers.fromOwnerReferences(
                        HasMetadata.getApiVersion(LogReplay.class),
                        HasMetadata.getKind(LogReplay.class),
                        false))
                .build(),
            context));
  }

  @Override
  public UpdateControl<LogReplay> reconcile(LogReplay replay, Context<LogReplay> context) {
    if (leadership.isPaused()) {
      return UpdateControl.noUpdate();
    }
    LogReplayStatus status =
        StatusCarry.from(
            replay.getStatus(), LogReplayStatus::new, replay.getMetadata().getGeneration());
    String namespace = replay.getMetadata().getNamespace();
    String jobName = ReplayPlan.jobName(replay);
    status.jobName = jobName;
    Job job = client.batch().v1().jobs().inNamespace(namespace).withName(jobName).get();
    ReplayPlan plan;
    try {
      plan = plan(replay);
    } catch (Missing e) {
      if (job == null && !JobPhase.terminal(status.phase)) {
        // Nothing runs yet: wait for the LogSource or connection to appear.
        status.phase = Phase.Pending;
        readiness.set(replay, status, false, e.reason, e.getMessage());
        return statusUpdates.apply(replay, status).rescheduleAfter(config.replayProgressInterval());
      }
      plan = null; // already running or done: only the checkpoint cannot be read
    }
    if (job == null && JobPhase.terminal(status.phase)) {
      // Done, and the Job was removed (by hand or a TTL): the status keeps the outcome.
      return statusUpdates.apply(replay, status);
    }
    if (job == null) {
      OpenSearchConnection connection = connection(namespace, plan.connection());
      if (connection == null) {
        status.phase = Phase.Pending;
        readiness.set(
            replay,
            status,
            false,
            "ConnectionNotFound",
            "OpenSearchConnection '" + plan.connection() + "' not found in " + namespace);
        return statusUpdates.apply(replay, status).rescheduleAfter(config.replayProgressInterval());
      }
      job = start(replay, plan, connection);
    }
    JobPhase phase = JobPhase.of(job);
    status.phase = phase.phase();
    status.startTime = phase.startTime();
    status.completionTime = phase.completionTime();
    if (plan != null) {
      progress(replay, plan, status);
    }
    switch (phase.phase()) {
      case Succeeded -> readiness.set(replay, status, true, "Succeeded", summary(status, plan));
      case Running -> readiness.set(replay, status, true, "Running", phase.message());
      case Failed -> readiness.set(replay, status, false, "JobFailed", phase.message());
      case Pending -> readiness.set(replay, status, false, "JobPending", phase.message());
    }
    UpdateControl<LogReplay> control = statusUpdates.apply(replay, status);
    return phase.terminal() ? control : control.rescheduleAfter(config.replayProgressInterval());
  }

  private Job start(LogReplay replay, ReplayPlan plan, OpenSearchConnection connection) {
    String namespace = replay.getMetadata().getNamespace();
    serviceAccounts.ensureServiceAccount(namespace);
    client
        .resource(
            ReplayWorkload.configMap(
                replay, plan, ReplayWorkload.properties(plan, connection, config.aws())))
        .forceConflicts()
        .serverSideApply();
    Job job =
        client
            .resource(ReplayWorkload.job(replay, plan, connection, config.ingesters()))
            .forceConflicts()
            .serverSideApply();
    metrics.counter("vigil_replay_jobs_started_total").increment();
    LOG.infof(
        "LogReplay %s/%s: Job %s started for s3://%s/%s %s..%s",
        namespace,
        replay.getMetadata().getName(),
        plan.jobName(),
        plan.bucket(),
        plan.prefix(),
        plan.from(),
        plan.to());
    return job;
  }

  /** The checkpoint's progress; a failed read keeps the last one (the replay goes on). */
  private void progress(LogReplay replay, ReplayPlan plan, LogReplayStatus status) {
    try {
      CheckpointReader.read(clients(plan).s3, plan.bucket(), plan.checkpointKey())
          .ifPresent(p -> status.progress = p);
    } catch (Exception e) {
      LOG.debugf(
          "LogReplay %s/%s: checkpoint %s not read: %s",
          replay.getMetadata().getNamespace(),
          replay.getMetadata().getName(),
          plan.checkpoint(),
          e.toString());
    }
  }

  private static String summary(LogReplayStatus status, ReplayPlan plan) {
    String objects =
        status.progress == null || status.progress.objectsDone == null
            ? "replay finished"
            : status.progress.objectsDone + " objects replayed";
    return plan == null ? objects : objects + " from s3://" + plan.bucket() + "/" + plan.prefix();
  }

  private ReplayPlan plan(LogReplay replay) throws Missing {
    LogSource source = null;
    if (replay.getSpec().logSourceRef != null) {
      String name = replay.getSpec().logSourceRef.name;
      source =
          client
              .resources(LogSource.class)
              .inNamespace(replay.getMetadata().getNamespace())
              .withName(name)
              .get();
      if (source == null) {
        throw new Missing(
            "LogSourceNotFound",
            "LogSource '" + name + "' not found in " + replay.getMetadata().getNamespace());
      }
    }
    return ReplayPlan.of(replay, source, config.aws().region().orElse(null));
  }

  private OpenSearchConnection connection(String namespace, String name) {
    return client.resources(OpenSearchConnection.class).inNamespace(namespace).withName(name).get();
  }

  /** The operator's clients in the replay's region, as its role (to read the checkpoint). */
  private AwsClients clients(ReplayPlan plan) {
    return clients.computeIfAbsent(
        plan.region() + "|" + plan.roleArn() + "|" + plan.externalId(),
        key ->
            new AwsClients(
                plan.region() == null
                    ? new DefaultAwsRegionProviderChain().getRegion()
                    : Region.of(plan.region()),
                config.aws().endpointOverride().map(URI::create),
                config.aws().s3PathStyle(),
                plan.roleArn(),
                plan.externalId(),
                AwsCallLimits.of(config.aws()),
                metrics));
  }

  /** What the replay names is not there (yet). */
  private static final class Missing extends Exception {
    final String reason;

    Missing(String reason, String message) {
      super(message);
      this.reason = reason;
    }
  }
}

package dev.vigil.operator.snapshot;

import dev.vigil.api.v1alpha1.OpenSearchConnectionStatus.Capabilities;
import dev.vigil.api.v1alpha1.SnapshotPolicy;
import dev.vigil.api.v1alpha1.SnapshotPolicySpec.Engine;
import dev.vigil.api.v1alpha1.SnapshotPolicyStatus;
import dev.vigil.api.v1alpha1.SnapshotPolicyStatus.RestoreStatus;
import dev.vigil.api.v1alpha1.SnapshotPolicyStatus.SnapshotRef;
import dev.vigil.core.retry.Backoff;
import dev.vigil.core.snapshot.SnapshotInfo;
import dev.vigil.core.snapshot.SnapshotSchedule;
import dev.vigil.operator.Leadership;
import dev.vigil.operator.OperatorConfig;
import dev.vigil.operator.common.Conditions;
import dev.vigil.operator.common.ExternalCleanup;
import dev.vigil.operator.common.InvalidSpecException;
import dev.vigil.operator.common.KubeEvents;
import dev.vigil.operator.common.ReadyCondition;
import dev.vigil.operator.common.StatusCarry;
import dev.vigil.operator.common.StatusUpdates;
import dev.vigil.operator.opensearch.OpenSearchException;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Makes a SnapshotPolicy so: registers its repository, lets the Snapshot Management plugin take and
 * expire snapshots where the cluster has it (else takes them itself on the cron schedule and
 * enforces retention), expires hot indices (ISM, else itself), restores a day on request (the
 * {@code siem.vigil.dev/restore} annotation) and reports the last snapshot, next run, snapshots
 * kept and failures. Annotation changes trigger a reconcile (not generation-aware).
 */
@ControllerConfiguration(name = "snapshotpolicy", generationAwareEventProcessing = false)
public class SnapshotPolicyReconciler
    implements Reconciler<SnapshotPolicy>, Cleaner<SnapshotPolicy> {
  private static final Logger LOG = Logger.getLogger(SnapshotPolicyReconciler.class);
  static final String LAST_SNAPSHOT_SUCCEEDED = "LastSnapshotSucceeded";
  static final String ON_SCHEDULE = "OnSchedule";
  static final String HOT_RETENTION = "HotRetention";

  /** While a snapshot runs, look at it this often. */
  private static final Duration RUNNING_POLL = Duration.ofSeconds(2);

  private final ConnectionTargets connections;
  private final SnapshotMetrics metrics;
  private final StatusUpdates statusUpdates;
  private final KubeEvents events;
  private final Conditions conditions;
  private final ReadyCondition readiness;
  private final Backoff backoff;
  private final Clock clock;
  private final Duration checkInterval;
  private final Duration overdueGrace;

  private final Leadership leadership;

  @Inject
  public SnapshotPolicyReconciler(
      Leadership leadership,
      KubernetesClient client,
      MeterRegistry registry,
      OperatorConfig config) {
    this(
        leadership,
        new ConnectionTargets(client),
        new SnapshotMetrics(registry),
        new StatusUpdates(registry),
        new KubeEvents(client, Clock.systemUTC()),
        Clock.systemUTC(),
        config);
  }

  SnapshotPolicyReconciler(
      Leadership leadership,
      ConnectionTargets connections,
      SnapshotMetrics metrics,
      StatusUpdates statusUpdates,
      KubeEvents events,
      Clock clock,
      OperatorConfig config) {
    this.leadership = leadership;
    this.connections = connections;
    this.metrics = metrics;
    this.statusUpdates = statusUpdates;
    this.events = events;
    this.conditions = new Conditions(clock);
    this.readiness = new ReadyCondition(conditions, events);
    this.backoff = new Backoff(config.retryInitialDelay(), config.retryMaxDelay());
    this.clock = clock;
    this.checkInterval = config.snapshotCheckInterval();
    this.overdueGrace = config.snapshotOverdueGrace();
  }

  @Override
  public UpdateControl<SnapshotPolicy> reconcile(
      SnapshotPolicy policy, Context<SnapshotPolicy> context) {
    if (leadership.isPaused()) {
      return UpdateControl.noUpdate();
    }
    SnapshotPolicyStatus previous =
        policy.getStatus() == null ? new SnapshotPolicyStatus() : policy.getStatus();
    SnapshotPolicyStatus status =
        StatusCarry.from(previous, SnapshotPolicyStatus::new, policy.getMetadata().getGeneration());
    String uid = policy.getMetadata().getUid();
    Instant now = clock.instant();
    Duration next = checkInterval;
    try {
      PolicySettings settings = PolicySettings.from(policy);
      ConnectionTargets.Target target =
          connections.target(settings.namespace(), settings.connection());
      SnapshotApi api = new SnapshotApi(target.rest(), metrics);
      boolean plugin = usesSnapshotManagement(settings.engine(), target.capabilities());
      status.engine = plugin ? "Plugin" : "BuiltIn";
      if (Repositories.ensure(api, settings)) {
        info(
            policy,
            "RepositoryRegistered",
            "registered snapshot repository " + settings.repository());
      }
      List<SnapshotInfo> snapshots;
      if (plugin) {
        if (SnapshotManagementPolicies.ensure(api, settings)) {
          info(
              policy,
              "SnapshotManagementPolicyApplied",
              "Snapshot Management policy " + settings.names().policy() + " applied");
        }
        SnapshotManagementPolicies.Explained explained =
            SnapshotManagementPolicies.explain(api, settings);
        status.nextRunTime = time(explained.nextRun());
        snapshots = api.snapshots(settings.repository(), settings.names());
        if (("FAILED".equals(explained.lastStatus())
                || "TIME_LIMIT_EXCEEDED".equals(explained.lastStatus()))
            && explained.lastEnd() != null) {
          recordFailure(
              policy,
              status,
              settings.names().policy() + " (Snapshot Management)",
              explained.lastEnd(),
              explained.lastStatus() + ": " + explained.cause());
        }
      } else {
        BuiltInSnapshots.Pass pass =
            BuiltInSnapshots.run(api, settings, instant(previous.nextRunTime), now);
        status.nextRunTime = time(pass.nextRun());
        snapshots = pass.snapshots();
        if (pass.started() != null) {
          metrics.snapshotStarted(settings.namespace(), settings.name());
          info(policy, "SnapshotStarted", "started snapshot " + pass.started());
        }
        if (!pass.deleted().isEmpty()) {
          info(
              policy, "SnapshotsExpired", "deleted snapshots " + String.join(", ", pass.deleted()));
        }
        next =
            pass.busy()
                ? RUNNING_POLL
                : min(next, Duration.between(now, pass.nextRun()).plusSeconds(1));
      }
      report(policy, status, snapshots, now);
      hotRetention(
          policy,
          status,
          api,
          settings,
          plugin && target.capabilities().indexManagement,
          snapshots,
          now);
      restore(policy, status, api, settings, snapshots);
      setReady(
          policy,
          status,
          true,
          plugin ? "SnapshotManagement" : "Scheduled",
          (plugin
                  ? "Snapshot Management policy " + settings.names().policy()
                  : "schedule '" + settings.schedule() + "' UTC")
              + " into repository "
              + settings.repository()
              + (status.nextRunTime == null ? "" : "; next run " + status.nextRunTime));
      backoff.succeeded(uid);
    } catch (InvalidSpecException e) {
      setReady(policy, status, false, "InvalidSpec", e.getMessage());
    } catch (ConnectionTargets.NotReady e) {
      setReady(policy, status, false, e.reason(), e.getMessage());
    } catch (OpenSearchException e) {
      setReady(policy, status, false, e.reason(), e.getMessage());
      next = backoff.failed(uid);
    }
    return statusUpdates.apply(policy, status).rescheduleAfter(next);
  }

  @Override
  public DeleteControl cleanup(SnapshotPolicy policy, Context<SnapshotPolicy> context)
      throws Exception {
    if (leadership.isPaused()) {
      return DeleteControl.noFinalizerRemoval();
    }
    String namespace = policy.getMetadata().getNamespace();
    metrics.forget(namespace, policy.getMetadata().getName());
    return ExternalCleanup.apply(
        policy.getSpec().deletionPolicy,
        () -> {
          PolicySettings settings;
          ConnectionTargets.Target target;
          try {
            settings = PolicySettings.from(policy);
            target = connections.target(namespace, settings.connection());
          } catch (InvalidSpecException | ConnectionTargets.NotReady e) {
            LOG.warnf(
                "SnapshotPolicy %s/%s deleted; cannot clean up in OpenSearch: %s",
                namespace, policy.getMetadata().getName(), e.getMessage());
            return;
          }
          SnapshotApi api = new SnapshotApi(target.rest(), metrics);
          if (target.capabilities().snapshotManagement) {
            SnapshotManagementPolicies.delete(api, settings);
          }
          if (target.capabilities().indexManagement) {
            IsmHotRetention.delete(api, settings);
          }
          // Snapshots stay in the repository (its storage); only the registration goes.
          api.deleteRepository(settings.repository());
        });
  }

  static boolean usesSnapshotManagement(Engine engine, Capabilities capabilities) {
    return switch (engine) {
      case Plugin -> true;
      case BuiltIn -> false;
      case Auto -> capabilities.snapshotManagement;
    };
  }

  /** Last snapshot, snapshots kept, failures, overdue: from the policy's snapshots. */
  private void report(
      SnapshotPolicy policy,
      SnapshotPolicyStatus status,
      List<SnapshotInfo> snapshots,
      Instant now) {
    String namespace = policy.getMetadata().getNamespace();
    String name = policy.getMetadata().getName();
    Optional<SnapshotInfo> lastSuccess =
        snapshots.stream().filter(SnapshotInfo::succeeded).reduce((a, b) -> b);
    lastSuccess.ifPresent(
        s -> {
          status.lastSnapshot = new SnapshotRef();
          status.lastSnapshot.name = s.name();
          status.lastSnapshot.time = time(s.end() != null ? s.end() : s.start());
        });
    for (SnapshotInfo s : snapshots) {
      if (s.failed() && s.end() != null) {
        recordFailure(policy, status, s.name(), s.end(), s.state() + ": " + s.reason());
      }
    }
    status.snapshotsKept = (int) snapshots.stream().filter(SnapshotInfo::succeeded).count();
    Optional<SnapshotInfo> newest =
        snapshots.stream().filter(s -> !s.inProgress()).reduce((a, b) -> b);
    if (newest.isEmpty()) {
      conditions.set(
          status.conditions,
          LAST_SNAPSHOT_SUCCEEDED,
          Conditions.UNKNOWN,
          "NoSnapshotYet",
          "no snapshot of this policy has finished yet",
          status.observedGeneration);
    } else if (newest.get().succeeded()) {
      conditions.set(
          status.conditions,
          LAST_SNAPSHOT_SUCCEEDED,
          true,
          "Succeeded",
          "snapshot " + newest.get().name() + " succeeded",
          status.observedGeneration);
    } else {
      conditions.set(
          status.conditions,
          LAST_SNAPSHOT_SUCCEEDED,
          false,
          camel(newest.get().state()),
          "snapshot "
              + newest.get().name()
              + " "
              + newest.get().state()
              + ": "
              + newest.get().reason(),
          status.observedGeneration);
    }
    String created = policy.getMetadata().getCreationTimestamp();
    Instant since = created == null ? now : Instant.parse(created);
    boolean overdue;
    try {
      overdue =
          new SnapshotSchedule(PolicySettings.from(policy).schedule())
              .overdue(lastSuccess.map(SnapshotInfo::start).orElse(null), since, now, overdueGrace);
    } catch (InvalidSpecException e) {
      overdue = false; // unreachable: the spec was validated before
    }
    conditions.set(
        status.conditions,
        ON_SCHEDULE,
        !overdue,
        overdue ? "Overdue" : "OnSchedule",
        overdue
            ? "no successful snapshot since a scheduled run more than "
                + overdueGrace.toMinutes()
                + " min ago"
            : "snapshots are taken on schedule",
        status.observedGeneration);
    metrics.policyState(
        namespace,
        name,
        lastSuccess.map(SnapshotInfo::start).orElse(null),
        instant(status.nextRunTime),
        status.snapshotsKept,
        overdue);
  }

  private void recordFailure(
      SnapshotPolicy policy,
      SnapshotPolicyStatus status,
      String snapshot,
      Instant end,
      String reason) {
    Instant recorded = status.lastFailure == null ? null : instant(status.lastFailure.time);
    if (recorded != null && !end.truncatedTo(ChronoUnit.SECONDS).isAfter(recorded)) {
      return; // counted before
    }
    status.lastFailure = new SnapshotRef();
    status.lastFailure.name = snapshot;
    status.lastFailure.time = time(end);
    status.lastFailure.reason = reason;
    status.failures = (status.failures == null ? 0 : status.failures) + 1;
    metrics.snapshotFailed(policy.getMetadata().getNamespace(), policy.getMetadata().getName());
    events.warning(policy, "SnapshotFailed", "snapshot " + snapshot + " " + reason);
  }

  private void hotRetention(
      SnapshotPolicy policy,
      SnapshotPolicyStatus status,
      SnapshotApi api,
      PolicySettings settings,
      boolean ism,
      List<SnapshotInfo> snapshots,
      Instant now)
      throws OpenSearchException {
    if (settings.hotRules().isEmpty()) {
      status.expiredIndices = null;
      status.indicesAwaitingSnapshot = null;
      status.conditions.removeIf(c -> HOT_RETENTION.equals(c.getType()));
      return;
    }
    if (ism) {
      if (IsmHotRetention.ensure(api, settings) > 0) {
        info(policy, "IsmPoliciesApplied", "hot retention applied as ISM policies");
      }
      status.expiredIndices = null;
      status.indicesAwaitingSnapshot = null;
      conditions.set(
          status.conditions,
          HOT_RETENTION,
          true,
          "IsmPolicies",
          "Index State Management deletes expired indices",
          status.observedGeneration);
      return;
    }
    BuiltInHotRetention.Pass pass = BuiltInHotRetention.run(api, settings, snapshots, now);
    if (!pass.deleted().isEmpty()) {
      metrics.indicesDeleted(settings.namespace(), settings.name(), pass.deleted().size());
      info(
          policy, "IndicesExpired", "deleted expired indices " + String.join(", ", pass.deleted()));
      status.expiredIndices = pass.deleted();
    }
    List<String> waiting = pass.waitingForSnapshot();
    status.indicesAwaitingSnapshot =
        waiting.isEmpty() ? null : waiting.subList(0, Math.min(20, waiting.size()));
    List<String> uncovered =
        waiting.stream().filter(i -> !Globs.matchesAny(i, settings.indices())).toList();
    if (waiting.isEmpty()) {
      conditions.set(
          status.conditions,
          HOT_RETENTION,
          true,
          "UpToDate",
          "no expired index is left",
          status.observedGeneration);
    } else if (!uncovered.isEmpty()) {
      conditions.set(
          status.conditions,
          HOT_RETENTION,
          false,
          "NotCoveredBySnapshots",
          uncovered.size()
              + " expired index(es), e.g. "
              + uncovered.get(0)
              + ", are not in spec.indices, so no snapshot will hold them: add them to spec.indices"
              + " or set requireSnapshot: false",
          status.observedGeneration);
    } else {
      conditions.set(
          status.conditions,
          HOT_RETENTION,
          false,
          "AwaitingSnapshot",
          waiting.size() + " expired index(es) wait for the next successful snapshot",
          status.observedGeneration);
    }
  }

  private void restore(
      SnapshotPolicy policy,
      SnapshotPolicyStatus status,
      SnapshotApi api,
      PolicySettings settings,
      List<SnapshotInfo> snapshots) {
    var annotations = policy.getMetadata().getAnnotations();
    String date = annotations == null ? null : annotations.get(SnapshotPolicy.RESTORE_ANNOTATION);
    if (date == null || date.isBlank()) {
      return;
    }
    String indices = annotations.get(SnapshotPolicy.RESTORE_INDICES_ANNOTATION);
    String request = annotations.get(SnapshotPolicy.RESTORE_REQUEST_ANNOTATION);
    RestoreStatus last = status.lastRestore;
    if (last != null
        && date.trim().equals(last.date)
        && Objects.equals(indices, last.indices)
        && Objects.equals(request, last.request)
        && !"Failed".equals(last.state)) {
      return; // done already
    }
    RestoreStatus result;
    try {
      result = Restores.restore(api, settings, snapshots, Restores.day(date), indices);
    } catch (InvalidSpecException | OpenSearchException e) {
      result = new RestoreStatus();
      result.date = date.trim();
      result.indices = indices;
      result.state = "Failed";
      result.message = e.getMessage();
    }
    result.request = request;
    status.lastRestore = result;
    if ("Failed".equals(result.state)) {
      events.warning(policy, "RestoreFailed", result.message);
    } else {
      info(policy, "Restore" + result.state, result.message);
    }
  }

  private void setReady(
      SnapshotPolicy policy,
      SnapshotPolicyStatus status,
      boolean ready,
      String reason,
      String message) {
    readiness.set(policy, status, ready, reason, message);
  }

  private void info(SnapshotPolicy policy, String reason, String message) {
    LOG.infof(
        "SnapshotPolicy %s/%s: %s",
        policy.getMetadata().getNamespace(), policy.getMetadata().getName(), message);
    events.normal(policy, reason, message);
  }

  private static String camel(String state) {
    return state.isEmpty() ? "Failed" : state.charAt(0) + state.substring(1).toLowerCase();
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  static String time(Instant instant) {
    return instant == null ? null : instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  static Instant instant(String time) {
    return time == null ? null : Instant.parse(time);
  }
}

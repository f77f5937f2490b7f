package dev.vigil.operator.logsource;

import dev.vigil.api.v1alpha1.Condition;
import dev.vigil.api.v1alpha1.DetectionRule;
import dev.vigil.api.v1alpha1.DetectionRuleSpec;
import dev.vigil.api.v1alpha1.LogSource;
import dev.vigil.api.v1alpha1.LogSourceSpec;
import dev.vigil.api.v1alpha1.LogSourceStatus;
import dev.vigil.api.v1alpha1.OpenSearchConnection;
import dev.vigil.core.ingest.AccountDirectory;
import dev.vigil.core.retry.Backoff;
import dev.vigil.core.rules.Durations;
import dev.vigil.operator.Leadership;
import dev.vigil.operator.OperatorConfig;
import dev.vigil.operator.common.AwsCallLimits;
import dev.vigil.operator.common.Conditions;
import dev.vigil.operator.common.ConnectionWatch;
import dev.vigil.operator.common.DriftRepairs;
import dev.vigil.operator.common.ExternalCleanup;
import dev.vigil.operator.common.InvalidSpecException;
import dev.vigil.operator.common.KubeEvents;
import dev.vigil.operator.common.ReadyCondition;
import dev.vigil.operator.common.StatusCarry;
import dev.vigil.operator.common.StatusUpdates;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Makes a LogSource so: the AWS side ({@link AwsProvisioning}) with the LogSource's own
 * credentials, then its ingester Deployment, scaled from the queue's depth ({@link
 * ReplicaPlanner}). Each piece has its condition (QueueReady, NotificationsReady,
 * SubscriptionsReady, IngesterReady, and AccountsReady across the organization); Ready is all of
 * them. Re-runs every scale interval (and discovery interval for CloudWatch Logs), so new log
 * groups get subscribed and drift is repaired — each repair a DriftRepaired Event ({@link
 * DriftRepairs}). Nothing is provisioned until the LogSource's OpenSearchConnection exists (it is
 * watched, so its creation resumes the LogSource at once). With deletionPolicy Delete the finalizer
 * removes only what Vigil created.
 */
@ControllerConfiguration(name = "logsource")
public class LogSourceReconciler implements Reconciler<LogSource>, Cleaner<LogSource> {
  private static final Logger LOG = Logger.getLogger(LogSourceReconciler.class);
  static final String QUEUE_READY = "QueueReady";
  static final String NOTIFICATIONS_READY = "NotificationsReady";
  static final String SUBSCRIPTIONS_READY = "SubscriptionsReady";
  static final String INGESTER_READY = "IngesterReady";
  static final String ACCOUNTS_READY = "AccountsReady";
  // Informational: stale account names do not stop ingestion, so this one never makes Ready False.
  static final String ACCOUNT_NAMES_READY = "AccountNamesReady";
  static final String CONNECTION_NOT_FOUND = "ConnectionNotFound";

  private final KubernetesClient client;
  private final MeterRegistry metrics;
  private final OperatorConfig config;
  private final StatusUpdates statusUpdates;

  /** Items named in a condition message at most (accounts, log groups): messages stay short. */
  private static final int MESSAGE_ITEMS = 10;

  private final AccountTransitions accountTransitions = new AccountTransitions();
  private final KubeEvents events;
  private final DriftRepairs drift;
  private final Conditions conditions;
  private final ReadyCondition readiness;
  private final Clock clock;
  private final Backoff backoff;
  private final IngesterDeployments deployments;
  private final Map<String, AwsClients> clients = new ConcurrentHashMap<>();
  private final Map<String, ReplicaPlanner> planners = new ConcurrentHashMap<>();
  private final MemberAccounts members;
  private final AccountDirectories accountDirectories;

  private final Leadership leadership;

  @Inject
  public LogSourceReconciler(
      Leadership leadership,
      KubernetesClient client,
      MeterRegistry metrics,
      OperatorConfig config) {
    this.leadership = leadership;
    this.client = client;
    this.metrics = metrics;
    this.config = config;
    this.clock = Clock.systemUTC();
    this.statusUpdates = new StatusUpdates(metrics);
    this.events = new KubeEvents(client, clock);
    this.drift = new DriftRepairs(events, metrics);
    this.conditions = new Conditions(clock);
    this.readiness = new ReadyCondition(conditions, events);
    this.backoff = new Backoff(config.retryInitialDelay(), config.retryMaxDelay());
    this.deployments = new IngesterDeployments(client, config.ingesters());
    this.members =
        new MemberAccounts(
            this::clientsForRole,
            config.organization().concurrency(),
            new SubscriptionMemory(config.organization().fullCheckInterval(), clock::instant));
    this.accountDirectories =
        new AccountDirectories(
            client, metrics, config.organization().accountsRefreshInterval(), clock::instant);
  }

  /** The LogSource's OpenSearchConnection is watched: one that appears resumes its LogSources. */
  @Override
  public List<EventSource<?, LogSource>> prepareEventSources(
      EventSourceContext<LogSource> context) {
    return List.of(
        ConnectionWatch.of(context, LogSource.class, LogSourceReconciler::connectionName));
  }

  private static String connectionName(LogSource source) {
    return source.getSpec() == null || source.getSpec().connectionRef == null
        ? "default"
        : source.getSpec().connectionRef.name;
  }

  @Override
  public UpdateControl<LogSource> reconcile(LogSource source, Context<LogSource> context) {
    if (leadership.isPaused()) {
      return UpdateControl.noUpdate();
    }
    String uid = source.getMetadata().getUid();
    LogSourceStatus previous = source.getStatus();
    Long generation = source.getMetadata().getGeneration();
    LogSourceStatus status = StatusCarry.from(previous, LogSourceStatus::new, generation);
    // Observed afresh by every pass: a step that fails leaves its fields empty, not stale.
    status.queueUrl = null;
    status.deadLetterQueueUrl = null;
    status.identity = null;
    status.subscribedLogGroups = null;
    status.lagSeconds = null;
    status.replicas = null;
    status.memberAccounts = null;
    Duration next = recheck(source.getSpec());
    try {
      AwsProvisioning.validate(source.getSpec());
      Optional<OpenSearchConnection> connection =
          context.getSecondaryResource(OpenSearchConnection.class);
      if (connection.isEmpty()) {
        // Nothing in AWS before the events have somewhere to go: the watch resumes it.
        readiness.set(
            source,
            status,
            false,
            CONNECTION_NOT_FOUND,
            "OpenSearchConnection '"
                + connectionName(source)
                + "' does not exist in namespace "
                + source.getMetadata().getNamespace()
                + "; nothing is provisioned until it does");
        return statusUpdates.apply(source, status);
      }
      AwsClients aws = clients(source.getSpec());
      status.identity = aws.identity();
      AwsProvisioning.Provisioned done = AwsProvisioning.apply(source, aws);
      reportDrift(source, previous, done.writes());
      if (done.queue() == null) {
        if (previous != null && previous.queueUrl != null) {
          // Switched from SQS: kept in the status until the queue is gone, so a failure retries.
          status.queueUrl = previous.queueUrl;
          AwsProvisioning.stopQueueDelivery(source, aws);
          status.queueUrl = null;
          events.normal(
              source,
              "QueueRemoved",
              "notifications.mode Scan: the bucket no longer notifies "
                  + previous.queueUrl
                  + "; Vigil's own queues are deleted (an adopted queue is kept)");
        }
        ScanMode.conditions(conditions, status, source.getSpec(), generation);
      } else {
        status.queueUrl = done.queue().url();
        status.deadLetterQueueUrl = done.queue().deadLetterUrl();
        conditions.set(
            status.conditions, QUEUE_READY, true, "Provisioned", done.queue().url(), generation);
        conditions.set(
            status.conditions,
            NOTIFICATIONS_READY,
            done.notificationConflict() == null,
            done.notificationConflict() == null ? "Configured" : "OverlappingNotification",
            done.notificationConflict() == null
                ? "s3://" + source.getSpec().s3.bucket + " announces new objects to the queue"
                : done.notificationConflict(),
            generation);
      }
      if (done.account() != null) {
        status.conditions.removeIf(c -> c.getType().equals(ACCOUNTS_READY));
        AwsProvisioning.AccountPieces pieces = done.account();
        subscriptions(
            status,
            pieces.subscriptions(),
            new MemberAccounts.AccountLevel(
                pieces.accountPolicy() ? 1 : 0,
                pieces.perGroupBecause() == null ? List.of() : List.of(pieces.perGroupBecause())),
            generation);
      } else {
        organization(source, status, generation);
      }
      accountDirectory(source, status, generation);
      ingester(source, connection.get(), aws, done.queue(), status, generation);
      backoff.succeeded(uid);
    } catch (InvalidSpecException e) {
      readiness.set(source, status, false, "InvalidSpec", e.getMessage());
      return statusUpdates.apply(source, status);
    } catch (SdkException e) {
      String message = "AWS: " + AwsErrors.describe(e);
      readiness.set(source, status, false, "AwsError", message);
      next = backoff.failed(uid);
      return statusUpdates.apply(source, status).rescheduleAfter(next);
    }
    boolean ready =
        status.conditions.stream()
            .filter(LogSourceReconciler::decidesReady)
            .allMatch(c -> Conditions.TRUE.equals(c.getStatus()));
    String notReady =
        status.conditions.stream()
            .filter(LogSourceReconciler::decidesReady)
            .filter(c -> !Conditions.TRUE.equals(c.getStatus()))
            .map(c -> c.getType() + ": " + c.getMessage())
            .findFirst()
            .orElse("");
    readiness.set(
        source,
        status,
        ready,
        ready ? "Ingesting" : "NotReady",
        ready ? "queue, notifications and ingesters in place" : notReady);
    return statusUpdates.apply(source, status).rescheduleAfter(next);
  }

  /**
   * SubscriptionsReady: the groups subscribed per group; with {@code subscriptionLevel: Account},
   * the accounts Vigil's policy covers and those subscribed per group instead, with why.
   */
  private void subscriptions(
      LogSourceStatus status,
      LogGroupSubscriptions.Result result,
      MemberAccounts.AccountLevel accountLevel,
      Long generation) {
    if (result == null) {
      conditions.set(
          status.conditions,
          SUBSCRIPTIONS_READY,
          true,
          "NotApplicable",
          "no log groups",
          generation);
      return;
    }
    status.subscribedLogGroups = result.subscribed().size();
    boolean all = result.skipped().isEmpty();
    conditions.set(
        status.conditions,
        SUBSCRIPTIONS_READY,
        all,
        all ? "Subscribed" : "SubscriptionLimit",
        (all
                ? result.subscribed().size() + " log groups subscribed"
                : "not subscribed (AWS allows 2 subscription filters per group): "
                    + MemberAccounts.joinCapped(result.skipped(), MESSAGE_ITEMS))
            + (accountLevel.policies() == 0
                ? ""
                : "; account-level subscription policy in "
                    + accountLevel.policies()
                    + (accountLevel.policies() == 1 ? " account" : " accounts"))
            + (accountLevel.perGroup().isEmpty()
                ? ""
                : "; per-group filters instead of the account-level policy: "
                    + MemberAccounts.joinCapped(accountLevel.perGroup(), MESSAGE_ITEMS)),
        generation);
  }

  /** allOrganizationAccounts: the account pieces in every member account, one result each. */
  private void organization(LogSource source, LogSourceStatus status, Long generation) {
    MemberAccounts.Rollout rollout = members.apply(source, organizationClients(source.getSpec()));
    status.memberAccounts = MemberAccounts.summary(rollout.accounts());
    AccountTransitions.Changes changes =
        accountTransitions.pass(source.getMetadata().getUid(), rollout.accounts());
    for (var account : changes.notReady()) {
      events.warning(
          source, "AccountNotReady", "account " + account.accountId + ": " + account.message);
    }
    for (String account : changes.recovered()) {
      events.normal(source, "AccountReady", "account " + account + ": provisioned");
    }
    List<String> failed = rollout.failed();
    conditions.set(
        status.conditions,
        ACCOUNTS_READY,
        failed.isEmpty(),
        failed.isEmpty() ? "Provisioned" : "AccountFailed",
        failed.isEmpty()
            ? rollout.accounts().size() + " member accounts provisioned"
            : failed.size()
                + " of "
                + rollout.accounts().size()
                + " member accounts failed: "
                + MemberAccounts.joinCapped(failed, MESSAGE_ITEMS),
        generation);
    subscriptions(status, rollout.subscriptions(), rollout.accountLevel(), generation);
  }

  private static boolean decidesReady(Condition condition) {
    return !condition.getType().equals(Conditions.READY)
        && !condition.getType().equals(ACCOUNT_NAMES_READY);
  }

  /**
   * The namespace's account directory, read from Organizations when due; a failed read is a Warning
   * Event and a False {@link #ACCOUNT_NAMES_READY} (documents keep the last names), never a failed
   * pass nor a LogSource that is not Ready.
   */
  private void accountDirectory(LogSource source, LogSourceStatus status, long generation) {
    if (!AccountDirectories.reads(source.getSpec())) {
      status.conditions.removeIf(c -> c.getType().equals(ACCOUNT_NAMES_READY));
      return;
    }
    AccountDirectories.Read read = accountDirectories.apply(source, this::organizationClients);
    String names =
        read.directory() == null
            ? "documents carry no account names yet"
            : read.directory().size()
                + " accounts in ConfigMap "
                + AccountDirectory.CONFIG_MAP
                + ", read from AWS Organizations at "
                + read.directory().refreshedAt();
    if (read.failure() != null) {
      events.warning(
          source, "AccountDirectoryFailed", "account names not refreshed: " + read.failure());
    }
    conditions.set(
        status.conditions,
        ACCOUNT_NAMES_READY,
        read.failure() == null,
        read.failure() == null ? "Read" : "ReadFailed",
        read.failure() == null ? names : read.failure() + "; " + names,
        generation);
  }

  /**
   * Writes to a piece whose condition was True at this generation are drift repairs: it was in
   * place, and something outside Vigil changed it since. (A first write, or one after a spec
   * change, is not.)
   */
  private void reportDrift(
      LogSource source, LogSourceStatus previous, List<AwsProvisioning.Write> writes) {
    for (AwsProvisioning.Write write : writes) {
      String condition =
          write.piece().equals("bucket-notification") ? NOTIFICATIONS_READY : QUEUE_READY;
      boolean wasInPlace =
          previous != null
              && Conditions.find(previous.conditions, condition)
                  .filter(c -> Conditions.TRUE.equals(c.getStatus()))
                  .filter(
                      c ->
                          java.util.Objects.equals(
                              c.getObservedGeneration(), source.getMetadata().getGeneration()))
                  .isPresent();
      if (wasInPlace) {
        drift.repaired(source, write.piece(), write.detail());
      }
    }
  }

  private void ingester(
      LogSource source,
      OpenSearchConnection connection,
      AwsClients aws,
      QueueProvisioner.Queue queue,
      LogSourceStatus status,
      Long generation) {
    String connectionName = connectionName(source);
    LogSourceSpec.Ingester settings =
        source.getSpec().ingester == null
            ? new LogSourceSpec.Ingester()
            : source.getSpec().ingester;
    IngesterDeployments.Observed observed = deployments.observe(source);
    int current = observed == null ? settings.minReplicas : observed.desired();
    Instant now = clock.instant();
    ReplicaPlanner.QueueDepth depth =
        queue == null
            ? null
            : new QueueProvisioner(aws.sqs)
                .depth(queue.url(), new QueueAge(aws.cloudWatch).oldest(queueName(queue), now));
    ReplicaPlanner.Plan plan =
        queue == null
            ? ScanMode.PLAN
            : planners
                .computeIfAbsent(
                    source.getMetadata().getUid(),
                    uid -> new ReplicaPlanner(config.ingesters().scaleDownWindow()))
                .plan(
                    depth,
                    current,
                    settings.minReplicas,
                    settings.maxReplicas,
                    settings.messagesPerReplica,
                    Duration.ofSeconds(settings.targetLagSeconds),
                    now);
    if (observed != null && plan.replicas() != current) {
      LOG.infof(
          "LogSource %s/%s: ingester replicas %d -> %d (%s)",
          source.getMetadata().getNamespace(),
          source.getMetadata().getName(),
          current,
          plan.replicas(),
          plan.reason());
      events.normal(source, "Scaled", current + " -> " + plan.replicas() + ": " + plan.reason());
      status.lastScaleDecision =
          now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
              + " "
              + current
              + " -> "
              + plan.replicas()
              + ": "
              + plan.reason();
    }
    status.replicas = plan.replicas();
    status.lagSeconds =
        queue == null
            ? ScanMode.lagSeconds(aws.s3, source, now)
            : depth.oldestAge() == null ? null : depth.oldestAge().toSeconds();
    String streamRules =
        IngesterWorkload.streamRules(
            builtInRules(source, connectionName), source.getSpec().logType.name());
    deployments.apply(
        source,
        connection,
        IngesterWorkload.properties(
            source,
            connection,
            queue == null ? null : queue.url(),
            aws.region().id(),
            config.aws(),
            !streamRules.isEmpty()),
        streamRules,
        plan.replicas());
    int ready = observed == null ? 0 : observed.ready();
    boolean enough = ready >= Math.min(1, plan.replicas());
    conditions.set(
        status.conditions,
        INGESTER_READY,
        enough,
        enough ? "Running" : "PodsNotReady",
        ready + "/" + plan.replicas() + " ingester pods ready",
        generation);
  }

  /** The namespace's DetectionRules the built-in engine runs on this LogSource's connection. */
  private List<DetectionRule> builtInRules(LogSource source, String connectionName) {
    return client
        .resources(DetectionRule.class)
        .inNamespace(source.getMetadata().getNamespace())
        .list()
        .getItems()
        .stream()
        .filter(
            r ->
                connectionName.equals(
                    r.getSpec().connectionRef == null ? "default" : r.getSpec().connectionRef.name))
        .filter(r -> r.getSpec().engine != DetectionRuleSpec.Engine.Alerting)
        .filter(r -> r.getStatus() == null || !"Alerting".equals(r.getStatus().executor))
        .toList();
  }

  @Override
  public DeleteControl cleanup(LogSource source, Context<LogSource> context) {
    if (leadership.isPaused()) {
      return DeleteControl.noFinalizerRemoval();
    }
    accountTransitions.forget(source.getMetadata().getUid());
    members.forget(source.getMetadata().getUid());
    try {
      accountDirectories.forget(source, this::organizationClients);
      return ExternalCleanup.apply(
          source.getSpec().deletionPolicy,
          () -> {
            if (AwsProvisioning.allOrganizationAccounts(source.getSpec())) {
              members.remove(source, organizationClients(source.getSpec()));
            }
            AwsProvisioning.remove(source, clients(source.getSpec()));
          });
    } catch (Exception e) {
      String message = e instanceof SdkException sdk ? AwsErrors.describe(sdk) : e.getMessage();
      events.warning(source, "CleanupFailed", message);
      return DeleteControl.noFinalizerRemoval()
          .rescheduleAfter(backoff.failed(source.getMetadata().getUid()));
    } finally {
      planners.remove(source.getMetadata().getUid());
    }
  }

  /** The scale interval, or the log-group discovery interval when that is shorter. */
  private Duration recheck(LogSourceSpec spec) {
    Duration next = config.ingesters().scaleInterval();
    if (spec.cloudWatchLogs != null) {
      try {
        Duration fallback = next;
        Duration discovery =
            InvalidSpecException.reading(
                () ->
                    Durations.parse(
                        spec.cloudWatchLogs.discoveryInterval, "discoveryInterval", fallback));
        if (discovery.compareTo(next) < 0) {
          next = discovery;
        }
      } catch (InvalidSpecException e) {
        // the schema's pattern prevents this; keep the scale interval
      }
    }
    return next;
  }

  private AwsClients clients(LogSourceSpec spec) {
    return clientsForRole(spec, spec.aws == null ? null : spec.aws.roleArn);
  }

  /** Clients that list the organization's accounts. */
  private AwsClients organizationClients(LogSourceSpec spec) {
    return clientsForRole(spec, spec.aws.organizationRoleArn);
  }

  /** Clients in the LogSource's region running as this role (null: the operator's identity). */
  private AwsClients clientsForRole(LogSourceSpec spec, String role) {
    String region =
        spec.aws != null && spec.aws.region != null
            ? spec.aws.region
            : config.aws().region().orElse(null);
    String externalId = spec.aws == null ? null : spec.aws.externalId;
    return clients.computeIfAbsent(
        region + "|" + role + "|" + externalId,
        key ->
            new AwsClients(
                region == null
                    ? new software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain()
                        .getRegion()
                    : software.amazon.awssdk.regions.Region.of(region),
                config.aws().endpointOverride().map(java.net.URI::create),
                config.aws().s3PathStyle(),
                role,
                externalId,
                AwsCallLimits.of(config.aws()),
                metrics));
  }

  private static String queueName(QueueProvisioner.Queue queue) {
    return queue.arn().substring(queue.arn().lastIndexOf(':') + 1);
  }
}

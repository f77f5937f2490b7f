package dev.vigil.operator;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** The operator's settings ({@code vigil.operator.*}), validated at start-up. */
@ConfigMapping(prefix = "vigil.operator")
public interface OperatorConfig {
  /** How often a Ready connection is checked again (version, health, plugins). */
  @WithDefault("60s")
  Duration connectionCheckInterval();

  /** First retry delay after a failure talking to an external system; doubles per failure. */
  @WithDefault("5s")
  Duration retryInitialDelay();

  /**
   * How often a synced Dashboard is compared with what OpenSearch Dashboards holds (objects edited
   * or deleted by hand are restored at this pace).
   */
  @WithDefault("5m")
  Duration dashboardResyncInterval();

  /**
   * How often a DetectionRule's Alerting monitor (and its channels) is compared with the plugin's
   * (monitors edited or deleted by hand are repaired at this pace).
   */
  @WithDefault("5m")
  Duration monitorResyncInterval();

  /**
   * How often a running LogReplay's checkpoint is read for its progress (its Job's changes are
   * watched, not polled).
   */
  @WithDefault("15s")
  Duration replayProgressInterval();

  /** Longest retry delay. */
  @WithDefault("5m")
  Duration retryMaxDelay();

  /** How the operator reaches AWS for LogSources. */
  Aws aws();

  /** LogSources with {@code aws.allOrganizationAccounts}. */
  Organization organization();

  interface Organization {
    /**
     * Member accounts provisioned at the same time in one pass: a pass over N accounts takes about
     * N / concurrency account latencies. AWS throttles per account (CloudWatch Logs, Firehose,
     * EventBridge) and per caller (STS AssumeRole), so a higher value mostly costs STS throttling
     * retries in the operator's account.
     */
    @WithDefault("8")
    int concurrency();

    /**
     * How often a pass over the member accounts re-reads every log group's subscription filters
     * (and the Firehose stream), repairing filters deleted or changed by hand. Between these full
     * passes an account costs one listing of its log groups, and only groups not seen before are
     * described and subscribed. Also after an operator restart and a change of the LogSource's
     * subscription settings. 0 makes every pass a full one.
     */
    @WithDefault("1h")
    Duration fullCheckInterval();

    /**
     * How often the account directory (names, OU paths, tags from AWS Organizations, the ConfigMap
     * {@code vigil-accounts} ingesters enrich documents from) is read again; about 2 calls per
     * organizational unit and 1 per account each time. A failed read is retried on the next pass.
     */
    @WithDefault("1h")
    Duration accountsRefreshInterval();
  }

  /** The lease that picks the one replica running reconcilers (prod profile). */
  LeaderElection leaderElection();

  /**
   * Liveness fails when the operator has not started (its informers watching) this long after the
   * process started — e.g. the API server was unreachable at start and the start gave up, which the
   * operator never retries on its own: the kubelet restarts the pod instead.
   */
  @WithDefault("3m")
  Duration startTimeout();

  interface LeaderElection {
    /** How long a lease holds without renewal before another replica may take it. */
    @WithDefault("15s")
    Duration leaseDuration();

    /**
     * The leader gives up leading when it could not renew for this long (shorter than the lease, so
     * it stops reconciling before anyone else may start).
     */
    @WithDefault("10s")
    Duration renewDeadline();

    /** Pause between attempts to acquire or renew the lease. */
    @WithDefault("2s")
    Duration retryPeriod();
  }

  /** The ingester workloads the operator runs for LogSources. */
  Ingesters ingesters();

  interface Aws {
    /** Region used when a LogSource names none; absent: the SDK's default chain decides. */
    Optional<String> region();

    /**
     * One endpoint for every AWS service (VPC endpoints proxy, or a local emulator); also passed to
     * the ingesters.
     */
    Optional<String> endpointOverride();

    /** Path-style S3 addressing (emulators on an IP address need it). */
    @WithDefault("false")
    boolean s3PathStyle();

    /**
     * Longest time one AWS call may take, retries included: a hung endpoint fails the reconcile
     * with the call's name (e.g. {@code sts:AssumeRole timed out after 30 s}) instead of holding
     * it.
     */
    @WithDefault("30s")
    Duration apiCallTimeout();

    /** Longest time one attempt of an AWS call may take before the SDK tries again. */
    @WithDefault("10s")
    Duration apiCallAttemptTimeout();
  }

  interface Ingesters {
    /**
     * Image of the ingester pods when a LogSource names none. Its default is the ingester image of
     * the same build (the pom's {@code vigil.ingester.image}, written into application.properties
     * by Maven); deployments set it with {@code VIGIL_OPERATOR_INGESTERS_IMAGE}.
     */
    String image();

    /** Service account of the ingester pods (IRSA: annotate it with the ingester's role). */
    @WithDefault("vigil-ingester")
    String serviceAccount();

    /** How often queue depth is read and the replica count reconsidered. */
    @WithDefault("30s")
    Duration scaleInterval();

    /** A lower replica count must be wanted this long before the Deployment scales in. */
    @WithDefault("5m")
    Duration scaleDownWindow();

    /**
     * A Secret in the LogSource's namespace whose keys become the ingester pods' environment (e.g.
     * {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY}), for clusters where pods get no AWS
     * identity of their own (no IRSA, no EKS Pod Identity): kind, on-premises, the demo.
     */
    Optional<String> awsCredentialsSecret();
  }

  /** Threads running built-in engine rules (each run is a search and a small bulk write). */
  @WithDefault("2")
  int detectionThreads();

  /**
   * A rule's status is written when a run's result or active alert count changes, and otherwise at
   * most this often (to refresh {@code lastRunTime}), so steady rules cost few API writes.
   */
  @WithDefault("15m")
  Duration detectionStatusRefresh();

  /**
   * Every-match rules look back their interval plus this, so events that reach OpenSearch late
   * (CloudTrail delivers within about 15 minutes) still alert; deterministic alert ids keep the
   * overlap from raising anything twice.
   */
  @WithDefault("15m")
  Duration detectionLateArrival();

  /** Attempts per notification delivery (first try included) before it counts as failed. */
  @WithDefault("4")
  int deliveryAttempts();

  /** First delay between delivery attempts; doubles per attempt, capped by retryMaxDelay. */
  @WithDefault("2s")
  Duration deliveryRetryDelay();

  /**
   * How often a SnapshotPolicy is looked at between scheduled runs (retention, hot retention,
   * restores, drift of the repository or plugin policies).
   */
  @WithDefault("5m")
  Duration snapshotCheckInterval();

  /** A scheduled snapshot later than this is reported overdue. */
  @WithDefault("1h")
  Duration snapshotOverdueGrace();

  /** How often the Ready state of every Vigil resource is read into metrics. */
  @WithDefault("30s")
  Duration statusMetricsInterval();
}

package dev.vigil.operator.detection;

import dev.vigil.core.retry.Backoff;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The built-in engine's one schedule: each registered rule runs every {@code interval} on a small
 * thread pool. Rules are registered only by the DetectionRule reconciler, and reconcilers run only
 * on the leader when leader election is on — so exactly one replica runs the schedule.
 * Re-registering an unchanged interval swaps the rule in place (the next run uses it) without
 * moving its timer.
 *
 * <p>Each rule has exactly one pending run: a run plans the next one when it ends — after {@code
 * interval} when it succeeded, after the rule's backoff delay (capped exponential with jitter,
 * never later than {@code interval}) when it failed. (A fixed-rate timer plus a retry per failure
 * stacked a new retry chain on every interval while a cluster was down: runs came faster the longer
 * it stayed down.) The log says when a rule starts failing, when its error changes and when it
 * recovers — not every attempt; metrics count the rules backing off.
 *
 * <p>After each run the outcome is kept for the reconciler to copy into status; {@code
 * onOutcomeChanged} is told when the result or the active alert count changed, or when the
 * published run time is older than the status refresh period, so steady rules cost few writes.
 */
public final class DetectionScheduler implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(DetectionScheduler.class);

  private static final Duration MAX_FIRST_RUN_JITTER = Duration.ofMillis(250);

  private final RuleRunner engine;
  private final Duration maxFirstRunJitter;
  private final ScheduledExecutorService executor;
  private final Duration statusRefresh;
  private final MeterRegistry metrics;
  private final Backoff retries;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private boolean paused;
  private volatile Consumer<ScheduledRule> onOutcomeChanged = rule -> {};

  private static final class Entry {
    final AtomicBoolean running = new AtomicBoolean();
    // Set by unschedule. (Not "is this still the map's entry": a first run can start before the
    // map's compute that scheduled it has returned, and would then see no entry and skip itself.)
    volatile boolean removed;
    volatile ScheduledRule rule;
    // The one pending run; replaced under the entry's lock.
    ScheduledFuture<?> next;
    volatile RunOutcome outcome;
    volatile RunOutcome published;
    // The last failed run's result while failing (null while runs succeed): logs state changes.
    volatile String failing;
  }

  public DetectionScheduler(
      RuleRunner engine,
      int threads,
      Duration statusRefresh,
      Backoff retries,
      MeterRegistry metrics) {
    this(engine, threads, statusRefresh, retries, metrics, MAX_FIRST_RUN_JITTER);
  }

  DetectionScheduler(
      RuleRunner engine,
      int threads,
      Duration statusRefresh,
      Backoff retries,
      MeterRegistry metrics,
      Duration maxFirstRunJitter) {
    this.engine = engine;
    this.maxFirstRunJitter = maxFirstRunJitter;
    this.retries = retries;
    this.statusRefresh = statusRefresh;
    this.metrics = metrics;
    this.executor =
        Executors.newScheduledThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "vigil-detection");
              t.setDaemon(true);
              return t;
            });
    Gauge.builder(
            "vigil_detection_rules_backing_off",
            entries,
            all -> all.values().stream().filter(e -> e.failing != null).count())
        .description("Built-in engine rules whose last run failed, retried with backoff")
        .register(metrics);
  }

  public void onOutcomeChanged(Consumer<ScheduledRule> listener) {
    this.onOutcomeChanged = listener;
  }

  /**
   * Registers or replaces a rule; the first run follows at once (with a little jitter). Ignored
   * while paused.
   */
  public synchronized void schedule(ScheduledRule rule) {
    if (paused) {
      return;
    }
    entries.compute(
        rule.key(),
        (key, entry) -> {
          if (entry != null && entry.rule.interval().equals(rule.interval())) {
            entry.rule = rule;
            return entry;
          }
          Entry next = entry == null ? new Entry() : entry;
          next.rule = rule;
          long period = rule.interval().toMillis();
          long jitter =
              ThreadLocalRandom.current()
                  .nextLong(Math.min(period / 4, maxFirstRunJitter.toMillis()) + 1);
          plan(next, jitter);
          LOG.infof(
              "DetectionRule %s: scheduled every %s in the built-in engine", key, rule.interval());
          return next;
        });
  }

  public void unschedule(String key) {
    Entry entry = entries.remove(key);
    if (entry != null) {
      entry.removed = true;
      synchronized (entry) {
        entry.next.cancel(false);
      }
      retries.succeeded(key);
      LOG.infof("DetectionRule %s: removed from the built-in engine", key);
    }
  }

  /**
   * Unschedules every rule and schedules none until {@link #resume()}: this replica stopped
   * leading, another one runs the schedule now. Synchronized with {@link #schedule} so that a
   * reconciliation finishing as the lease is lost cannot put its rule back.
   */
  public synchronized void pause() {
    paused = true;
    entries.keySet().forEach(this::unschedule);
  }

  /** Accepts rules again (this replica leads again; its reconcilers schedule every rule anew). */
  public synchronized void resume() {
    paused = false;
  }

  /** Failed runs of the rule since its last good one (0 when it runs well or is not scheduled). */
  public int consecutiveFailures(String key) {
    return retries.failures(key);
  }

  public boolean isScheduled(String key) {
    return entries.containsKey(key);
  }

  public int size() {
    return entries.size();
  }

  /** The last run's outcome, marked as published (the reconciler is about to write it). */
  public Optional<RunOutcome> takeOutcome(String key) {
    Entry entry = entries.get(key);
    if (entry == null || entry.outcome == null) {
      return Optional.empty();
    }
    entry.published = entry.outcome;
    return Optional.of(entry.outcome);
  }

  /** Replaces the entry's pending run by one after {@code delayMillis}. */
  private void plan(Entry entry, long delayMillis) {
    synchronized (entry) {
      if (entry.next != null) {
        entry.next.cancel(false);
      }
      if (!entry.removed && !executor.isShutdown()) {
        entry.next = executor.schedule(() -> runOnce(entry), delayMillis, TimeUnit.MILLISECONDS);
      }
    }
  }

  private void runOnce(Entry entry) {
    // A run planned by a re-registration may meet the run in progress: that one plans the next.
    if (!entry.running.compareAndSet(false, true)) {
      return;
    }
    try {
      Duration next = run(entry);
      if (next != null) {
        plan(entry, next.toMillis());
      }
    } finally {
      entry.running.set(false);
    }
  }

  /** Runs the rule once; returns when to run it next (null: it was unscheduled). */
  private Duration run(Entry entry) {
    ScheduledRule rule = entry.rule;
    if (entry.removed) {
      return null;
    }
    RunOutcome outcome;
    Timer.Sample sample = Timer.start(metrics);
    try {
      outcome = engine.run(rule);
    } catch (RuntimeException e) {
      // Never let one rule's bug end its schedule: report it like a failed run.
      LOG.errorf(e, "DetectionRule %s: run failed", rule.key());
      outcome = new RunOutcome(java.time.Instant.now(), "Error: " + e, null);
    }
    String result =
        outcome.failed()
            ? "error"
            : outcome.result().equals(RunOutcome.TRIGGERED) ? "triggered" : "no_match";
    sample.stop(metrics.timer("vigil_detection_run_seconds", "result", result));
    metrics.counter("vigil_detection_runs_total", "result", result).increment();
    RunOutcome previous = entry.published;
    entry.outcome = outcome;
    Duration next = rule.interval();
    if (outcome.failed()) {
      // Tried again soon, not only at the next interval; never more often than the backoff allows.
      Duration retry = retries.failed(rule.key());
      if (retry.compareTo(next) < 0) {
        next = retry;
      }
      if (!outcome.result().equals(entry.failing)) {
        LOG.warnf(
            "DetectionRule %s: %s — retrying with backoff (next run in %d ms)",
            rule.key(), outcome.result(), next.toMillis());
      }
      entry.failing = outcome.result();
    } else {
      if (entry.failing != null) {
        LOG.infof(
            "DetectionRule %s: runs again after %d failed runs",
            rule.key(), retries.failures(rule.key()));
      }
      entry.failing = null;
      retries.succeeded(rule.key());
    }
    boolean stale =
        previous == null
            || Duration.between(previous.time(), outcome.time()).compareTo(statusRefresh) >= 0;
    if (!entry.removed && (!outcome.sameAs(previous) || stale)) {
      onOutcomeChanged.accept(rule);
    }
    return entry.removed ? null : next;
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}

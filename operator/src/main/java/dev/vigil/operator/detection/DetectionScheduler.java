package dev.vigil.operator.detection;

import dev.vigil.operator.common.Backoff;
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
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The built-in engine's one schedule: each registered rule runs every {@code interval} on a small
 * thread pool. Rules are registered only by the DetectionRule reconciler, and reconcilers run only
 * on the leader when leader election is on — so exactly one replica runs the schedule.
 * Re-registering an unchanged interval swaps the rule in place (the next run uses it) without
 * moving its timer.
 *
 * <p>After each run the outcome is kept for the reconciler to copy into status; {@code
 * onOutcomeChanged} is told when the result or the active alert count changed, or when the
 * published run time is older than the status refresh period, so steady rules cost few writes. A
 * failed run is retried with capped exponential backoff before the next interval comes round.
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
  private volatile Consumer<ScheduledRule> onOutcomeChanged = rule -> {};

  private static final class Entry {
    final java.util.concurrent.atomic.AtomicBoolean running =
        new java.util.concurrent.atomic.AtomicBoolean();
    // Set by unschedule. (Not "is this still the map's entry": a first run can start before the
    // map's compute that scheduled it has returned, and would then see no entry and skip itself.)
    volatile boolean removed;
    volatile ScheduledRule rule;
    volatile ScheduledFuture<?> future;
    volatile RunOutcome outcome;
    volatile RunOutcome published;
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
  }

  public void onOutcomeChanged(Consumer<ScheduledRule> listener) {
    this.onOutcomeChanged = listener;
  }

  /** Registers or replaces a rule; the first run follows at once (with a little jitter). */
  public void schedule(ScheduledRule rule) {
    entries.compute(
        rule.key(),
        (key, entry) -> {
          if (entry != null && entry.rule.interval().equals(rule.interval())) {
            entry.rule = rule;
            return entry;
          }
          Entry next = entry == null ? new Entry() : entry;
          if (entry != null) {
            entry.future.cancel(false);
          }
          next.rule = rule;
          long period = rule.interval().toMillis();
          long jitter =
              ThreadLocalRandom.current()
                  .nextLong(Math.min(period / 4, maxFirstRunJitter.toMillis()) + 1);
          next.future =
              executor.scheduleWithFixedDelay(
                  () -> runOnce(next), jitter, period, TimeUnit.MILLISECONDS);
          LOG.infof(
              "DetectionRule %s: scheduled every %s in the built-in engine", key, rule.interval());
          return next;
        });
  }

  public void unschedule(String key) {
    Entry entry = entries.remove(key);
    if (entry != null) {
      entry.removed = true;
      entry.future.cancel(false);
      LOG.infof("DetectionRule %s: removed from the built-in engine", key);
    }
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

  private void runOnce(Entry entry) {
    // A retry and the timer may meet: one run of a rule at a time.
    if (!entry.running.compareAndSet(false, true)) {
      return;
    }
    try {
      run(entry);
    } finally {
      entry.running.set(false);
    }
  }

  private void run(Entry entry) {
    ScheduledRule rule = entry.rule;
    if (entry.removed) {
      return;
    }
    RunOutcome outcome;
    Timer.Sample sample = Timer.start(metrics);
    try {
      outcome = engine.run(rule);
    } catch (RuntimeException e) {
      // Never let one rule's bug kill its timer: report it like a failed run.
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
    if (outcome.failed() && (previous == null || !previous.failed())) {
      LOG.warnf("DetectionRule %s: %s", rule.key(), outcome.result());
    }
    if (outcome.failed()) {
      // A failed run is tried again soon (capped backoff), not only at the next interval.
      Duration retry = retries.failed(rule.key());
      if (retry.compareTo(rule.interval()) < 0) {
        executor.schedule(() -> runOnce(entry), retry.toMillis(), TimeUnit.MILLISECONDS);
      }
    } else {
      retries.succeeded(rule.key());
    }
    boolean stale =
        previous == null
            || Duration.between(previous.time(), outcome.time()).compareTo(statusRefresh) >= 0;
    if (!entry.removed && (!outcome.sameAs(previous) || stale)) {
      onOutcomeChanged.accept(rule);
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}

package dev.vigil.operator.detection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.core.retry.Backoff;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DetectionSchedulerTest {
  private static final int RULES = 300;

  private final AtomicInteger runs = new AtomicInteger();
  private final RuleRunner runner =
      rule -> {
        runs.incrementAndGet();
        return new RunOutcome(Instant.now(), RunOutcome.NO_MATCH, 0);
      };
  private DetectionScheduler scheduler;

  @AfterEach
  void close() {
    scheduler.close();
  }

  @Test
  void everyRuleGetsItsFirstRunEvenWhenItStartsBeforeSchedulingReturned() {
    // No jitter: each first run starts on a pool thread while schedule() may still be inside the
    // map's compute. Such a run once saw no entry yet, took itself for unscheduled and skipped,
    // leaving its rule "Scheduled" for a whole interval (1 or 2 rules of 1,000 in CI).
    scheduler = scheduler(Duration.ZERO);
    Set<String> told = ConcurrentHashMap.newKeySet();
    scheduler.onOutcomeChanged(rule -> told.add(rule.key()));
    IntStream.range(0, RULES).forEach(i -> scheduler.schedule(rule("rule-" + i)));

    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                IntStream.range(0, RULES)
                    .allMatch(i -> scheduler.takeOutcome("ns/rule-" + i).isPresent()));
    assertThat(told).hasSize(RULES);
    assertThat(runs).hasValue(RULES); // one run each: the interval is an hour
  }

  @Test
  void aRunThatEndsAfterItsRuleWasUnscheduledIsNotReported() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    scheduler =
        new DetectionScheduler(
            rule -> {
              started.countDown();
              try {
                release.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return new RunOutcome(Instant.now(), RunOutcome.NO_MATCH, 0);
            },
            1,
            Duration.ofMinutes(10),
            new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(10)),
            new SimpleMeterRegistry(),
            Duration.ZERO);
    Set<String> told = ConcurrentHashMap.newKeySet();
    scheduler.onOutcomeChanged(rule -> told.add(rule.key()));
    scheduler.schedule(rule("gone"));
    assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
    scheduler.unschedule("ns/gone");
    release.countDown();

    // Its run finishes, but nobody is woken for a rule that no longer exists.
    scheduler.schedule(rule("next")); // one thread: runs once "gone"'s run is over
    await().atMost(Duration.ofSeconds(30)).until(() -> told.contains("ns/next"));
    assertThat(scheduler.isScheduled("ns/gone")).isFalse();
    assertThat(told).containsExactly("ns/next");
  }

  @Test
  void aPausedScheduleHoldsNothingUntilResumed() {
    scheduler = scheduler(Duration.ZERO);
    scheduler.schedule(rule("before"));

    scheduler.pause();
    assertThat(scheduler.size()).isZero();
    scheduler.schedule(rule("while-paused"));
    assertThat(scheduler.isScheduled("ns/while-paused")).isFalse();

    scheduler.resume();
    scheduler.schedule(rule("after"));
    assertThat(scheduler.isScheduled("ns/after")).isTrue();
  }

  private DetectionScheduler scheduler(Duration jitter) {
    return new DetectionScheduler(
        runner,
        2,
        Duration.ofMinutes(10),
        new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(10)),
        new SimpleMeterRegistry(),
        jitter);
  }

  private static ScheduledRule rule(String name) {
    return new ScheduledRule(
        "ns", name, null, null, Duration.ofHours(1), null, List.of(), Set.of());
  }
}

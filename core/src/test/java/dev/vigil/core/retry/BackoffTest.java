package dev.vigil.core.retry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.retry.Backoff.Jitter;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void delayDoublesWithJitterAndNeverExceedsTheCap() {
    Backoff backoff =
        new Backoff(
            Duration.ofMillis(100), Duration.ofSeconds(5), Jitter.EQUAL, new SplittableRandom(1));

    for (int attempt = 0; attempt < 50; attempt++) {
      long ceiling = Math.min(5000, 100L << Math.min(attempt, 20));
      long delay = backoff.delay(attempt).toMillis();
      assertThat(delay).isBetween(ceiling / 2, ceiling);
    }
  }

  @Test
  void jitterSpreadsRetriesOfTheSameAttempt() {
    Backoff backoff =
        new Backoff(
            Duration.ofMillis(100), Duration.ofSeconds(30), Jitter.EQUAL, new SplittableRandom(2));

    long distinct =
        IntStream.range(0, 20).mapToLong(i -> backoff.delay(6).toMillis()).distinct().count();

    assertThat(distinct).isGreaterThan(10);
  }

  @Test
  void delayDoublesPerFailureWithinJitterAndIsCapped() {
    Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(10));
    assertThat(backoff.failed("a")).isBetween(Duration.ofMillis(1000), Duration.ofMillis(1200));
    assertThat(backoff.failed("a")).isBetween(Duration.ofMillis(2000), Duration.ofMillis(2400));
    assertThat(backoff.failed("a")).isBetween(Duration.ofMillis(4000), Duration.ofMillis(4800));
    for (int i = 0; i < 40; i++) {
      assertThat(backoff.failed("a")).isLessThanOrEqualTo(Duration.ofSeconds(10));
    }
    assertThat(backoff.failed("b")).isLessThanOrEqualTo(Duration.ofMillis(1200)); // per resource
    backoff.succeeded("a");
    assertThat(backoff.failures("a")).isZero();
    assertThat(backoff.failed("a")).isLessThanOrEqualTo(Duration.ofMillis(1200));
  }

  @Test
  void withoutJitterTheDelayIsTheCeilingAndFullJitterStaysUnderIt() {
    // As the queue poll and template installation waited: 500 ms doubled, at most 30 s.
    Backoff exact = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), Jitter.NONE);
    Backoff full =
        new Backoff(
            Duration.ofMillis(100), Duration.ofSeconds(20), Jitter.FULL, new SplittableRandom(3));
    for (int attempt = 0; attempt < 50; attempt++) {
      assertThat(exact.delay(attempt).toMillis())
          .isEqualTo(Math.min(30_000, 500L << Math.min(attempt, 6)));
      assertThat(full.delay(attempt).toMillis())
          .isBetween(0L, Math.min(20_000L, 100L << Math.min(attempt, 10)));
    }
  }
}

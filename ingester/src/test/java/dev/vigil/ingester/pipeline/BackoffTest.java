package dev.vigil.ingester.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void delayDoublesWithJitterAndNeverExceedsTheCap() {
    Backoff backoff =
        new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), new SplittableRandom(1));

    for (int attempt = 0; attempt < 50; attempt++) {
      long ceiling = Math.min(5000, 100L << Math.min(attempt, 20));
      long delay = backoff.delay(attempt).toMillis();
      assertThat(delay).isBetween(ceiling / 2, ceiling);
    }
  }

  @Test
  void jitterSpreadsRetriesOfTheSameAttempt() {
    Backoff backoff =
        new Backoff(Duration.ofMillis(100), Duration.ofSeconds(30), new SplittableRandom(2));

    long distinct =
        IntStream.range(0, 20).mapToLong(i -> backoff.delay(6).toMillis()).distinct().count();

    assertThat(distinct).isGreaterThan(10);
  }
}

package dev.vigil.ingester.pipeline;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Capped exponential backoff with jitter: attempt n waits between half and all of {@code min(max,
 * initial * 2^n)}, so retries of many pods spread out and none waits longer than the cap.
 */
public final class Backoff {
  private final long initialMillis;
  private final long maxMillis;
  private final RandomGenerator random;

  public Backoff(Duration initial, Duration max, RandomGenerator random) {
    this.initialMillis = Math.max(1, initial.toMillis());
    this.maxMillis = Math.max(initialMillis, max.toMillis());
    this.random = random;
  }

  public Duration delay(int attempt) {
    double ceiling = Math.min(maxMillis, initialMillis * Math.pow(2, Math.min(attempt, 40)));
    double half = ceiling / 2;
    return Duration.ofMillis(Math.round(half + random.nextDouble() * half));
  }
}

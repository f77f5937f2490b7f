package dev.vigil.core.retry;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * Capped exponential backoff: retry {@code n} (counted from 0) waits about {@code min(max, initial
 * * 2^n)} — its ceiling — spread by a {@link Jitter} so that the retries of many pods or resources
 * do not go at once. Counted by the caller ({@link #delay}) or here, per key ({@link #failed}: a
 * resource's failures since its last success, kept in memory only).
 */
public final class Backoff {
  /** How a delay is drawn around its ceiling. */
  public enum Jitter {
    /** Exactly the ceiling. */
    NONE,
    /** Anywhere from zero to the ceiling ("full jitter"). */
    FULL,
    /** From half the ceiling to all of it ("equal jitter"). */
    EQUAL,
    /** The ceiling plus up to a fifth of it, never past {@code max}: never sooner than doubling. */
    ADDED_FIFTH
  }

  private final long initialMillis;
  private final long maxMillis;
  private final Jitter jitter;
  private final RandomGenerator random;
  private final Map<String, Integer> failures = new ConcurrentHashMap<>();

  /** Per-resource retries: {@link Jitter#ADDED_FIFTH}. */
  public Backoff(Duration initial, Duration max) {
    this(initial, max, Jitter.ADDED_FIFTH);
  }

  public Backoff(Duration initial, Duration max, Jitter jitter) {
    this(initial, max, jitter, null);
  }

  /**
   * @param random where jitter comes from; null for the calling thread's {@link ThreadLocalRandom}
   */
  public Backoff(Duration initial, Duration max, Jitter jitter, RandomGenerator random) {
    this.initialMillis = Math.max(1, initial.toMillis());
    this.maxMillis = Math.max(initialMillis, max.toMillis());
    this.jitter = jitter;
    this.random = random;
  }

  /** The delay before retry {@code attempt} (0 for the first retry). */
  public Duration delay(int attempt) {
    long ceiling = ceilingMillis(attempt);
    RandomGenerator r = random != null ? random : ThreadLocalRandom.current();
    long millis =
        switch (jitter) {
          case NONE -> ceiling;
          case FULL -> r.nextLong(ceiling + 1);
          case EQUAL -> Math.round(ceiling / 2.0 + r.nextDouble() * (ceiling / 2.0));
          case ADDED_FIFTH -> Math.min(ceiling + r.nextLong(ceiling / 5 + 1), maxMillis);
        };
    return Duration.ofMillis(millis);
  }

  private long ceilingMillis(int attempt) {
    return (long) Math.min(maxMillis, initialMillis * Math.pow(2, Math.min(attempt, 40)));
  }

  /** Records a failure of {@code key} and returns how long to wait before its next attempt. */
  public Duration failed(String key) {
    return delay(failures.merge(key, 1, Integer::sum) - 1);
  }

  /** {@code key} succeeded: its next failure waits {@code initial} again. */
  public void succeeded(String key) {
    failures.remove(key);
  }

  /** Failures of {@code key} since its last success. */
  public int failures(String key) {
    return failures.getOrDefault(key, 0);
  }
}

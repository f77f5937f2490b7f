package dev.vigil.operator.common;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Capped exponential backoff with jitter per resource (by uid), for reconcilers that report a
 * failure in status and ask to be called again rather than throwing. Kept in memory: a restarted
 * operator simply starts over.
 */
public final class Backoff {
  private final Duration initial;
  private final Duration max;
  private final Map<String, Integer> failures = new ConcurrentHashMap<>();

  public Backoff(Duration initial, Duration max) {
    this.initial = initial;
    this.max = max;
  }

  /** Records a failure and returns how long to wait before the next attempt. */
  public Duration failed(String uid) {
    int attempt = failures.merge(uid, 1, Integer::sum);
    long base = initial.toMillis() << Math.min(attempt - 1, 20);
    long capped = Math.min(base, max.toMillis());
    long jitter =
        ThreadLocalRandom.current().nextLong(capped / 5 + 1); // up to +20%, so retries spread out
    return Duration.ofMillis(Math.min(capped + jitter, max.toMillis()));
  }

  public void succeeded(String uid) {
    failures.remove(uid);
  }

  public int failures(String uid) {
    return failures.getOrDefault(uid, 0);
  }
}

package dev.vigil.operator.notify;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The channels the NotificationChannel reconciler has resolved, by {@code namespace/name}, and what
 * their deliveries did since (for status). In memory: a restarted operator re-resolves every
 * channel, and the failure count continues from the one in status.
 */
public final class ChannelRegistry {
  /** Delivery results of one channel. */
  public static final class Stats {
    final AtomicLong failed;
    final AtomicLong delivered = new AtomicLong();
    volatile Instant lastDelivery;
    volatile String lastError;

    Stats(long failedBefore) {
      this.failed = new AtomicLong(failedBefore);
    }

    public long failed() {
      return failed.get();
    }

    public long delivered() {
      return delivered.get();
    }

    public Optional<Instant> lastDelivery() {
      return Optional.ofNullable(lastDelivery);
    }

    /** The error of the last delivery, or null when it succeeded (or none happened). */
    public String lastError() {
      return lastError;
    }
  }

  private final Map<String, ResolvedChannel> targets = new ConcurrentHashMap<>();
  private final Map<String, Stats> stats = new ConcurrentHashMap<>();

  public void put(ResolvedChannel target, long failedBefore) {
    targets.put(target.key(), target);
    stats.computeIfAbsent(target.key(), k -> new Stats(failedBefore));
  }

  public void remove(String key) {
    targets.remove(key);
  }

  public void forget(String key) {
    targets.remove(key);
    stats.remove(key);
  }

  public Optional<ResolvedChannel> get(String key) {
    return Optional.ofNullable(targets.get(key));
  }

  public Optional<Stats> stats(String key) {
    return Optional.ofNullable(stats.get(key));
  }

  void delivered(String key, Instant at) {
    Stats s = stats.get(key);
    if (s != null) {
      s.delivered.incrementAndGet();
      s.lastDelivery = at;
      s.lastError = null;
    }
  }

  void failed(String key, String error) {
    Stats s = stats.get(key);
    if (s != null) {
      s.failed.incrementAndGet();
      s.lastError = error;
    }
  }
}

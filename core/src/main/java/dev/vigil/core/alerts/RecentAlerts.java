package dev.vigil.core.alerts;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The alert keys (rule and key values) the stream raised recently: a match whose key was raised
 * less than {@code remember} ago is not made into an alert again — a burst of matching events costs
 * one alert object and one store lookup, and the match no alert. Thread-safe.
 */
public final class RecentAlerts {
  private final Duration remember;
  private final Runnable onSuppressed;
  private final Map<String, Instant> until = new ConcurrentHashMap<>();
  private volatile Instant nextPurge = Instant.MIN;

  /** {@code onSuppressed} runs for each match left out (for a metric). */
  public RecentAlerts(Duration remember, Runnable onSuppressed) {
    this.remember = remember;
    this.onSuppressed = onSuppressed;
  }

  public RecentAlerts(Duration remember) {
    this(remember, () -> {});
  }

  /** The name of a rule's alert key: namespace/name{field=value, …} (fields sorted). */
  public static String name(AlertRule rule, Map<String, String> key) {
    return rule.namespace() + "/" + rule.name() + new TreeMap<>(key);
  }

  /** The name of an alert's key, as {@link #name(AlertRule, Map)}. */
  public static String name(Alert alert) {
    return alert.rule.namespace + "/" + alert.rule.name + new TreeMap<>(alert.key);
  }

  /**
   * Whether an alert for {@code key} should be made now: true (and the key is held for {@code
   * remember}) unless it is held already.
   */
  public boolean claim(String key, Instant now) {
    purge(now);
    Instant held = until.get(key);
    if (held != null && now.isBefore(held)) {
      onSuppressed.run();
      return false;
    }
    Instant next = now.plus(remember);
    if (held == null ? until.putIfAbsent(key, next) != null : !until.replace(key, held, next)) {
      onSuppressed.run(); // another thread claimed it at the same moment
      return false;
    }
    return true;
  }

  /** Lets the next match of {@code key} make an alert again (its alert was not written). */
  public void forget(String key) {
    until.remove(key);
  }

  private void purge(Instant now) {
    if (now.isAfter(nextPurge)) {
      nextPurge = now.plusSeconds(1);
      until.values().removeIf(t -> !now.isBefore(t));
    }
  }
}

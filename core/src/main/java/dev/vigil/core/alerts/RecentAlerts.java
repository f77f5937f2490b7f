package dev.vigil.core.alerts;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;

/**
 * The alert keys (rule and key values) the stream raised recently: a match whose key was raised
 * less than {@code remember} ago is not made into an alert again — a burst of matching events costs
 * one alert object and one store lookup, and the match no alert. Thread-safe.
 */
public final class RecentAlerts {
  private final long rememberMillis;
  private final Runnable onSuppressed;
  // Each held key is its own entry's value: its hold ends at Key.until (no Instant per entry, one
  // object to reach per lookup).
  private final Map<Key, Key> held = new ConcurrentHashMap<>();
  private volatile long nextPurge = Long.MIN_VALUE;

  /** {@code onSuppressed} runs for each match left out (for a metric). */
  public RecentAlerts(Duration remember, Runnable onSuppressed) {
    this.rememberMillis = remember.toMillis();
    this.onSuppressed = onSuppressed;
  }

  public RecentAlerts(Duration remember) {
    this(remember, () -> {});
  }

  /**
   * A rule's alert key: the rule ({@code namespace/name}) and the key's values in the order of its
   * field names, sorted. Made per match without building a name for it: equal keys have equal
   * values, and the hash is the values' (a String caches its own).
   */
  public static final class Key {
    private static final AtomicLongFieldUpdater<Key> UNTIL =
        AtomicLongFieldUpdater.newUpdater(Key.class, "until");

    private final String rule;
    private final String[] values;
    private final int hash;
    private volatile long until;

    /**
     * @param rule {@link #rule(AlertRule)}
     * @param values the key's values, ordered by their field names (sorted); not copied
     */
    public Key(String rule, String[] values) {
      this.rule = rule;
      this.values = values;
      this.hash = 31 * rule.hashCode() + Arrays.hashCode(values);
    }

    /** How a rule is named in its keys. */
    public static String rule(AlertRule rule) {
      return rule.namespace() + "/" + rule.name();
    }

    /** The key of a rule's alert for the key values {@code key} (by field name). */
    public static Key of(String rule, Map<String, String> key) {
      return new Key(rule, new TreeMap<>(key).values().toArray(String[]::new));
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k
          && hash == k.hash
          && rule.equals(k.rule)
          && Arrays.equals(values, k.values);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public String toString() {
      return rule + Arrays.toString(values);
    }
  }

  /** The key of a rule's alert for the key values {@code key} (by field name). */
  public static Key key(AlertRule rule, Map<String, String> key) {
    return Key.of(Key.rule(rule), key);
  }

  /** The key of an alert, as {@link #key(AlertRule, Map)}. */
  public static Key key(Alert alert) {
    return Key.of(alert.rule.namespace + "/" + alert.rule.name, alert.key);
  }

  /**
   * Whether an alert for {@code key} should be made now: true (and the key is held for {@code
   * remember}) unless it is held already.
   */
  public boolean claim(Key key, Instant now) {
    long at = now.toEpochMilli();
    purge(at);
    Key known = held.get(key);
    if (known != null) {
      long until = known.until;
      // Expired: renewed by whichever claim swaps the time first.
      if (at < until || !Key.UNTIL.compareAndSet(known, until, at + rememberMillis)) {
        onSuppressed.run();
        return false;
      }
      return true;
    }
    key.until = at + rememberMillis;
    if (held.putIfAbsent(key, key) != null) {
      onSuppressed.run(); // another thread claimed it at the same moment
      return false;
    }
    return true;
  }

  /**
   * Holds {@code key} until {@code until} at least, however it was claimed: its alert is open, and
   * the scheduled engine keeps that alert current, so looking it up again sooner only costs
   * OpenSearch a search per key and hold.
   */
  public void holdUntil(Key key, Instant until) {
    long at = until.toEpochMilli();
    Key known = held.get(key);
    if (known != null) {
      Key.UNTIL.accumulateAndGet(known, at, Math::max);
      return;
    }
    key.until = at;
    Key raced = held.putIfAbsent(key, key);
    if (raced != null) {
      Key.UNTIL.accumulateAndGet(raced, at, Math::max);
    }
  }

  /** Lets the next match of {@code key} make an alert again (its alert was not written). */
  public void forget(Key key) {
    held.remove(key);
  }

  private void purge(long at) {
    if (at > nextPurge) {
      nextPurge = at + 1000;
      held.values().removeIf(k -> at >= k.until);
    }
  }
}

package dev.vigil.core.rules;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A compiled {@code spec.firstSeen}: a run at {@code now} alerts for each combination of the
 * fields' values (a key) whose earliest match in {@code [now - window - history, now]} lies in the
 * run's window {@code [now - window, now]} — seen now, never in the history before it. A document
 * gives one key per combination of its values, none when a field is missing (as OpenSearch's
 * composite aggregation does).
 *
 * <p>This class is the reference semantics: the in-memory tests run {@link #newKeys}; the built-in
 * engine asks OpenSearch for the same thing (a composite aggregation with the minimum
 * {@code @timestamp} per key) and an Alerting monitor counts the key's matches in the history.
 *
 * @param fields the fields whose values make a key, in order
 * @param history how far before the window a key must not have matched
 */
public record FirstSeenCondition(List<String> fields, Duration history) {
  /**
   * The most new keys one run reports. The rest are not reported (by the next runs they are
   * history); the run says so in the rule's status instead of raising a flood of alerts.
   */
  public static final int MAX_NEW_PER_RUN = 100;

  public FirstSeenCondition {
    fields = List.copyOf(fields);
  }

  /** The key's values joined by '|', as OpenSearch's key_as_string and a test's groups write it. */
  public static String join(List<String> values) {
    return String.join("|", values);
  }

  /**
   * The keys new at {@code now}, each with its earliest matching time in the window.
   *
   * @param matches each matching document's keys (see {@link ConditionSimulator#groupKeys}) at its
   *     time
   */
  public Map<String, Instant> newKeys(
      List<Map.Entry<Instant, List<String>>> matches, Instant now, Duration window) {
    Instant windowStart = now.minus(window);
    Instant historyStart = windowStart.minus(history);
    Map<String, Instant> first = new TreeMap<>();
    for (Map.Entry<Instant, List<String>> m : matches) {
      Instant at = m.getKey();
      if (at.isBefore(historyStart) || at.isAfter(now)) {
        continue;
      }
      for (String key : m.getValue()) {
        first.merge(key, at, (a, b) -> a.isBefore(b) ? a : b);
      }
    }
    first.values().removeIf(at -> at.isBefore(windowStart));
    return first;
  }

  /**
   * The keys new at some run over a stated sequence: one run at each match's time (a run that just
   * sees it), among the runs whose history lies wholly after {@code observedFrom} (the sequence's
   * first record) — a run reaching further back would read history the sequence does not state.
   */
  public TreeSet<String> newAtSomeRun(
      List<Map.Entry<Instant, List<String>>> matches, Duration window, Instant observedFrom) {
    TreeSet<String> out = new TreeSet<>();
    runTimes(matches, window, observedFrom)
        .forEach(now -> out.addAll(newKeys(matches, now, window).keySet()));
    return out;
  }

  /** The run times {@link #newAtSomeRun} considers, in order. */
  public List<Instant> runTimes(
      List<Map.Entry<Instant, List<String>>> matches, Duration window, Instant observedFrom) {
    return matches.stream()
        .map(Map.Entry::getKey)
        .filter(now -> !now.minus(window).minus(history).isBefore(observedFrom))
        .sorted(Comparator.naturalOrder())
        .distinct()
        .toList();
  }
}

package dev.vigil.core.rules;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Decides whether a rule alerts over a timed sequence of matching documents, the way its compiled
 * search and condition decide at run time: every match alerts; or the count of matches in the
 * window ({@code @timestamp} between now-window and now, both inclusive) is above the threshold;
 * or, with groupBy, a bucket's count is (a document falls in one bucket per combination of its
 * groupBy values, none when a field is missing — as OpenSearch's terms/multi_terms do).
 *
 * <p>The window slides over every instant, not only over the engine's run times: the simulation
 * answers "is there a moment when the rule's search would alert", independent of when the schedule
 * happens to run. A burst near the edge of two runs may be seen split in production when the
 * interval is longer than the slack between burst and window.
 */
public final class ConditionSimulator {
  private final FieldTypes types;

  public ConditionSimulator(FieldTypes types) {
    this.types = types;
  }

  /** A matching document at its time. */
  public record Match(Instant at, JsonNode document) {}

  /**
   * @param alerts whether the rule alerts at some moment
   * @param groups the groups that alert (the groupBy values joined by '|'), empty without groupBy
   * @param most the largest count seen in one window (in one group)
   */
  public record Verdict(boolean alerts, TreeSet<String> groups, long most) {}

  public Verdict run(RuleSource.Threshold condition, List<Match> matches) {
    if (condition == null) {
      return new Verdict(!matches.isEmpty(), new TreeSet<>(), matches.size());
    }
    Duration window = Durations.parse(condition.window(), "condition.window");
    if (condition.groupBy().isEmpty()) {
      List<Instant> times = new ArrayList<>();
      matches.forEach(m -> times.add(m.at()));
      long most = mostInOneWindow(times, window);
      return new Verdict(most > condition.threshold(), new TreeSet<>(), most);
    }
    Map<String, List<Instant>> byGroup = new TreeMap<>();
    for (Match m : matches) {
      for (String key : groupKeys(m.document(), condition.groupBy())) {
        byGroup.computeIfAbsent(key, k -> new ArrayList<>()).add(m.at());
      }
    }
    TreeSet<String> alerting = new TreeSet<>();
    long most = 0;
    for (Map.Entry<String, List<Instant>> e : byGroup.entrySet()) {
      long n = mostInOneWindow(e.getValue(), window);
      most = Math.max(most, n);
      if (n > condition.threshold()) {
        alerting.add(e.getKey());
      }
    }
    return new Verdict(!alerting.isEmpty(), alerting, most);
  }

  /** The largest number of instants within one closed interval of length {@code window}. */
  static long mostInOneWindow(List<Instant> instants, Duration window) {
    List<Instant> sorted = new ArrayList<>(instants);
    sorted.sort(null);
    long most = 0;
    int start = 0;
    for (int end = 0; end < sorted.size(); end++) {
      Instant from = sorted.get(end).minus(window);
      while (sorted.get(start).isBefore(from)) {
        start++;
      }
      most = Math.max(most, end - start + 1);
    }
    return most;
  }

  /** Every combination of the document's groupBy values, each joined by '|'. */
  public List<String> groupKeys(JsonNode document, List<String> groupBy) {
    List<List<String>> keys = List.of(List.of());
    for (String field : groupBy) {
      FieldTypes.FieldType type = types.type(field);
      Set<String> values = new LinkedHashSet<>();
      for (JsonNode v : QueryEvaluator.leaves(document, types.resolve(field), type)) {
        if (v.asText().length() <= type.ignoreAbove()) { // longer keywords are not indexed
          values.add(v.asText());
        }
      }
      List<List<String>> next = new ArrayList<>();
      for (List<String> prefix : keys) {
        for (String v : values) {
          List<String> key = new ArrayList<>(prefix);
          key.add(v);
          next.add(key);
        }
      }
      keys = next;
    }
    return keys.stream().map(k -> String.join("|", k)).toList();
  }
}

package dev.vigil.operator.logsource;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.s3.model.FilterRule;
import software.amazon.awssdk.services.s3.model.NotificationConfiguration;
import software.amazon.awssdk.services.s3.model.QueueConfiguration;

/**
 * Merges Vigil's queue entry into a bucket's notification configuration without touching anyone
 * else's: other teams' queue, topic, Lambda and EventBridge settings are kept as they are; Vigil's
 * entry (found by id) is added or updated in place. S3 refuses two entries whose event types and
 * key filters overlap, and silently routing another team's objects to Vigil would be worse, so an
 * overlap is reported as a {@link ConfigChange.Conflict} instead of written.
 */
public final class NotificationMerge {
  private NotificationMerge() {}

  /**
   * The entry Vigil wants: object-created events under {@code prefix}/{@code suffix} to a queue.
   */
  public static QueueConfiguration desired(
      String id, String queueArn, String prefix, String suffix) {
    List<FilterRule> rules = new ArrayList<>();
    if (prefix != null && !prefix.isEmpty()) {
      rules.add(FilterRule.builder().name("prefix").value(prefix).build());
    }
    if (suffix != null && !suffix.isEmpty()) {
      rules.add(FilterRule.builder().name("suffix").value(suffix).build());
    }
    QueueConfiguration.Builder entry =
        QueueConfiguration.builder()
            .id(id)
            .queueArn(queueArn)
            .eventsWithStrings("s3:ObjectCreated:*");
    if (!rules.isEmpty()) {
      entry.filter(f -> f.key(k -> k.filterRules(rules)));
    }
    return entry.build();
  }

  public static ConfigChange<NotificationConfiguration> merge(
      NotificationConfiguration current, QueueConfiguration wanted) {
    List<QueueConfiguration> queues = new ArrayList<>();
    QueueConfiguration existing = null;
    for (QueueConfiguration q : current.queueConfigurations()) {
      if (wanted.id().equals(q.id())) {
        existing = q;
      } else {
        queues.add(q);
      }
    }
    Optional<String> overlap = overlap(current, wanted);
    if (overlap.isPresent()) {
      return new ConfigChange.Conflict<>(overlap.get());
    }
    if (existing != null && same(existing, wanted)) {
      return new ConfigChange.Unchanged<>();
    }
    queues.add(wanted);
    return new ConfigChange.Write<>(current.toBuilder().queueConfigurations(queues).build());
  }

  /** The configuration without Vigil's entry, or unchanged when it has none. */
  public static ConfigChange<NotificationConfiguration> remove(
      NotificationConfiguration current, String id) {
    List<QueueConfiguration> kept =
        current.queueConfigurations().stream().filter(q -> !id.equals(q.id())).toList();
    if (kept.size() == current.queueConfigurations().size()) {
      return new ConfigChange.Unchanged<>();
    }
    return new ConfigChange.Write<>(current.toBuilder().queueConfigurations(kept).build());
  }

  private static Optional<String> overlap(NotificationConfiguration current, QueueConfiguration q) {
    Filter mine = Filter.of(q.filter() == null ? null : q.filter().key().filterRules());
    List<String> myEvents = q.eventsAsStrings();
    List<Entry> others = new ArrayList<>();
    current.queueConfigurations().stream()
        .filter(e -> !q.id().equals(e.id()))
        .forEach(
            e ->
                others.add(
                    new Entry(
                        "queue " + e.queueArn(), e.id(), e.eventsAsStrings(), rules(e.filter()))));
    current
        .topicConfigurations()
        .forEach(
            e ->
                others.add(
                    new Entry(
                        "topic " + e.topicArn(), e.id(), e.eventsAsStrings(), rules(e.filter()))));
    current
        .lambdaFunctionConfigurations()
        .forEach(
            e ->
                others.add(
                    new Entry(
                        "Lambda " + e.lambdaFunctionArn(),
                        e.id(),
                        e.eventsAsStrings(),
                        rules(e.filter()))));
    for (Entry other : others) {
      if (eventsOverlap(myEvents, other.events) && mine.overlaps(Filter.of(other.rules))) {
        return Optional.of(
            "the bucket already sends "
                + String.join(",", other.events)
                + " for keys "
                + Filter.of(other.rules)
                + " to "
                + other.target
                + " (entry '"
                + other.id
                + "'), which overlaps Vigil's "
                + mine
                + "; S3 allows only one destination per object: narrow one of the prefixes/suffixes"
                + " or adopt that queue (spec.notifications.queueArn)");
      }
    }
    return Optional.empty();
  }

  private record Entry(String target, String id, List<String> events, List<FilterRule> rules) {}

  private static List<FilterRule> rules(
      software.amazon.awssdk.services.s3.model.NotificationConfigurationFilter filter) {
    return filter == null || filter.key() == null ? List.of() : filter.key().filterRules();
  }

  /** {@code s3:ObjectCreated:*} covers every {@code s3:ObjectCreated:...} event. */
  static boolean eventsOverlap(List<String> a, List<String> b) {
    for (String x : a) {
      for (String y : b) {
        if (covers(x, y) || covers(y, x)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean covers(String pattern, String event) {
    return pattern.endsWith("*")
        ? event.startsWith(pattern.substring(0, pattern.length() - 1))
        : pattern.equals(event);
  }

  private static boolean same(QueueConfiguration a, QueueConfiguration b) {
    return Objects.equals(a.queueArn(), b.queueArn())
        && Objects.equals(a.eventsAsStrings(), b.eventsAsStrings())
        && Filter.of(rules(a.filter())).equals(Filter.of(rules(b.filter())));
  }

  /** A key filter: keys starting with prefix and ending with suffix (empty: any). */
  record Filter(String prefix, String suffix) {
    static Filter of(List<FilterRule> rules) {
      String prefix = "";
      String suffix = "";
      for (FilterRule rule : rules == null ? List.<FilterRule>of() : rules) {
        // S3 answers rule names as "Prefix"/"Suffix"; requests may use either case.
        if ("prefix".equalsIgnoreCase(rule.nameAsString())) {
          prefix = rule.value();
        } else if ("suffix".equalsIgnoreCase(rule.nameAsString())) {
          suffix = rule.value();
        }
      }
      return new Filter(prefix, suffix);
    }

    /** Some key can match both: prefixes nest and suffixes nest. */
    boolean overlaps(Filter other) {
      return (prefix.startsWith(other.prefix) || other.prefix.startsWith(prefix))
          && (suffix.endsWith(other.suffix) || other.suffix.endsWith(suffix));
    }

    @Override
    public String toString() {
      return (prefix.isEmpty() ? "*" : prefix + "*") + suffix;
    }
  }
}

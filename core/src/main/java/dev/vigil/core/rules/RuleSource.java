package dev.vigil.core.rules;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * What a rule says, independent of Kubernetes: the fields of a DetectionRule spec the compiler
 * needs. Exactly one of {@code query}, {@code dsl} and {@code sigma} must be set.
 *
 * @param name the rule's name (metadata.name), for messages
 * @param query Lucene query_string syntax
 * @param dsl an OpenSearch query object, used as is
 * @param sigma a Sigma rule as YAML
 * @param logType a Vigil log type id (cloudtrail, vpcflow, ...)
 * @param indexPattern an explicit index pattern instead of a log type
 * @param condition threshold/window/groupBy, or null to alert on every match
 * @param interval how often the rule runs (its window when it alerts on every match)
 * @param firstSeen alert on field values new in the run's window, or null (see {@link FirstSeen})
 */
public record RuleSource(
    String name,
    String query,
    JsonNode dsl,
    String sigma,
    String logType,
    String indexPattern,
    Threshold condition,
    String interval,
    FirstSeen firstSeen) {

  /** A rule without a first-seen condition. */
  public RuleSource(
      String name,
      String query,
      JsonNode dsl,
      String sigma,
      String logType,
      String indexPattern,
      Threshold condition,
      String interval) {
    this(name, query, dsl, sigma, logType, indexPattern, condition, interval, null);
  }

  /**
   * Alert on each combination of {@code fields}' values that matches in the run's window (the
   * interval) and did not match in the {@code history} before it ({@code spec.firstSeen}).
   */
  public record FirstSeen(List<String> fields, String history) {
    public FirstSeen {
      fields = fields == null ? List.of() : List.copyOf(fields);
    }
  }

  /** Alert when the count of matches (per group with groupBy) in the window is above threshold. */
  public record Threshold(int threshold, String window, List<String> groupBy) {
    public Threshold {
      groupBy = groupBy == null ? List.of() : List.copyOf(groupBy);
    }
  }

  public static RuleSource query(String name, String logType, String query) {
    return new RuleSource(name, query, null, null, logType, null, null, null);
  }

  public static RuleSource dsl(String name, String logType, JsonNode dsl) {
    return new RuleSource(name, null, dsl, null, logType, null, null, null);
  }

  public static RuleSource sigma(String name, String sigma) {
    return new RuleSource(name, null, null, sigma, null, null, null, null);
  }

  public RuleSource withCondition(Threshold threshold) {
    return new RuleSource(
        name, query, dsl, sigma, logType, indexPattern, threshold, interval, firstSeen);
  }

  public RuleSource withFirstSeen(FirstSeen first) {
    return new RuleSource(
        name, query, dsl, sigma, logType, indexPattern, condition, interval, first);
  }

  public RuleSource withIndexPattern(String pattern) {
    return new RuleSource(
        name, query, dsl, sigma, logType, pattern, condition, interval, firstSeen);
  }
}

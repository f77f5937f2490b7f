package dev.vigil.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Map;

@JsonClassDescription(
    "A detection rule, compiled to one OpenSearch query + aggregation + condition.")
@JsonInclude(JsonInclude.Include.NON_NULL)
// CEL cannot see schemaless fields such as dsl; the rule compiler reports "exactly one of query,
// dsl or sigma".
@ValidationRule(
    value = "(has(self.query) ? 1 : 0) + (has(self.dsl) ? 1 : 0) + (has(self.sigma) ? 1 : 0) == 1",
    message = "set exactly one of query, dsl or sigma")
@ValidationRule(
    value = "has(self.sigma) || has(self.logType) || has(self.indexPattern)",
    message = "set logType or indexPattern (a sigma rule may take it from its logsource)")
@ValidationRule(
    value = "!(has(self.firstSeen) && has(self.condition))",
    message = "set condition (count matches) or firstSeen (new values), not both")
public class DetectionRuleSpec {
  @JsonPropertyDescription(
      "OpenSearchConnection to run against. Default: the namespace's connection 'default'.")
  public ConnectionRef connectionRef;

  @JsonPropertyDescription(
      "Executor: Auto (Alerting monitor when the cluster has the plugin, else Vigil's built-in engine), Alerting or"
          + " BuiltIn. Default: Auto.")
  public Engine engine = Engine.Auto;

  @JsonPropertyDescription(
      "The kind of OpenSearch Alerting monitor the rule becomes (engine Alerting, or Auto on a"
          + " cluster with the plugin; the built-in engine ignores it). Auto: BucketLevel when the"
          + " condition has groupBy, else QueryLevel. QueryLevel: one search per interval over the"
          + " window, one alert while the count is over the threshold. BucketLevel: one alert per"
          + " groupBy value over the threshold (needs condition.groupBy). DocumentLevel: each new"
          + " document is checked once, one alert per matching document, no window (needs a query:"
          + " rule without condition). Default: Auto.")
  public MonitorType monitorType = MonitorType.Auto;

  @JsonPropertyDescription("What the rule detects and why it matters; shown in alerts.")
  public String description;

  @Required
  @Min(1)
  @Max(5)
  @JsonPropertyDescription("Severity 1 (highest) to 5 (lowest), as OpenSearch Alerting counts.")
  public Integer severity;

  @JsonPropertyDescription(
      "Free-form tags, copied into every alert (e.g. team or compliance labels). ATT&CK"
          + " techniques go in mitre.")
  public List<String> tags;

  @Size(max = 32)
  @JsonPropertyDescription(
      "MITRE ATT&CK tactics and techniques the rule detects, e.g. [{tactic: TA0005, technique:"
          + " T1562.008}]. Written into alerts as ECS threat.* fields and into the coverage map"
          + " (docs/detections/coverage.md).")
  public List<Attack> mitre;

  @JsonPropertyDescription("Log type whose indices the rule reads (resolved to <prefix>-<type>-*).")
  public LogTypeName logType;

  @JsonPropertyDescription(
      "Explicit index pattern to read instead of a log type, e.g. my-app-logs-*.")
  public String indexPattern;

  @JsonPropertyDescription(
      "Match in Lucene query_string syntax, e.g. eventName:(StopLogging OR DeleteTrail).")
  public String query;

  @PreserveUnknownFields
  @JsonPropertyDescription(
      "Match as an OpenSearch query DSL object, e.g. {\"term\": {\"eventName\": \"StopLogging\"}}.")
  public Map<String, JsonNode> dsl;

  @JsonPropertyDescription(
      "Match as a Sigma rule (inline YAML); its authors are credited wherever it is shown.")
  public String sigma;

  @JsonPropertyDescription("When to alert. Default: on every match.")
  public AlertCondition condition;

  @JsonPropertyDescription(
      "Alert on values never seen before: each combination of firstSeen.fields' values that matches"
          + " in the run's window (the interval) and did not match in firstSeen.history before it."
          + " Runs in the built-in engine or as a bucket-level Alerting monitor; not in streaming"
          + " detection, which cannot see the history. Excludes condition.")
  public FirstSeen firstSeen;

  @JsonPropertyDescription("How often the rule runs. Default: 5m.")
  @Pattern("^[0-9]+(s|m|h)$")
  public String interval; // default: core RuleDefinition.DEFAULT_INTERVAL

  @JsonPropertyDescription("Turn a burst into one alert.")
  public Suppression suppression;

  @JsonPropertyDescription(
      "Alert message template; {{field}} inserts a field of the first matching event, {{count}} the count.")
  public String message;

  @JsonPropertyDescription("NotificationChannels to tell.")
  public List<Action> actions;

  @Size(max = 64)
  @JsonPropertyDescription(
      "Sample events with the expected verdict; run by `vigil rules test` and in CI.")
  public List<RuleTest> tests;

  @JsonPropertyDescription(
      "What happens to the monitor created in OpenSearch when the rule is deleted. Default: Delete.")
  public DeletionPolicy deletionPolicy = DeletionPolicy.Delete;

  public enum Engine {
    Auto,
    Alerting,
    BuiltIn
  }

  public enum MonitorType {
    Auto,
    QueryLevel,
    BucketLevel,
    DocumentLevel
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class AlertCondition {
    @Required
    @Min(0)
    @JsonPropertyDescription(
        "Alert when the count of matches (per group, with groupBy) is greater than this.")
    public Integer threshold;

    @Required
    @Pattern("^[0-9]+(s|m|h|d)$")
    @JsonPropertyDescription("Time window the matches are counted over, e.g. 15m.")
    public String window;

    @JsonPropertyDescription(
        "Count per distinct value of these fields (bucket-level), e.g. [userIdentity.arn].")
    public List<String> groupBy;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class FirstSeen {
    @Required
    @Size(min = 1, max = 4)
    @JsonPropertyDescription(
        "Fields whose combined values make a key, e.g. [vpc_id, query_name]; each an indexed"
            + " (keyword, number or ip) field the log type's mapping aggregates. One alert per new"
            + " key.")
    public List<String> fields;

    @Required
    @Pattern("^[0-9]+(m|h|d)$")
    @JsonPropertyDescription(
        "How far before the run's window a key must not have matched for it to be new, e.g. 7d;"
            + " at most 90d. Each run searches history and window.")
    public String history;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Suppression {
    @Required
    @Pattern("^[0-9]+(s|m|h|d)$")
    @JsonPropertyDescription("No new alert for the same key within this window, e.g. 1h.")
    public String window;

    @JsonPropertyDescription(
        "Fields that make two alerts the same. Default: the rule (one alert per window).")
    public List<String> key;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Action {
    @Required
    @JsonPropertyDescription("Name of a NotificationChannel in this namespace.")
    public String channel;
  }

  /**
   * One test case: a single event with Match/NoMatch (does the query match it?), or a timed
   * sequence of events with Alert/NoAlert (does the whole rule, threshold/window/groupBy included,
   * alert?). `vigil rules test` reports a case that mixes the two forms at its line.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value =
          "(has(self.event) ? 1 : 0) + (has(self.line) ? 1 : 0) + (has(self.events) ? 1 : 0) == 1",
      message = "set exactly one of event, line (one record) or events (a sequence)")
  @ValidationRule(
      value = "!(has(self.history) && has(self.events))",
      message = "history goes with event or line; a sequence states its history as earlier events")
  public static class RuleTest {
    @Required
    @JsonPropertyDescription("What the case shows.")
    public String name;

    @PreserveUnknownFields
    @JsonPropertyDescription(
        "A raw log record of the rule's log type (e.g. one CloudTrail event), as AWS writes it;"
            + " with expect Match or NoMatch. Set one of event, line or events.")
    public Map<String, JsonNode> event;

    @JsonPropertyDescription(
        "A raw text record of a line-oriented log type as AWS writes it (one ALB or S3 server"
            + " access log line; for VPC Flow Logs the header line, a newline, then the record),"
            + " instead of event; with expect Match or NoMatch.")
    public String line;

    @Size(max = 64)
    @JsonPropertyDescription(
        "A timed sequence of raw log records, in the order given, each at its own time (e.g."
            + " eventTime) and optionally repeated; with expect Alert or NoAlert: the whole rule"
            + " (threshold over the window, per group) is simulated over them.")
    public List<TestEvent> events;

    @Required
    @JsonPropertyDescription(
        "Match or NoMatch (event: does the query match it?); Alert or NoAlert (events: does the"
            + " rule alert at some point?).")
    public Verdict expect;

    @Size(max = 64)
    @JsonPropertyDescription(
        "With event or line and a firstSeen rule: records seen before the run's window (each in"
            + " firstSeen.history before the event's time); the event matches only when its key is"
            + " not among theirs.")
    public List<TestEvent> history;

    @JsonPropertyDescription(
        "With events and a groupBy rule: exactly the groups that alert, each the groupBy values"
            + " joined by '|' (OpenSearch's key_as_string), e.g. arn:aws:iam::111122223333:user/a;"
            + " with a firstSeen rule: the keys first seen at some run.")
    public List<String> groups;
  }

  /** One ATT&CK tactic and, optionally, the technique of it that the rule detects. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Attack {
    @Required
    @JsonPropertyDescription(
        "ATT&CK Enterprise tactic id, e.g. TA0005 (Defense Evasion); see"
            + " https://attack.mitre.org/tactics/enterprise/.")
    public AttackTactic tactic;

    @Pattern("^T[0-9]{4}(\\.[0-9]{3})?$")
    @JsonPropertyDescription(
        "ATT&CK technique or sub-technique id under that tactic, e.g. T1562 or T1562.008; omit"
            + " when the rule shows the tactic without one technique.")
    public String technique;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value = "has(self.event) != has(self.line)",
      message = "set one of event (a record as a mapping) or line (a raw text record)")
  public static class TestEvent {
    @PreserveUnknownFields
    @JsonPropertyDescription("A raw log record of the rule's log type, as AWS writes it.")
    public Map<String, JsonNode> event;

    @JsonPropertyDescription(
        "A raw text record of a line-oriented log type (ALB, S3 server access, VPC Flow Logs with"
            + " its header line first), instead of event.")
    public String line;

    @Min(1)
    @Max(100000)
    @JsonPropertyDescription(
        "How many copies of the record, the first at its own time. Default: 1.")
    public Integer repeat;

    @Pattern("^[0-9]+(s|m|h|d)$")
    @JsonPropertyDescription(
        "Time between the copies of a repeated record, e.g. 30s. Default: 0s (all at once).")
    public String every;
  }

  public enum Verdict {
    Match,
    NoMatch,
    Alert,
    NoAlert
  }
}

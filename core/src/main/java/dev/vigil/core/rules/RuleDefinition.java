package dev.vigil.core.rules;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * One DetectionRule as Vigil means it, read from its {@code spec} with every default applied — here
 * and nowhere else. The operator's executors (built-in engine, Alerting monitors), streaming
 * detection and the CLI all start from this reading. The Kubernetes-only parts of the resource
 * (connection, engine, deletion policy, annotations) stay with the operator.
 *
 * @param namespace the DetectionRule's namespace
 * @param name the DetectionRule's name
 * @param description what the rule detects, or null
 * @param severity 1 (highest) to 5 (lowest), as OpenSearch Alerting counts; required
 * @param tags free-form tags copied into alerts; empty by default
 * @param mitre the ATT&amp;CK tactics and techniques ({@code spec.mitre}), in order; empty by
 *     default
 * @param source what the compiler needs (query/dsl/sigma, logType/indexPattern, condition,
 *     interval)
 * @param interval how often the rule runs; {@value #DEFAULT_INTERVAL} by default
 * @param message the alert message template ({@code {{field}}}, {@code {{count}}}), or null
 * @param suppression no second alert for the same key within its window, or null (one alert per
 *     rule window)
 * @param monitorType the Alerting monitor kind asked for; {@link MonitorType#Auto} by default
 * @param channels the NotificationChannels to tell ({@code spec.actions[].channel}), distinct
 */
public record RuleDefinition(
    String namespace,
    String name,
    String description,
    int severity,
    List<String> tags,
    List<Attack> mitre,
    RuleSource source,
    Duration interval,
    String message,
    Suppression suppression,
    MonitorType monitorType,
    List<String> channels) {
  /** How often a rule without {@code spec.interval} runs (its window when it has no condition). */
  public static final String DEFAULT_INTERVAL = "5m";

  /** The OpenSearch Alerting monitor kinds a rule can ask for ({@code spec.monitorType}). */
  public enum MonitorType {
    Auto,
    QueryLevel,
    BucketLevel,
    DocumentLevel
  }

  /**
   * @param window no new alert for the same key within this window
   * @param key fields whose values tell two alerts apart; empty: the rule (one alert per window)
   */
  public record Suppression(Duration window, List<String> key) {
    public Suppression {
      key = key == null ? List.of() : List.copyOf(key);
    }
  }

  public RuleDefinition {
    if (severity < 1 || severity > 5) {
      throw new RuleException("spec.severity: must be 1 (highest) to 5, not " + severity);
    }
    tags = tags == null ? List.of() : List.copyOf(tags);
    mitre = mitre == null ? List.of() : List.copyOf(mitre);
    channels = channels == null ? List.of() : List.copyOf(channels);
    monitorType = monitorType == null ? MonitorType.Auto : monitorType;
    if (interval == null || interval.isNegative() || interval.isZero()) {
      throw new RuleException("spec.interval: must be more than 0");
    }
  }

  /** Reads a spec (a JSON tree of it); problems throw naming the field ({@code spec.…}). */
  public static RuleDefinition fromSpec(String namespace, String name, JsonNode spec) {
    return fromSpec(namespace, name, spec, pointer -> -1);
  }

  /**
   * As {@link #fromSpec(String, String, JsonNode)}, a problem carrying the line {@code lines} gives
   * for its JSON pointer (e.g. {@code /spec/severity}) — for manifests read from YAML.
   */
  public static RuleDefinition fromSpec(
      String namespace, String name, JsonNode spec, ToIntFunction<String> lines) {
    JsonNode severity = spec.path("severity");
    if (!severity.isIntegralNumber() || severity.asInt() < 1 || severity.asInt() > 5) {
      throw new RuleException(
          severity.isMissingNode() || severity.isNull()
              ? "spec.severity is required: 1 (highest) to 5"
              : "spec.severity: '"
                  + severity.asText()
                  + "' is not a severity from 1 (highest) to 5",
          lines.applyAsInt(severity.isMissingNode() ? "/spec" : "/spec/severity"));
    }
    RuleSource source = source(name, spec, lines);
    try {
      return new RuleDefinition(
          namespace,
          name,
          text(spec, "description"),
          severity.asInt(),
          texts(spec.path("tags")),
          Attack.fromSpec(spec),
          source,
          Durations.parse(source.interval(), "spec.interval"),
          text(spec, "message"),
          suppression(spec),
          monitorType(spec),
          channels(spec));
    } catch (RuleException e) {
      if (e.line() > 0) {
        throw e;
      }
      // The message starts with the field it names ("spec.suppression.window: …"): its line.
      String field = e.getMessage().replaceFirst(":.*", "").replaceFirst("^spec\\.", "");
      throw new RuleException(e.getMessage(), lines.applyAsInt("/spec/" + field.replace('.', '/')));
    }
  }

  /**
   * The part of a spec the compiler reads (query/dsl/sigma, logType/indexPattern, condition,
   * interval), without the checks of the rest: {@code vigil validate} compiles a rule whose
   * severity the schema already refused.
   */
  public static RuleSource source(String name, JsonNode spec, ToIntFunction<String> lines) {
    String interval = text(spec, "interval");
    return new RuleSource(
        name,
        text(spec, "query"),
        spec.hasNonNull("dsl") ? spec.get("dsl") : null,
        text(spec, "sigma"),
        text(spec, "logType"),
        text(spec, "indexPattern"),
        threshold(spec, lines),
        interval == null ? DEFAULT_INTERVAL : interval,
        firstSeen(spec, lines));
  }

  /** The same rule in another namespace (a manifest applied there). */
  public RuleDefinition inNamespace(String other) {
    return new RuleDefinition(
        other,
        name,
        description,
        severity,
        tags,
        mitre,
        source,
        interval,
        message,
        suppression,
        monitorType,
        channels);
  }

  private static RuleSource.Threshold threshold(JsonNode spec, ToIntFunction<String> lines) {
    JsonNode c = spec.get("condition");
    if (c == null || c.isNull()) {
      return null;
    }
    if (!c.path("threshold").isIntegralNumber()) {
      throw new RuleException(
          "spec.condition.threshold must be a whole number", lines.applyAsInt("/spec/condition"));
    }
    return new RuleSource.Threshold(
        c.path("threshold").asInt(), text(c, "window"), texts(c.path("groupBy")));
  }

  private static RuleSource.FirstSeen firstSeen(JsonNode spec, ToIntFunction<String> lines) {
    JsonNode f = spec.get("firstSeen");
    if (f == null || f.isNull()) {
      return null;
    }
    if (!f.path("fields").isArray() || f.path("fields").isEmpty()) {
      throw new RuleException(
          "spec.firstSeen.fields: list the fields whose new values alert, e.g. [query_name]",
          lines.applyAsInt("/spec/firstSeen"));
    }
    return new RuleSource.FirstSeen(texts(f.path("fields")), text(f, "history"));
  }

  private static Suppression suppression(JsonNode spec) {
    JsonNode s = spec.path("suppression");
    if (!s.isObject()) {
      return null;
    }
    return new Suppression(
        Durations.parse(text(s, "window"), "spec.suppression.window"), texts(s.path("key")));
  }

  private static MonitorType monitorType(JsonNode spec) {
    String type = text(spec, "monitorType");
    if (type == null) {
      return MonitorType.Auto;
    }
    for (MonitorType t : MonitorType.values()) {
      if (t.name().equals(type)) {
        return t;
      }
    }
    throw new RuleException(
        "spec.monitorType: '"
            + type
            + "' is not one of Auto, QueryLevel, BucketLevel, DocumentLevel");
  }

  private static List<String> channels(JsonNode spec) {
    Set<String> out = new LinkedHashSet<>();
    for (JsonNode action : spec.path("actions")) {
      String channel = text(action, "channel");
      if (channel == null) {
        throw new RuleException("spec.actions: each action names a channel");
      }
      out.add(channel);
    }
    return List.copyOf(out);
  }

  private static List<String> texts(JsonNode list) {
    List<String> out = new ArrayList<>();
    list.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static String text(JsonNode node, String field) {
    JsonNode n = node.get(field);
    return n == null || n.isNull() ? null : n.asText();
  }
}

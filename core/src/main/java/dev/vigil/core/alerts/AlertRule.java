package dev.vigil.core.alerts;

import dev.vigil.core.rules.Attack;
import dev.vigil.core.rules.CompiledRule;
import dev.vigil.core.rules.RuleDefinition;
import java.time.Duration;
import java.util.List;

/**
 * What the alert side needs to know about a rule: who it is, how severe, how its alerts are worded,
 * and how a burst is folded into one alert.
 *
 * @param namespace the DetectionRule's namespace
 * @param name the DetectionRule's name
 * @param severity 1 (highest) to 5
 * @param tags free-form tags copied into each alert
 * @param mitre the ATT&CK tactics and techniques the rule detects
 * @param trigger a short description of the condition, e.g. {@code count > 20 in 15m by
 *     userIdentity.arn}
 * @param message the message template ({@code {{field}}}, {@code {{count}}}), or null
 * @param suppressionWindow no second alert for the same key within one window of this length
 * @param key fields whose values tell two alerts apart (the groupBy or firstSeen fields, else the
 *     suppression key; empty: one alert per rule)
 * @param aliases the field aliases of the rule's log type's mapping (alias to the field a document
 *     holds; {@link dev.vigil.core.rules.FieldTypes#aliases}): keys and messages read a document's
 *     source through them, as OpenSearch reads {@code event.action} from {@code eventName}
 */
public record AlertRule(
    String namespace,
    String name,
    int severity,
    List<String> tags,
    List<Attack> mitre,
    String trigger,
    String message,
    Duration suppressionWindow,
    List<String> key,
    java.util.Map<String, String> aliases) {
  public AlertRule {
    aliases = aliases == null ? java.util.Map.of() : java.util.Map.copyOf(aliases);
    tags = tags == null ? List.of() : List.copyOf(tags);
    mitre = mitre == null ? List.of() : List.copyOf(mitre);
    key = key == null ? List.of() : List.copyOf(key);
    if (suppressionWindow == null || suppressionWindow.isZero() || suppressionWindow.isNegative()) {
      throw new IllegalArgumentException("suppressionWindow must be positive");
    }
  }

  /** A rule whose documents have no field aliases. */
  public AlertRule(
      String namespace,
      String name,
      int severity,
      List<String> tags,
      List<Attack> mitre,
      String trigger,
      String message,
      Duration suppressionWindow,
      List<String> key) {
    this(
        namespace,
        name,
        severity,
        tags,
        mitre,
        trigger,
        message,
        suppressionWindow,
        key,
        java.util.Map.of());
  }

  /** The field of a document's source that holds {@code field} (an alias's target, or itself). */
  public String read(String field) {
    return aliases.getOrDefault(field, field);
  }

  /** The alert side of a rule as defined and compiled. */
  public static AlertRule of(RuleDefinition rule, CompiledRule compiled) {
    RuleDefinition.Suppression suppression = rule.suppression();
    return of(
        rule.namespace(),
        rule.name(),
        rule.severity(),
        rule.tags(),
        rule.mitre(),
        rule.message(),
        compiled,
        suppression == null ? null : suppression.window(),
        suppression == null ? List.of() : suppression.key());
  }

  /**
   * The alert side of a compiled rule. Grouped rules key their alerts by the groupBy fields; others
   * by the suppression key. Without a suppression window, one alert per rule window.
   */
  public static AlertRule of(
      String namespace,
      String name,
      int severity,
      List<String> tags,
      List<Attack> mitre,
      String message,
      CompiledRule compiled,
      Duration suppressionWindow,
      List<String> suppressionKey) {
    List<String> key =
        compiled.firstSeen() != null
            ? compiled.firstSeen().fields()
            : compiled.condition() != null && !compiled.condition().groupBy().isEmpty()
                ? compiled.condition().groupBy()
                : suppressionKey;
    return new AlertRule(
        namespace,
        name,
        severity,
        tags,
        mitre,
        describe(compiled),
        message,
        suppressionWindow != null ? suppressionWindow : compiled.window(),
        key,
        compiled.logType() == null
            ? java.util.Map.of()
            : dev.vigil.core.rules.FieldTypes.of(compiled.logType()).aliases());
  }

  private static String days(Duration d) {
    return d.toSeconds() % 86_400 == 0 ? d.toDays() + "d" : d.toString().substring(2).toLowerCase();
  }

  /** The condition in words, e.g. {@code count > 20 in 15m by userIdentity.arn}. */
  public static String describe(CompiledRule compiled) {
    String window = compiled.window().toString().substring(2).toLowerCase();
    if (compiled.firstSeen() != null) {
      return "first seen in "
          + window
          + " by "
          + String.join(", ", compiled.firstSeen().fields())
          + " (not in the "
          + days(compiled.firstSeen().history())
          + " before)";
    }
    if (compiled.condition() == null) {
      return "any match in " + window;
    }
    String text = "count > " + compiled.condition().threshold() + " in " + window;
    return compiled.condition().groupBy().isEmpty()
        ? text
        : text + " by " + String.join(", ", compiled.condition().groupBy());
  }
}

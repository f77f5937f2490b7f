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
 * @param key fields whose values tell two alerts apart (the groupBy fields, else the suppression
 *     key; empty: one alert per rule)
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
    List<String> key) {
  public AlertRule {
    tags = tags == null ? List.of() : List.copyOf(tags);
    mitre = mitre == null ? List.of() : List.copyOf(mitre);
    key = key == null ? List.of() : List.copyOf(key);
    if (suppressionWindow == null || suppressionWindow.isZero() || suppressionWindow.isNegative()) {
      throw new IllegalArgumentException("suppressionWindow must be positive");
    }
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
        compiled.condition() != null && !compiled.condition().groupBy().isEmpty()
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
        key);
  }

  /** The condition in words, e.g. {@code count > 20 in 15m by userIdentity.arn}. */
  public static String describe(CompiledRule compiled) {
    String window = compiled.window().toString().substring(2).toLowerCase();
    if (compiled.condition() == null) {
      return "any match in " + window;
    }
    String text = "count > " + compiled.condition().threshold() + " in " + window;
    return compiled.condition().groupBy().isEmpty()
        ? text
        : text + " by " + String.join(", ", compiled.condition().groupBy());
  }
}

package dev.vigil.operator.alerting;

import dev.vigil.api.v1alpha1.DetectionRule;
import dev.vigil.api.v1alpha1.DetectionRuleSpec;
import dev.vigil.core.rules.Attack;
import dev.vigil.core.rules.Durations;
import dev.vigil.operator.detection.RuleSpecs;
import java.time.Duration;
import java.util.List;

/**
 * What the monitor needs of a DetectionRule besides its compiled query: identity, severity, the
 * schedule, the message and the suppression window.
 *
 * @param severity 1 (highest) to 5 (lowest), as Alerting counts
 * @param mitre the ATT&CK tactics and techniques the rule detects (subject line, doc-level tags)
 * @param interval how often the rule runs (the monitor's schedule)
 * @param message the rule's message template ({@code {{field}}}, {@code {{count}}}), or null
 * @param suppression no repeated notification within this window (action throttle), or null
 */
public record RuleInfo(
    String namespace,
    String name,
    int severity,
    String description,
    List<String> tags,
    List<Attack> mitre,
    Duration interval,
    String message,
    Duration suppression) {
  public RuleInfo {
    if (severity < 1 || severity > 5) {
      throw new IllegalArgumentException("severity must be 1 to 5, not " + severity);
    }
    tags = tags == null ? List.of() : List.copyOf(tags);
    mitre = mitre == null ? List.of() : List.copyOf(mitre);
    if (interval == null || interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("interval must be positive");
    }
  }

  /** A rule without ATT&CK entries. */
  public RuleInfo(
      String namespace,
      String name,
      int severity,
      String description,
      List<String> tags,
      Duration interval,
      String message,
      Duration suppression) {
    this(namespace, name, severity, description, tags, List.of(), interval, message, suppression);
  }

  /**
   * What a monitor needs of a DetectionRule resource. Invalid durations throw the compiler's {@link
   * dev.vigil.core.rules.RuleException} naming the field (the CRD pattern already refuses them).
   */
  public static RuleInfo from(DetectionRule rule) {
    DetectionRuleSpec spec = rule.getSpec();
    return new RuleInfo(
        rule.getMetadata().getNamespace(),
        rule.getMetadata().getName(),
        spec.severity == null ? 0 : spec.severity, // 0 fails: severity is required
        spec.description,
        spec.tags,
        RuleSpecs.attacks(spec),
        Durations.parse(spec.interval == null ? "5m" : spec.interval, "interval"),
        spec.message,
        spec.suppression == null || spec.suppression.window == null
            ? null
            : Durations.parse(spec.suppression.window, "suppression.window"));
  }
}

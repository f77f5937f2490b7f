package dev.vigil.operator.detection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.api.v1alpha1.DetectionRule;
import dev.vigil.api.v1alpha1.DetectionRuleSpec;
import dev.vigil.core.alerts.AlertLifecycle;
import dev.vigil.core.alerts.AlertRule;
import dev.vigil.core.rules.Attack;
import dev.vigil.core.rules.CompiledRule;
import dev.vigil.core.rules.Durations;
import dev.vigil.core.rules.RuleCompiler;
import dev.vigil.core.rules.RuleException;
import dev.vigil.core.rules.RuleSource;
import dev.vigil.operator.common.InvalidSpecException;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Reads a DetectionRule resource into what core compiles and the engine runs. */
public final class RuleSpecs {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final RuleCompiler COMPILER = RuleCompiler.defaults();

  private RuleSpecs() {}

  public static CompiledRule compile(DetectionRule rule) throws InvalidSpecException {
    DetectionRuleSpec spec = rule.getSpec();
    RuleSource.Threshold threshold =
        spec.condition == null
            ? null
            : new RuleSource.Threshold(
                spec.condition.threshold == null ? 0 : spec.condition.threshold,
                spec.condition.window,
                spec.condition.groupBy);
    JsonNode dsl = spec.dsl == null ? null : JSON.valueToTree(spec.dsl);
    RuleSource source =
        new RuleSource(
            rule.getMetadata().getName(),
            spec.query,
            dsl,
            spec.sigma,
            spec.logType == null ? null : spec.logType.name(),
            spec.indexPattern,
            threshold,
            spec.interval);
    CompiledRule compiled;
    try {
      compiled = COMPILER.compile(source);
    } catch (RuleException e) {
      String message = e.getMessage();
      // Compiler messages that start with a field ("condition.window: …") get the spec prefix.
      throw new InvalidSpecException(
          message.matches("^[a-zA-Z.]+: .*") ? "spec." + message : message);
    }
    return compiled;
  }

  public static AlertRule alerts(DetectionRule rule, CompiledRule compiled)
      throws InvalidSpecException {
    DetectionRuleSpec spec = rule.getSpec();
    Duration window = null;
    List<String> key = List.of();
    if (spec.suppression != null) {
      try {
        window = Durations.parse(spec.suppression.window, "spec.suppression.window");
      } catch (RuleException e) {
        throw new InvalidSpecException(e.getMessage());
      }
      key = spec.suppression.key == null ? List.of() : spec.suppression.key;
    }
    return AlertRule.of(
        rule.getMetadata().getNamespace(),
        rule.getMetadata().getName(),
        spec.severity == null ? 3 : spec.severity,
        spec.tags,
        attacks(spec),
        spec.message,
        compiled,
        window,
        key);
  }

  /** The spec's ATT&CK entries ({@code spec.mitre}), in order; empty without any. */
  public static List<Attack> attacks(DetectionRuleSpec spec) {
    if (spec.mitre == null) {
      return List.of();
    }
    return spec.mitre.stream()
        .map(m -> new Attack(m.tactic == null ? null : m.tactic.name(), m.technique))
        .toList();
  }

  public static Duration interval(DetectionRule rule) throws InvalidSpecException {
    try {
      return Durations.parse(
          rule.getSpec().interval == null ? "5m" : rule.getSpec().interval, "spec.interval");
    } catch (RuleException e) {
      throw new InvalidSpecException(e.getMessage());
    }
  }

  public static List<String> channels(DetectionRule rule) {
    if (rule.getSpec().actions == null) {
      return List.of();
    }
    return rule.getSpec().actions.stream().map(a -> a.channel).distinct().toList();
  }

  /** Alert ids in the acknowledge annotation (comma- or space-separated). */
  public static Set<String> acknowledged(DetectionRule rule) {
    return alertIds(rule, DetectionRule.ACKNOWLEDGE_ANNOTATION);
  }

  /** What analysts asked of the rule's alerts: the acknowledge and close annotations. */
  public static AlertLifecycle.Requests requests(DetectionRule rule) {
    return new AlertLifecycle.Requests(
        acknowledged(rule), alertIds(rule, DetectionRule.CLOSE_ANNOTATION));
  }

  private static Set<String> alertIds(DetectionRule rule, String annotation) {
    var annotations = rule.getMetadata().getAnnotations();
    String value = annotations == null ? null : annotations.get(annotation);
    if (value == null || value.isBlank()) {
      return Set.of();
    }
    Set<String> ids = new LinkedHashSet<>();
    Arrays.stream(value.split("[,\\s]+")).filter(s -> !s.isBlank()).forEach(ids::add);
    return Set.copyOf(ids);
  }

  public static String connectionName(DetectionRule rule) {
    return rule.getSpec() == null || rule.getSpec().connectionRef == null
        ? "default"
        : rule.getSpec().connectionRef.name;
  }
}

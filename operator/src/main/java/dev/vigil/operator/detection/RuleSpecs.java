package dev.vigil.operator.detection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.api.v1alpha1.DetectionRule;
import dev.vigil.core.alerts.AlertLifecycle;
import dev.vigil.core.rules.CompiledRule;
import dev.vigil.core.rules.RuleCompiler;
import dev.vigil.core.rules.RuleDefinition;
import dev.vigil.core.rules.RuleException;
import dev.vigil.operator.common.InvalidSpecException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Reads a DetectionRule resource: its spec into core's {@link RuleDefinition} (every default of a
 * rule lives there) and compiled; the Kubernetes-only parts — connection, annotations — here.
 */
public final class RuleSpecs {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final RuleCompiler COMPILER = RuleCompiler.defaults();

  private RuleSpecs() {}

  /** The rule its spec defines; a problem names the spec field. */
  public static RuleDefinition definition(DetectionRule rule) throws InvalidSpecException {
    if (rule.getSpec() == null) {
      throw new InvalidSpecException("spec is required");
    }
    JsonNode spec = JSON.valueToTree(rule.getSpec());
    return InvalidSpecException.reading(
        () ->
            RuleDefinition.fromSpec(
                rule.getMetadata().getNamespace(), rule.getMetadata().getName(), spec));
  }

  public static CompiledRule compile(RuleDefinition rule) throws InvalidSpecException {
    try {
      return COMPILER.compile(rule.source());
    } catch (RuleException e) {
      String message = e.getMessage();
      // Compiler messages that start with a field ("condition.window: …") get the spec prefix.
      throw new InvalidSpecException(
          message.matches("^[a-zA-Z.]+: .*") ? "spec." + message : message);
    }
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

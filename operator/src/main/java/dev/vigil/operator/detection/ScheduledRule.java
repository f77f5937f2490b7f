package dev.vigil.operator.detection;

import dev.vigil.core.alerts.AlertLifecycle;
import dev.vigil.core.alerts.AlertRule;
import dev.vigil.core.rules.CompiledRule;
import dev.vigil.operator.opensearch.OpenSearchRest;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * A DetectionRule as the built-in engine runs it: compiled, with the cluster to run against, the
 * channels to tell and what analysts asked of its alerts (annotations {@value #ACKNOWLEDGE} and
 * {@code siem.vigil.dev/close}).
 */
public record ScheduledRule(
    String namespace,
    String name,
    CompiledRule compiled,
    AlertRule alerts,
    Duration interval,
    OpenSearchRest rest,
    List<String> channels,
    AlertLifecycle.Requests requests) {
  public static final String ACKNOWLEDGE =
      dev.vigil.api.v1alpha1.DetectionRule.ACKNOWLEDGE_ANNOTATION;

  /** A rule nobody asked anything of (acknowledge, close). */
  public ScheduledRule(
      String namespace,
      String name,
      CompiledRule compiled,
      AlertRule alerts,
      Duration interval,
      OpenSearchRest rest,
      List<String> channels,
      Set<String> acknowledge) {
    this(
        namespace,
        name,
        compiled,
        alerts,
        interval,
        rest,
        channels,
        new AlertLifecycle.Requests(acknowledge, Set.of()));
  }

  public String key() {
    return namespace + "/" + name;
  }
}

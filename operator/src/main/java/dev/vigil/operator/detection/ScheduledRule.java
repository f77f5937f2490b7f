package dev.vigil.operator.detection;

import dev.vigil.core.alerts.AlertRule;
import dev.vigil.core.rules.CompiledRule;
import dev.vigil.operator.opensearch.OpenSearchRest;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * A DetectionRule as the built-in engine runs it: compiled, with the cluster to run against, the
 * channels to tell and the alert ids someone acknowledged (annotation {@value #ACKNOWLEDGE}).
 */
public record ScheduledRule(
    String namespace,
    String name,
    CompiledRule compiled,
    AlertRule alerts,
    Duration interval,
    OpenSearchRest rest,
    List<String> channels,
    Set<String> acknowledge) {
  /** Comma-separated alert ids to acknowledge, e.g. set by {@code kubectl annotate}. */
  public static final String ACKNOWLEDGE = "siem.vigil.dev/acknowledge";

  public String key() {
    return namespace + "/" + name;
  }
}

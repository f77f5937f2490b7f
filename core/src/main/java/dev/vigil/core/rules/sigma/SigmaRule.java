package dev.vigil.core.rules.sigma;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.core.LogType;
import dev.vigil.core.rules.Attribution;
import dev.vigil.core.rules.RuleSource;
import java.util.List;

/**
 * A converted Sigma rule: its match query, the log type its logsource names (null with raw field
 * names), the count condition when it aggregates, and its attribution.
 */
public record SigmaRule(
    ObjectNode query,
    LogType logType,
    RuleSource.Threshold condition,
    Attribution attribution,
    String level,
    List<String> tags,
    String description) {

  /** Sigma's level as Vigil's severity (1 highest .. 5 lowest). */
  public int severity() {
    return switch (level == null ? "" : level) {
      case "critical" -> 1;
      case "high" -> 2;
      case "medium" -> 3;
      case "low" -> 4;
      default -> 5;
    };
  }
}

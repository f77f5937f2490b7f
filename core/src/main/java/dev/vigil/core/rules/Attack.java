package dev.vigil.core.rules;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * One MITRE ATT&amp;CK tactic a rule detects and, optionally, the technique of it ({@code
 * spec.mitre[]}); the CRD checks the ids, this carries them to alerts.
 *
 * @param tactic a tactic id, e.g. {@code TA0005}
 * @param technique a technique or sub-technique id, e.g. {@code T1562.008}, or null
 */
public record Attack(String tactic, String technique) {
  /** The entries of a DetectionRule spec's {@code mitre} list, in order; empty without one. */
  public static List<Attack> fromSpec(JsonNode spec) {
    List<Attack> out = new ArrayList<>();
    for (JsonNode entry : spec.path("mitre")) {
      JsonNode technique = entry.path("technique");
      out.add(
          new Attack(
              entry.path("tactic").asText(), technique.isTextual() ? technique.asText() : null));
    }
    return List.copyOf(out);
  }

  /** The technique without its sub-technique part ({@code T1562} of {@code T1562.008}), or null. */
  public String parentTechnique() {
    if (technique == null) {
      return null;
    }
    int dot = technique.indexOf('.');
    return dot < 0 ? technique : technique.substring(0, dot);
  }

  public boolean isSubtechnique() {
    return technique != null && technique.indexOf('.') > 0;
  }
}

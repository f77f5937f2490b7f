package dev.vigil.api.v1alpha1;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The tactics of the MITRE ATT&amp;CK Enterprise matrix (v15+), by id: the only values {@code
 * spec.mitre[].tactic} accepts, and the names the coverage map and alerts show.
 */
public enum AttackTactic {
  TA0043("Reconnaissance"),
  TA0042("Resource Development"),
  TA0001("Initial Access"),
  TA0002("Execution"),
  TA0003("Persistence"),
  TA0004("Privilege Escalation"),
  TA0005("Defense Evasion"),
  TA0006("Credential Access"),
  TA0007("Discovery"),
  TA0008("Lateral Movement"),
  TA0009("Collection"),
  TA0011("Command and Control"),
  TA0010("Exfiltration"),
  TA0040("Impact");

  private final String displayName;

  AttackTactic(String displayName) {
    this.displayName = displayName;
  }

  /** The tactic's name in ATT&amp;CK, e.g. {@code Defense Evasion}. */
  public String displayName() {
    return displayName;
  }

  /**
   * The tactic a Sigma tag names, e.g. {@code defense-evasion} or {@code defense_evasion} of {@code
   * attack.defense-evasion}; empty for anything else.
   */
  public static Optional<AttackTactic> bySigmaName(String name) {
    String wanted = name.toLowerCase(Locale.ROOT).replace('_', '-');
    return Arrays.stream(values())
        .filter(t -> t.displayName.toLowerCase(Locale.ROOT).replace(' ', '-').equals(wanted))
        .findFirst();
  }

  /** The tactic with this id (e.g. {@code TA0005}); empty for anything else. */
  public static Optional<AttackTactic> byId(String id) {
    return Arrays.stream(values()).filter(t -> t.name().equals(id)).findFirst();
  }
}

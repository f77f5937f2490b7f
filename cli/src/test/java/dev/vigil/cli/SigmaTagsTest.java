package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.api.v1alpha1.AttackTactic;
import java.util.List;
import org.junit.jupiter.api.Test;

class SigmaTagsTest {
  @Test
  void tacticAndTechniqueTagsBecomeMitreEntriesInBothSpellingsOfTheTactic() {
    SigmaTags tags =
        SigmaTags.of(
            List.of(
                "attack.defense-evasion",
                "attack.privilege_escalation",
                "attack.t1078.004",
                "attack.g0016",
                "detection.threat-hunting"));

    assertThat(tags.mitre())
        .containsExactly(
            new SigmaTags.Entry(AttackTactic.TA0005, "T1078.004"),
            new SigmaTags.Entry(AttackTactic.TA0004, "T1078.004"));
    assertThat(tags.other()).containsExactly("attack.g0016", "detection.threat-hunting");
  }

  @Test
  void aTacticAloneIsATacticOnlyEntryAndATechniqueWithoutTacticStaysATag() {
    assertThat(SigmaTags.of(List.of("attack.command-and-control")).mitre())
        .containsExactly(new SigmaTags.Entry(AttackTactic.TA0011, null));
    SigmaTags orphan = SigmaTags.of(List.of("attack.T1530"));
    assertThat(orphan.mitre()).isEmpty();
    assertThat(orphan.other()).containsExactly("attack.t1530");
  }
}

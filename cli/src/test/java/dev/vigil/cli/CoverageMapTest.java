package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.rules.RuleManifest;
import dev.vigil.testing.RepositoryRoot;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * docs/detections/coverage.md is generated from the shipped rules' {@code spec.mitre}: this fails
 * when a rule changed and the map was not regenerated ({@code make coverage}, i.e. this test with
 * {@code -Dvigil.updateCoverage=true}).
 */
class CoverageMapTest {
  static final String SOURCE = "samples/detections";

  @Test
  void theCommittedCoverageMapIsGeneratedFromTheShippedRules() throws Exception {
    Path root = RepositoryRoot.find();
    StringWriter err = new StringWriter();
    int[] errors = {0};
    List<RuleManifest> rules =
        RuleFiles.read(List.of(root.resolve(SOURCE)), new PrintWriter(err), errors);
    assertThat(errors[0]).as(err.toString()).isZero();
    String generated = CoverageMap.markdown(rules, SOURCE);
    Path committed = root.resolve("docs/detections/coverage.md");
    if (Boolean.getBoolean("vigil.updateCoverage")) {
      Files.createDirectories(committed.getParent());
      Files.writeString(committed, generated);
    }
    assertThat(Files.exists(committed)).as("docs/detections/coverage.md exists").isTrue();
    assertThat(Files.readString(committed))
        .as("docs/detections/coverage.md is stale: run make coverage")
        .isEqualTo(generated);
  }

  @Test
  void aTechniqueIsListedUnderEachTacticItsRulesNameWithTheirLogTypeAndTests() {
    String yaml =
        """
        apiVersion: siem.vigil.dev/v1alpha1
        kind: DetectionRule
        metadata: {name: trail-stopped}
        spec:
          severity: 1
          logType: cloudtrail
          query: eventName:StopLogging
          mitre:
          - {tactic: TA0005, technique: T1562.008}
          tests:
          - name: stop
            expect: Match
            event: {eventName: StopLogging}
        ---
        apiVersion: siem.vigil.dev/v1alpha1
        kind: DetectionRule
        metadata: {name: no-attack}
        spec: {severity: 3, logType: waf, query: action:BLOCK}
        """;
    String md = CoverageMap.markdown(RuleManifest.read(yaml, "rules.yaml"), "rules.yaml");

    assertThat(md)
        .contains("| TA0005 Defense Evasion | 1 | 1 |")
        .contains("| TA0001 Initial Access | 0 | 0 |")
        .contains(
            "| [T1562.008](https://attack.mitre.org/techniques/T1562/008/) | `trail-stopped`"
                + " (cloudtrail, 1 tests) |")
        .contains("| waf | 1 | 0 | `no-attack` |");
  }

  @Test
  void everyStratusRedTeamTechniqueIsDetectedByAShippedRuleOrSaysWhyNot() throws Exception {
    Path root = RepositoryRoot.find();
    StringWriter err = new StringWriter();
    int[] errors = {0};
    List<RuleManifest> rules =
        RuleFiles.read(List.of(root.resolve(SOURCE)), new PrintWriter(err), errors);
    StringBuilder md = new StringBuilder();
    StratusCoverage.append(md, rules);

    Map<String, String> catalogue = StratusCoverage.catalogue();
    assertThat(catalogue).hasSizeGreaterThan(40);
    for (String id : catalogue.keySet()) {
      assertThat(md.toString())
          .as(id + " has a rule, or a reason in stratus-red-team-aws.tsv")
          .containsPattern("\\| `" + java.util.regex.Pattern.quote(id) + "` \\| (`|none: \\S)");
    }
  }

  @Test
  void aRuleClaimingATechniqueOutsideTheCatalogueIsRefusedWithItsFile() {
    String yaml =
        """
        apiVersion: siem.vigil.dev/v1alpha1
        kind: DetectionRule
        metadata:
          name: typo
          annotations: {siem.vigil.dev/stratus-red-team: "aws.defense-evasion.cloudtrail-stopp"}
        spec: {severity: 1, logType: cloudtrail, query: eventName:StopLogging}
        """;
    assertThatThrownBy(
            () -> StratusCoverage.append(new StringBuilder(), RuleManifest.read(yaml, "typo.yaml")))
        .hasMessageContaining("typo.yaml")
        .hasMessageContaining("aws.defense-evasion.cloudtrail-stopp is not a Stratus Red Team");
  }
}

package dev.vigil.core.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RuleManifestTest {
  private static final String HEAD =
      "apiVersion: siem.vigil.dev/v1alpha1\nkind: DetectionRule\nmetadata:\n  name: r\nspec:\n"
          + "  severity: 3\n";

  @Test
  void anInlineSigmaErrorIsReportedAtTheManifestLine() {
    String yaml =
        HEAD
            + "  sigma: |\n    title: t\n    logsource:\n      product: aws\n      service: cloudtrail\n"
            + "    detection:\n      sel:\n        eventTime|hour: 3\n      condition: sel\n";
    RuleManifest m = RuleManifest.read(yaml, "f.yaml").get(0);
    assertThatThrownBy(() -> m.compile(RuleCompiler.defaults()))
        .isInstanceOf(RuleException.class)
        .hasMessageStartingWith("line 14: spec.sigma: the modifier 'hour'");
  }

  @Test
  void aBadQueryIsReportedAtItsLineAndTestsRunThroughTheParser() {
    String yaml =
        HEAD
            + "  logType: cloudtrail\n  query: eventName:DeleteTrail\n  tests:\n"
            + "    - name: hit\n      expect: Match\n      event: {eventVersion: '1.08', eventTime:"
            + " '2026-11-27T10:00:00Z', eventSource: cloudtrail.amazonaws.com, eventName: DeleteTrail,"
            + " eventID: e1}\n"
            + "    - name: miss\n      expect: Match\n      event: {eventVersion: '1.08', eventTime:"
            + " '2026-11-27T10:00:00Z', eventSource: cloudtrail.amazonaws.com, eventName: GetTrail,"
            + " eventID: e2}\n";
    List<RuleTester.Result> results =
        RuleTester.standard().run(RuleManifest.read(yaml, "f.yaml").get(0));
    assertThat(results).extracting(RuleTester.Result::passed).containsExactly(true, false);
    assertThat(results.get(1).detail()).isEqualTo("expected Match, got NoMatch (line 13)");

    RuleManifest bad =
        RuleManifest.read(yaml.replace("eventName:DeleteTrail", "DeleteTrail"), "f").get(0);
    assertThatThrownBy(() -> bad.compile(RuleCompiler.defaults()))
        .hasMessageStartingWith("line 8: query:");
  }
}

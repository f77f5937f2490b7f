package dev.vigil.core.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Sequence cases: timed events and the verdict of the whole rule (threshold, window, groups). */
class RuleTesterSequenceTest {
  private static final String RULE =
      String.join(
          "\n",
          "apiVersion: siem.vigil.dev/v1alpha1",
          "kind: DetectionRule",
          "metadata:",
          "  name: denied",
          "spec:",
          "  severity: 3",
          "  logType: cloudtrail",
          "  query: errorCode:AccessDenied",
          "  condition: {threshold: 3, window: 10m, groupBy: [userIdentity.arn]}",
          "  tests:",
          "");

  private static String event(String user, String error, String time) {
    return "{eventVersion: '1.08', eventTime: '"
        + time
        + "', eventSource: s3.amazonaws.com, eventName: GetObject, eventID: e-"
        + user
        + "-"
        + time.replace(":", "")
        + ", userIdentity: {type: IAMUser, userName: "
        + user
        + ", arn: 'arn:aws:iam::1:user/"
        + user
        + "'}"
        + (error == null ? "" : ", errorCode: " + error)
        + "}";
  }

  private static List<RuleTester.Result> run(String cases) {
    return RuleTester.standard().run(RuleManifest.read(RULE + cases, "f.yaml").get(0));
  }

  @Test
  void aBurstInOneGroupAlertsForThatGroupOnly() {
    List<RuleTester.Result> results =
        run(
            "  - name: burst\n    expect: Alert\n    groups: ['arn:aws:iam::1:user/a']\n    events:\n"
                + "      - {repeat: 4, every: 1m, event: "
                + event("a", "AccessDenied", "2026-11-27T10:00:00Z")
                + "}\n"
                + "      - {repeat: 3, event: "
                + event("b", "AccessDenied", "2026-11-27T10:00:00Z")
                + "}\n"
                + "      - {repeat: 9, event: "
                + event("c", null, "2026-11-27T10:00:00Z")
                + "}\n");
    assertThat(results).extracting(RuleTester.Result::detail).containsExactly("");
    assertThat(results.get(0).passed()).isTrue();
  }

  @Test
  void theSameCountSpreadBeyondTheWindowDoesNotAlert() {
    String spread =
        "    events:\n      - {repeat: 4, every: 4m, event: "
            + event("a", "AccessDenied", "2026-11-27T10:00:00Z")
            + "}\n";
    assertThat(run("  - name: spread\n    expect: NoAlert\n" + spread))
        .extracting(RuleTester.Result::passed)
        .containsExactly(true);
    RuleTester.Result wrong = run("  - name: spread\n    expect: Alert\n" + spread).get(0);
    assertThat(wrong.passed()).isFalse();
    assertThat(wrong.detail())
        .isEqualTo(
            "expected Alert, got NoAlert (4 of 4 events match, at most 3 in one 10m window,"
                + " threshold 3; line 11)");
  }

  @Test
  void aWrongGroupListFailsNamingBoth() {
    RuleTester.Result r =
        run("  - name: g\n    expect: Alert\n    groups: [x]\n    events:\n"
                + "      - {repeat: 4, event: "
                + event("a", "AccessDenied", "2026-11-27T10:00:00Z")
                + "}\n")
            .get(0);
    assertThat(r.passed()).isFalse();
    assertThat(r.detail()).startsWith("expected groups [x], got [arn:aws:iam::1:user/a]");
  }

  @Test
  void malformedSequenceCasesAreReportedAtTheirLine() {
    assertThatThrownBy(
            () ->
                run(
                    "  - name: both\n    expect: Alert\n    event: {a: 1}\n    events:\n"
                        + "      - {event: {a: 1}}\n"))
        .hasMessageContaining("line 11")
        .hasMessageContaining("not both");
    assertThatThrownBy(
            () -> run("  - name: m\n    expect: Match\n    events:\n      - {event: {a: 1}}\n"))
        .hasMessageContaining("must be Alert or NoAlert");
    assertThatThrownBy(() -> run("  - name: m\n    expect: Alert\n    event: {a: 1}\n"))
        .hasMessageContaining("Alert/NoAlert take a sequence");
    assertThatThrownBy(
            () ->
                run(
                    "  - name: m\n    expect: Alert\n    events:\n"
                        + "      - {repeat: 0, event: {a: 1}}\n"))
        .hasMessageContaining("line 14")
        .hasMessageContaining("repeat must be");
    assertThatThrownBy(
            () ->
                run(
                    "  - name: m\n    expect: Alert\n    events:\n"
                        + "      - {every: 5 minutes, event: {a: 1}}\n"))
        .hasMessageContaining("events[0].every: '5 minutes' is not a duration");
  }

  @Test
  void vpcFlowTestEventsMapTheHeaderFieldsToOneRecord() {
    String rule =
        String.join(
            "\n",
            "apiVersion: siem.vigil.dev/v1alpha1",
            "kind: DetectionRule",
            "metadata: {name: rdp}",
            "spec:",
            "  severity: 3",
            "  logType: vpcflow",
            "  query: action:REJECT AND destination.port:3389",
            "  tests:",
            "  - name: hit",
            "    expect: Match",
            "    event: {version: 2, srcaddr: 198.51.100.7, dstaddr: 10.0.0.1, dstport: 3389,"
                + " start: 1795780800, end: 1795780860, action: REJECT}",
            "  - name: miss",
            "    expect: Match",
            "    event: {version: 2, dstport: 3389, start: 1795780800, action: ACCEPT}",
            "  - name: nested",
            "    expect: Match",
            "    event: {version: 2, dstport: {a: 1}, start: 1795780800}",
            "");
    List<RuleTester.Result> results =
        RuleTester.standard().run(RuleManifest.read(rule, "f").get(0));
    assertThat(results).extracting(RuleTester.Result::passed).containsExactly(true, false, false);
    assertThat(results.get(2).detail()).contains("maps header fields to single values; dstport");
    assertThat(
            new String(
                RuleTester.flowLogRecord(
                    RuleManifest.read(rule, "f").get(0).tests().get(1).event())))
        .isEqualTo("version dstport start action\n2 3389 1795780800 ACCEPT\n");
  }

  @Test
  void groupsOnARuleWithoutGroupByFail() {
    String rule = RULE.replace(", groupBy: [userIdentity.arn]", "");
    RuleTester.Result r =
        RuleTester.standard()
            .run(
                RuleManifest.read(
                        rule
                            + "  - name: g\n    expect: Alert\n    groups: [x]\n    events:\n"
                            + "      - {repeat: 4, event: "
                            + event("a", "AccessDenied", "2026-11-27T10:00:00Z")
                            + "}\n",
                        "f.yaml")
                    .get(0))
            .get(0);
    assertThat(r.passed()).isFalse();
    assertThat(r.detail()).contains("groups need a rule with condition.groupBy");
  }
}

package dev.vigil.core.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** spec.firstSeen: what compiles, its reference semantics, and its test cases (history). */
class FirstSeenRuleTest {
  private static final String RULE =
      String.join(
          "\n",
          "apiVersion: siem.vigil.dev/v1alpha1",
          "kind: DetectionRule",
          "metadata:",
          "  name: new-domain",
          "spec:",
          "  severity: 4",
          "  logType: route53resolver",
          "  query: rcode:NOERROR",
          "  firstSeen: {fields: [vpc_id, query_name], history: 7d}",
          "  interval: 1h",
          "  tests:",
          "");

  private static String dns(String name, String time) {
    return "{version: '1.100000', account_id: '111122223333', region: eu-west-1, vpc_id: vpc-1,"
        + " query_timestamp: '"
        + time
        + "', query_name: "
        + name
        + ", query_type: A, query_class: IN, rcode: NOERROR, srcaddr: 10.0.1.25, srcport: '5',"
        + " transport: UDP}";
  }

  private static List<RuleTester.Result> run(String cases) {
    return RuleTester.standard().run(RuleManifest.read(RULE + cases, "f.yaml").get(0));
  }

  private static CompiledRule compile(String spec) {
    return RuleManifest.read(RULE.replaceFirst("(?s)  query:.*", spec + "\n"), "f.yaml")
        .get(0)
        .compile(RuleCompiler.defaults());
  }

  @Test
  void aFirstSeenRuleCompilesToItsFieldsHistoryAndTheIntervalAsWindow() {
    CompiledRule rule =
        compile(
            "  query: rcode:NOERROR\n  firstSeen: {fields: [query_name], history: 7d}\n  interval: 1h");
    assertThat(rule.firstSeen().fields()).containsExactly("query_name");
    assertThat(rule.firstSeen().history()).isEqualTo(Duration.ofDays(7));
    assertThat(rule.window()).isEqualTo(Duration.ofHours(1));
    assertThat(rule.condition()).isNull();
    assertThat(rule.searchBody().path("aggs").path("groups").path("composite").path("sources"))
        .hasSize(1);
    assertThat(
            rule.searchBody()
                .path("query")
                .path("bool")
                .path("filter")
                .get(1)
                .path("range")
                .path("@timestamp")
                .path("gte")
                .asText())
        .isEqualTo("now-608400s");
  }

  @Test
  void theCompilerRefusesWhatOpenSearchCannotAggregateOrACountBeside() {
    assertThatThrownBy(
            () ->
                compile(
                    "  query: rcode:NOERROR\n  condition: {threshold: 1, window: 5m}\n"
                        + "  firstSeen: {fields: [query_name], history: 7d}"))
        .hasMessageContaining("firstSeen: a first-seen rule alerts on new values");
    assertThatThrownBy(
            () ->
                RuleCompiler.defaults()
                    .compile(
                        RuleSource.query("g", "guardduty", "severity:>7")
                            .withFirstSeen(
                                new RuleSource.FirstSeen(
                                    List.of("resource.instanceDetails.instanceId"), "7d"))))
        .hasMessageStartingWith("firstSeen.fields: ");
    assertThatThrownBy(
            () ->
                RuleCompiler.defaults()
                    .compile(
                        RuleSource.query("g", "guardduty", "severity:>7")
                            .withFirstSeen(new RuleSource.FirstSeen(List.of("description"), "7d"))))
        .hasMessage(
            "firstSeen.fields: description is analyzed text, which OpenSearch cannot aggregate");
    assertThatThrownBy(
            () ->
                compile(
                    "  query: rcode:NOERROR\n  firstSeen: {fields: [query_name], history: 91d}"))
        .hasMessageContaining("firstSeen.history: must be more than 0 and at most 90d");
    assertThatThrownBy(
            () -> compile("  query: rcode:NOERROR\n  firstSeen: {fields: [], history: 7d}"))
        .hasMessageContaining("spec.firstSeen.fields: list the fields");
  }

  @Test
  void aKeyIsNewWhenItsEarliestMatchInHistoryAndWindowLiesInTheWindow() {
    FirstSeenCondition first = new FirstSeenCondition(List.of("f"), Duration.ofDays(7));
    Instant now = Instant.parse("2026-11-27T12:00:00Z");
    Duration window = Duration.ofHours(1);
    List<Map.Entry<Instant, List<String>>> matches =
        List.of(
            Map.entry(now.minus(Duration.ofDays(2)), List.of("seen")),
            Map.entry(now.minusSeconds(60), List.of("seen")),
            Map.entry(now.minus(Duration.ofDays(8)), List.of("long-ago")),
            Map.entry(now.minusSeconds(30), List.of("long-ago")),
            Map.entry(now.minus(window), List.of("at-window-start")),
            Map.entry(now.minus(window).minusMillis(1), List.of("just-before")),
            Map.entry(now.minusSeconds(10), List.of("just-before")),
            Map.entry(now.plusSeconds(1), List.of("future")));
    assertThat(first.newKeys(matches, now, window)).containsOnlyKeys("long-ago", "at-window-start");
  }

  @Test
  void aRecordCaseIsNewUnlessItsKeyIsInTheHistory() {
    List<RuleTester.Result> results =
        run(
            "  - name: new\n    expect: Match\n    event: "
                + dns("a.example.", "2026-11-27T12:00:00Z")
                + "\n    history:\n    - {repeat: 3, every: 1d, event: "
                + dns("b.example.", "2026-11-22T12:00:00Z")
                + "}\n"
                + "  - name: known\n    expect: NoMatch\n    event: "
                + dns("b.example.", "2026-11-27T12:00:00Z")
                + "\n    history:\n    - {event: "
                + dns("b.example.", "2026-11-21T12:00:00Z")
                + "}\n"
                + "  - name: wrong\n    expect: Match\n    event: "
                + dns("b.example.", "2026-11-27T12:00:00Z")
                + "\n    history:\n    - {event: "
                + dns("b.example.", "2026-11-21T12:00:00Z")
                + "}\n");
    assertThat(results).extracting(RuleTester.Result::passed).containsExactly(true, true, false);
    assertThat(results.get(2).detail())
        .isEqualTo(
            "expected Match, got NoMatch (the query matches; the key is in the history) (line 22)");
  }

  @Test
  void aHistoryRecordOutsideTheHistoryWindowIsReportedNotIgnored() {
    List<RuleTester.Result> results =
        run(
            "  - name: too old\n    expect: Match\n    event: "
                + dns("a.example.", "2026-11-27T12:00:00Z")
                + "\n    history:\n    - {event: "
                + dns("a.example.", "2026-11-19T12:00:00Z")
                + "}\n"
                + "  - name: inside the window\n    expect: Match\n    event: "
                + dns("a.example.", "2026-11-27T12:00:00Z")
                + "\n    history:\n    - {event: "
                + dns("a.example.", "2026-11-27T11:30:00Z")
                + "}\n");
    assertThat(results).extracting(RuleTester.Result::passed).containsExactly(false, false);
    assertThat(results.get(0).detail())
        .startsWith("history record at 2026-11-19T12:00:00Z is not in the history window");
  }

  @Test
  void aSequenceAlertsOnlyForRunsWhoseHistoryItStates() {
    String opening = "      - {event: " + dns("x.example.", "2026-11-10T00:00:00Z") + "}\n";
    List<RuleTester.Result> results =
        run(
            // a.example. first appears after 7d of stated history: new.
            "  - name: new after a week\n    expect: Alert\n    groups: ['vpc-1|a.example.']\n    events:\n"
                + opening
                + "      - {event: "
                + dns("a.example.", "2026-11-27T12:00:00Z")
                + "}\n"
                // The opening record itself is no alert: its run's history is not stated.
                + "  - name: alone\n    expect: NoAlert\n    events:\n"
                + opening
                // Seen on day 12 and day 18: known at the second run.
                + "  - name: known\n    expect: NoAlert\n    events:\n"
                + opening
                + "      - {event: "
                + dns("b.example.", "2026-11-12T12:00:00Z")
                + "}\n"
                + "      - {event: "
                + dns("b.example.", "2026-11-18T12:00:00Z")
                + "}\n");
    assertThat(results).extracting(RuleTester.Result::detail).containsExactly("", "", "");
  }

  @Test
  void historyBelongsToFirstSeenRecordCases() {
    assertThatThrownBy(
            () ->
                RuleManifest.read(
                    RULE.replace("  firstSeen: {fields: [vpc_id, query_name], history: 7d}\n", "")
                        + "  - name: h\n    expect: Match\n    event: "
                        + dns("a.", "2026-11-27T12:00:00Z")
                        + "\n    history:\n    - {event: "
                        + dns("a.", "2026-11-26T12:00:00Z")
                        + "}\n",
                    "f.yaml"))
        .hasMessageContaining(
            "spec.tests[0].history: only a rule with spec.firstSeen reads history");
  }
}

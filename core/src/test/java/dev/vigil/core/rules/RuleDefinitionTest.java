package dev.vigil.core.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.core.alerts.AlertRule;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleDefinitionTest {
  private static JsonNode spec(String yaml) {
    return YamlTree.parseAll("spec:\n" + yaml.indent(2)).get(0).root().path("spec");
  }

  private static RuleDefinition read(String yaml) {
    return RuleDefinition.fromSpec("ns", "r", spec(yaml));
  }

  @Test
  void aMinimalSpecGetsEveryDefault() {
    RuleDefinition rule = read("severity: 2\nlogType: cloudtrail\nquery: eventName:StopLogging");
    assertThat(rule.namespace()).isEqualTo("ns");
    assertThat(rule.name()).isEqualTo("r");
    assertThat(rule.severity()).isEqualTo(2);
    assertThat(rule.interval()).isEqualTo(Duration.ofMinutes(5));
    assertThat(rule.source().interval()).isEqualTo(RuleDefinition.DEFAULT_INTERVAL).isEqualTo("5m");
    assertThat(rule.source().query()).isEqualTo("eventName:StopLogging");
    assertThat(rule.source().logType()).isEqualTo("cloudtrail");
    assertThat(rule.source().dsl()).isNull();
    assertThat(rule.source().sigma()).isNull();
    assertThat(rule.source().indexPattern()).isNull();
    assertThat(rule.source().condition()).as("every match").isNull();
    assertThat(rule.description()).isNull();
    assertThat(rule.message()).isNull();
    assertThat(rule.tags()).isEmpty();
    assertThat(rule.mitre()).isEmpty();
    assertThat(rule.suppression()).as("one alert per rule window").isNull();
    assertThat(rule.monitorType()).isEqualTo(RuleDefinition.MonitorType.Auto);
    assertThat(rule.channels()).isEmpty();

    CompiledRule compiled = RuleCompiler.defaults().compile(rule.source());
    assertThat(compiled.window()).isEqualTo(Duration.ofMinutes(5));
    AlertRule alerts = AlertRule.of(rule, compiled);
    assertThat(alerts.suppressionWindow()).isEqualTo(Duration.ofMinutes(5));
    assertThat(alerts.key()).isEmpty();
    assertThat(alerts.severity()).isEqualTo(2);
  }

  @Test
  void everyFieldIsReadAsWritten() {
    RuleDefinition rule =
        read(
            String.join(
                "\n",
                "severity: 1",
                "description: d",
                "message: '{{count}} calls'",
                "tags: [team-a]",
                "mitre: [{tactic: TA0005, technique: T1562.008}, {tactic: TA0040}]",
                "indexPattern: my-*",
                "dsl: {term: {a: b}}",
                "condition: {threshold: 20, window: 15m, groupBy: [userIdentity.arn]}",
                "interval: 30s",
                "suppression: {window: 1h}",
                "monitorType: BucketLevel",
                "actions: [{channel: a}, {channel: b}, {channel: a}]"));
    assertThat(rule.description()).isEqualTo("d");
    assertThat(rule.message()).isEqualTo("{{count}} calls");
    assertThat(rule.tags()).containsExactly("team-a");
    assertThat(rule.mitre())
        .containsExactly(new Attack("TA0005", "T1562.008"), new Attack("TA0040", null));
    assertThat(rule.source().indexPattern()).isEqualTo("my-*");
    assertThat(rule.source().dsl().path("term").path("a").asText()).isEqualTo("b");
    assertThat(rule.source().condition())
        .isEqualTo(new RuleSource.Threshold(20, "15m", List.of("userIdentity.arn")));
    assertThat(rule.interval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(rule.suppression().window()).isEqualTo(Duration.ofHours(1));
    assertThat(rule.suppression().key()).as("default: the rule").isEmpty();
    assertThat(rule.monitorType()).isEqualTo(RuleDefinition.MonitorType.BucketLevel);
    assertThat(rule.channels()).containsExactly("a", "b");
  }

  @Test
  void severityIsRequiredFromOneToFiveAsTheCrdSays() {
    assertThatThrownBy(() -> read("logType: cloudtrail\nquery: x:y"))
        .isInstanceOf(RuleException.class)
        .hasMessage("spec.severity is required: 1 (highest) to 5");
    for (String bad : List.of("0", "6", "high", "2.5")) {
      assertThatThrownBy(() -> read("severity: " + bad + "\nlogType: cloudtrail\nquery: x:y"))
          .as(bad)
          .hasMessageStartingWith("spec.severity: '" + bad + "' is not");
    }
  }

  @Test
  void problemsNameTheFieldAndInAManifestItsLine() {
    assertThatThrownBy(() -> read("severity: 1\nquery: x:y\ninterval: 0m"))
        .hasMessage("spec.interval: must be more than 0");
    assertThatThrownBy(() -> read("severity: 1\nquery: x:y\nmonitorType: Doc"))
        .hasMessageStartingWith("spec.monitorType: 'Doc' is not one of");
    assertThatThrownBy(() -> read("severity: 1\nquery: x:y\ncondition: {window: 5m}"))
        .hasMessageStartingWith("spec.condition.threshold must be a whole number");
    YamlTree tree =
        YamlTree.parseAll("spec:\n  severity: 1\n  query: x:y\n  suppression:\n    window: soon\n")
            .get(0);
    assertThatThrownBy(
            () -> RuleDefinition.fromSpec("ns", "r", tree.root().path("spec"), tree::line))
        .isInstanceOf(RuleException.class)
        .hasMessage(
            "line 5: spec.suppression.window: 'soon' is not a duration like 30s, 15m, 1h or 2d");
  }
}

package dev.vigil.core.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.core.rules.Attack;
import dev.vigil.core.rules.CompiledRule;
import dev.vigil.core.rules.RuleCompiler;
import dev.vigil.core.rules.RuleDefinition;
import dev.vigil.core.rules.RuleDefinition.MonitorType;
import dev.vigil.core.rules.RuleSource;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MonitorRendererTest {
  private final MonitorRenderer renderer = new MonitorRenderer();

  private static CompiledRule compile(RuleSource source) {
    return RuleCompiler.defaults().compile(source);
  }

  private static RuleDefinition info(Duration interval, String message) {
    return rule("r", 2, "Something happened.", List.of("attack.t1"), List.of(), interval, message);
  }

  static RuleDefinition rule(
      String name,
      int severity,
      String description,
      List<String> tags,
      List<Attack> mitre,
      Duration interval,
      String message) {
    return new RuleDefinition(
        "ns",
        name,
        description,
        severity,
        tags,
        mitre,
        null,
        interval,
        message,
        null,
        MonitorType.Auto,
        List.of());
  }

  @Test
  void aCountThresholdWithoutGroupByIsAQueryLevelMonitorOverTheWindow() {
    CompiledRule rule =
        compile(
            RuleSource.query("r", "cloudtrail", "errorCode:AccessDenied")
                .withCondition(new RuleSource.Threshold(50, "15m", List.of())));
    DesiredMonitor m = renderer.render(rule, info(Duration.ofMinutes(5), null), List.of());
    assertThat(m.type()).isEqualTo("query_level_monitor");
    JsonNode query = m.body().path("inputs").get(0).path("search").path("query");
    assertThat(query.path("track_total_hits").asBoolean()).isTrue();
    assertThat(query.path("size").asInt()).isEqualTo(1);
    assertThat(
            query
                .path("query")
                .path("bool")
                .path("filter")
                .get(1)
                .path("range")
                .path("@timestamp")
                .path("gte")
                .asText())
        .isEqualTo("{{period_end}}||-900s");
    assertThat(
            m.body()
                .path("triggers")
                .get(0)
                .path("condition")
                .path("script")
                .path("source")
                .asText())
        .isEqualTo("ctx.results[0].hits.total.value > 50");
    assertThat(m.body().path("triggers").get(0).path("severity").asText()).isEqualTo("2");
  }

  @Test
  void theScheduleIsInWholeMinutesRoundedUp() {
    CompiledRule rule = compile(RuleSource.query("r", "cloudtrail", "eventName:StopLogging"));
    for (var c :
        List.of(List.of(30L, 1L), List.of(300L, 5L), List.of(301L, 6L), List.of(3600L, 60L))) {
      JsonNode period =
          renderer
              .render(rule, info(Duration.ofSeconds(c.get(0)), null), List.of())
              .body()
              .path("schedule")
              .path("period");
      assertThat(period.path("interval").asLong()).as("%ss", c.get(0)).isEqualTo(c.get(1));
      assertThat(period.path("unit").asText()).isEqualTo("MINUTES");
    }
  }

  @Test
  void theRulesMessagePlaceholdersBecomeAlertingMustache() {
    String out =
        MonitorRenderer.queryMessage(
            info(
                Duration.ofMinutes(5),
                "{{count}} events, e.g. {{ userIdentity.arn }} calling {{eventName}}"));
    assertThat(out)
        .isEqualTo(
            "r (severity 2): {{ctx.results.0.hits.total.value}} events, e.g."
                + " {{ctx.results.0.hits.hits.0._source.userIdentity.arn}} calling"
                + " {{ctx.results.0.hits.hits.0._source.eventName}}"
                + "{{#ctx.results.0.hits.hits.0._source.cloud.account.name}} (account"
                + " {{ctx.results.0.hits.hits.0._source.cloud.account.name}})"
                + "{{/ctx.results.0.hits.hits.0._source.cloud.account.name}}");
  }

  @Test
  void theRulesAttackEntriesAreInTheSubjectAndTheDocLevelQueryTags() {
    RuleDefinition rule =
        rule(
            "trail",
            1,
            null,
            List.of("team-a"),
            List.of(new Attack("TA0005", "T1562.008"), new Attack("TA0005", null)),
            Duration.ofMinutes(5),
            null);
    DesiredMonitor m =
        new MonitorRenderer(MonitorType.DocumentLevel)
            .render(
                compile(RuleSource.query("trail", "cloudtrail", "eventName:StopLogging")),
                rule,
                List.of(new MonitorDestination("x", "cfg-x", Set.of())));

    assertThat(
            m.body()
                .path("inputs")
                .get(0)
                .path("doc_level_input")
                .path("queries")
                .get(0)
                .path("tags"))
        .extracting(JsonNode::asText)
        .containsExactly("team-a", "TA0005", "T1562.008");
    assertThat(
            m.body()
                .path("triggers")
                .get(0)
                .path("document_level_trigger")
                .path("actions")
                .get(0)
                .path("subject_template")
                .path("source")
                .asText())
        .isEqualTo("[Vigil] severity 1: trail (ATT&CK TA0005 T1562.008)");
  }

  @Test
  void renderingIsDeterministicAndTheHashFollowsTheChannels() {
    CompiledRule rule = compile(RuleSource.query("r", "cloudtrail", "eventName:StopLogging"));
    DesiredMonitor a = renderer.render(rule, info(Duration.ofMinutes(5), null), List.of());
    DesiredMonitor b = renderer.render(rule, info(Duration.ofMinutes(5), null), List.of());
    DesiredMonitor c =
        renderer.render(
            rule,
            info(Duration.ofMinutes(5), null),
            List.of(new MonitorDestination("x", "cfg-x", Set.of())));
    assertThat(a.body()).isEqualTo(b.body());
    assertThat(a.hash()).isEqualTo(b.hash()).isNotEqualTo(c.hash());
    assertThat(a.body().path("ui_metadata").path("vigil").path("hash").asText())
        .isEqualTo(a.hash());
  }

  @Test
  void docLevelQueryNamesAndTagsAvoidTheCharactersTheApiRefuses() {
    assertThat(MonitorRenderer.docQueryName("a rule (v2) [x] {y}"))
        .isEqualTo("a_rule__v2___x___y_");
    CompiledRule dsl =
        compile(
            RuleSource.dsl(
                "r",
                "cloudtrail",
                new com.fasterxml.jackson.databind.ObjectMapper()
                    .createObjectNode()
                    .set(
                        "term",
                        new com.fasterxml.jackson.databind.ObjectMapper()
                            .createObjectNode()
                            .put("eventName", "X"))));
    assertThat(new MonitorRenderer(MonitorType.DocumentLevel).unfit(dsl))
        .as("a DSL rule has no query string for a doc-level query")
        .contains("needs the match written as query:");
    assertThatThrownBy(
            () ->
                new MonitorRenderer(MonitorType.DocumentLevel)
                    .render(dsl, info(Duration.ofMinutes(5), null), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("spec.monitorType DocumentLevel");
  }
}

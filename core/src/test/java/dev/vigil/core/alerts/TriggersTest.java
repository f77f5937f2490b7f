package dev.vigil.core.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.core.rules.CompiledRule;
import dev.vigil.core.rules.RuleCompiler;
import dev.vigil.core.rules.RuleSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TriggersTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final RuleCompiler COMPILER = RuleCompiler.defaults();

  @Test
  void everyMatchFoldsHitsByTheSuppressionKey() throws Exception {
    CompiledRule rule =
        COMPILER.compile(RuleSource.query("stop", "cloudtrail", "eventName:StopLogging"));
    AlertRule alerts =
        AlertRule.of("ns", "stop", 1, null, null, null, rule, null, List.of("userIdentity.arn"));
    JsonNode response =
        JSON.readTree(
            """
            {"hits":{"total":{"value":3},"hits":[
              {"_id":"a","_source":{"@timestamp":"2026-11-27T10:00:03Z","userIdentity":{"arn":"u1"}}},
              {"_id":"b","_source":{"@timestamp":"2026-11-27T10:00:01Z","userIdentity":{"arn":"u1"}}},
              {"_id":"c","_source":{"@timestamp":"2026-11-27T10:00:02Z","userIdentity":{"arn":"u2"}}}]}}
            """);

    List<Trigger> triggers = Triggers.evaluate(rule, alerts, response);

    assertThat(triggers).hasSize(2);
    assertThat(triggers.get(0).key()).containsEntry("userIdentity.arn", "u1");
    assertThat(triggers.get(0).documentIds()).containsExactly("a", "b");
    assertThat(triggers.get(0).firstEvent()).isEqualTo(Instant.parse("2026-11-27T10:00:01Z"));
    assertThat(triggers.get(1).count()).isEqualTo(1);
    assertThat(alerts.suppressionWindow()).isEqualTo(Duration.ofMinutes(5));
    assertThat(alerts.trigger()).isEqualTo("any match in 5m");
  }

  @Test
  void everyMatchRulesLookBackFurtherForLateEventsCountingRulesKeepTheirWindow() {
    CompiledRule every =
        COMPILER.compile(RuleSource.query("stop", "cloudtrail", "eventName:StopLogging"));
    CompiledRule counting =
        COMPILER.compile(
            RuleSource.query("denied", "cloudtrail", "errorCode:AccessDenied")
                .withCondition(new RuleSource.Threshold(2, "10m", null)));
    assertThat(EngineSearch.body(every, Duration.ofMinutes(15)).toString())
        .contains("\"gte\":\"now-1200s\"");
    assertThat(EngineSearch.body(counting, Duration.ofMinutes(15)).toString())
        .contains("\"gte\":\"now-600s\"");
  }

  @Test
  void aPostFilteredRuleTriggersOnlyOnTheHitsThatPassItsFieldComparison() throws Exception {
    CompiledRule wide =
        COMPILER.compile(RuleSource.query("other", "cloudtrail", "eventName:UpdateLoginProfile"));
    CompiledRule rule =
        new CompiledRule(
            wide.name(),
            wide.logType(),
            wide.indexPattern(),
            wide.query(),
            null,
            wide.window(),
            null,
            (com.fasterxml.jackson.databind.node.ObjectNode)
                JSON.readTree(
                    """
                    {"bool":{"must_not":[{"vigil_field_equals":
                      {"field":"user.name","other_field":"aws.request.userName"}}]}}
                    """));
    AlertRule alerts = AlertRule.of("ns", "other", 2, null, null, null, rule, null, List.of());
    JsonNode response =
        JSON.readTree(
            """
            {"hits":{"total":{"value":2},"hits":[
              {"_id":"own","_source":{"@timestamp":"2026-11-27T10:00:03Z",
                "user":{"name":"alice"},"aws":{"request":{"userName":"alice"}}}},
              {"_id":"takeover","_source":{"@timestamp":"2026-11-27T10:00:01Z",
                "user":{"name":"mallory"},"aws":{"request":{"userName":"alice"}}}}]}}
            """);

    JsonNode filtered = EngineSearch.postFiltered(rule, response);

    assertThat(Triggers.evaluate(rule, alerts, filtered))
        .singleElement()
        .satisfies(t -> assertThat(t.documentIds()).containsExactly("takeover"));
    assertThat(EngineSearch.postFiltered(wide, response)).isSameAs(response);
    assertThat(response.path("hits").path("hits")).hasSize(2); // the answer itself is left alone
  }

  @Test
  void noHitsNoTrigger() throws Exception {
    CompiledRule rule =
        COMPILER.compile(RuleSource.query("stop", "cloudtrail", "eventName:StopLogging"));
    AlertRule alerts = AlertRule.of("ns", "stop", 1, null, null, null, rule, null, null);
    assertThat(Triggers.evaluate(rule, alerts, JSON.readTree("{\"hits\":{\"hits\":[]}}")))
        .isEmpty();
  }

  @Test
  void aCountFiresOnlyAboveTheThreshold() throws Exception {
    CompiledRule rule =
        COMPILER.compile(
            RuleSource.query("denied", "cloudtrail", "errorCode:AccessDenied")
                .withCondition(new RuleSource.Threshold(2, "10m", null)));
    AlertRule alerts = AlertRule.of("ns", "denied", 3, null, null, null, rule, null, null);
    String hits = "\"hits\":[{\"_id\":\"x\",\"_source\":{}}]";
    JsonNode three =
        JSON.readTree(
            "{\"hits\":{\"total\":{\"value\":3},"
                + hits
                + "},\"aggregations\":{\"first\":{\"value\":1000}}}");
    JsonNode two = JSON.readTree("{\"hits\":{\"total\":{\"value\":2}," + hits + "}}");

    assertThat(Triggers.evaluate(rule, alerts, two)).isEmpty();
    Trigger fired = Triggers.evaluate(rule, alerts, three).get(0);
    assertThat(fired.count()).isEqualTo(3);
    assertThat(fired.firstEvent()).isEqualTo(Instant.ofEpochMilli(1000));
    assertThat(fired.key()).isEmpty();
    assertThat(
            EngineSearch.body(rule).path("aggs").path("first").path("min").path("field").asText())
        .isEqualTo("@timestamp");
  }

  @Test
  void groupedBucketsAboveTheThresholdFireOneTriggerEach() throws Exception {
    CompiledRule rule =
        COMPILER.compile(
            RuleSource.query("denied", "cloudtrail", "errorCode:AccessDenied")
                .withCondition(new RuleSource.Threshold(20, "15m", List.of("userIdentity.arn"))));
    AlertRule alerts =
        AlertRule.of(
            "ns", "denied", 3, null, null, null, rule, Duration.ofHours(1), List.of("other"));
    JsonNode response =
        JSON.readTree(
            """
            {"hits":{"total":{"value":60},"hits":[]},"aggregations":{"groups":{"buckets":[
              {"key":"mallory","doc_count":25,"first":{"value":5000},
               "latest":{"hits":{"hits":[{"_id":"m1","_source":{"userIdentity":{"arn":"mallory"}}}]}}},
              {"key":"alice","doc_count":20,"first":{"value":6000},"latest":{"hits":{"hits":[]}}}]}}}
            """);

    List<Trigger> triggers = Triggers.evaluate(rule, alerts, response);

    assertThat(alerts.key()).containsExactly("userIdentity.arn");
    assertThat(alerts.trigger()).isEqualTo("count > 20 in 15m by userIdentity.arn");
    assertThat(triggers)
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.key()).containsEntry("userIdentity.arn", "mallory");
              assertThat(t.count()).isEqualTo(25);
              assertThat(t.documentIds()).containsExactly("m1");
              assertThat(t.firstEvent()).isEqualTo(Instant.ofEpochMilli(5000));
            });
    JsonNode body = EngineSearch.body(rule);
    assertThat(
            body.path("aggs")
                .path("groups")
                .path("aggs")
                .path("latest")
                .path("top_hits")
                .path("size")
                .asInt())
        .isEqualTo(EngineSearch.SAMPLE);
  }

  @Test
  void messageTemplatesReadDottedFieldsAndTheCount() throws Exception {
    JsonNode doc = JSON.readTree("{\"userIdentity\":{\"arn\":\"u\"},\"aws.request.name\":\"t\"}");
    assertThat(
            MessageTemplate.render(
                "{{userIdentity.arn}} {{ aws.request.name }} {{count}} {{missing}}!", doc, 7))
        .isEqualTo("u t 7 !");
  }
}

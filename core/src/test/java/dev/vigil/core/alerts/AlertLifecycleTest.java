package dev.vigil.core.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.core.rules.Attack;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AlertLifecycleTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AlertRule RULE =
      new AlertRule(
          "sec",
          "s3-denied",
          3,
          List.of("team.cloud"),
          List.of(
              new Attack("TA0007", "T1619"),
              new Attack("TA0009", "T1530"),
              new Attack("TA0007", null)),
          "count > 20 in 15m by userIdentity.arn",
          "{{userIdentity.arn}} was denied {{count}} calls",
          Duration.ofHours(1),
          List.of("userIdentity.arn"));
  private static final Instant T0 = Instant.parse("2026-11-27T10:05:00Z");

  @Test
  void anAlertCarriesTheRulesAttackEntriesAsEcsThreatFields() throws Exception {
    Alert alert =
        AlertLifecycle.afterRun(RULE, T0, List.of(trigger("mallory", 25)), List.of(), Set.of())
            .create()
            .get(0);

    assertThat(JSON.valueToTree(alert).path("threat"))
        .isEqualTo(
            JSON.readTree(
                "{\"framework\":\"MITRE ATT&CK\",\"tactic\":{\"id\":[\"TA0007\",\"TA0009\"]},"
                    + "\"technique\":{\"id\":[\"T1619\",\"T1530\"]}}"));
    assertThat(alert.tags).containsExactly("team.cloud");
  }

  @Test
  void theMessageNamesTheAccountWhereTheEventHasAnOrganizationsName() {
    Trigger named = trigger("mallory", 25);
    ((ObjectNode) named.sample()).putObject("cloud").putObject("account").put("name", "payments");

    String withName =
        AlertLifecycle.afterRun(RULE, T0, List.of(named), List.of(), Set.of())
            .create()
            .get(0)
            .message;
    String without =
        AlertLifecycle.afterRun(RULE, T0, List.of(trigger("eve", 25)), List.of(), Set.of())
            .create()
            .get(0)
            .message;

    assertThat(withName)
        .isEqualTo("arn:aws:iam::1:user/mallory was denied 25 calls (account payments)");
    assertThat(without).isEqualTo("arn:aws:iam::1:user/eve was denied 25 calls");
  }

  @Test
  void aSubtechniqueIsWrittenUnderItsParentTechnique() throws Exception {
    Alert.Threat threat =
        Alert.Threat.of(
            List.of(new Attack("TA0005", "T1562.008"), new Attack("TA0005", "T1562.001")));

    assertThat(threat.tactic.id).containsExactly("TA0005");
    assertThat(threat.technique.id).containsExactly("T1562");
    assertThat(threat.technique.subtechnique.id).containsExactly("T1562.008", "T1562.001");
    assertThat(Alert.Threat.of(List.of())).isNull();
  }

  @Test
  void aKeyThatFiresWithoutAnOpenAlertRaisesAnActiveAlertWithItsRenderedMessage() {
    var plan =
        AlertLifecycle.afterRun(RULE, T0, List.of(trigger("mallory", 25)), List.of(), Set.of());

    assertThat(plan.update()).isEmpty();
    Alert alert = plan.create().get(0);
    assertThat(alert.state).isEqualTo(AlertState.ACTIVE);
    assertThat(alert.message).isEqualTo("arn:aws:iam::1:user/mallory was denied 25 calls");
    assertThat(alert.key).containsEntry("userIdentity.arn", "arn:aws:iam::1:user/mallory");
    assertThat(alert.startTime).isEqualTo("2026-11-27T10:05:00Z");
    assertThat(alert.severity).isEqualTo(3);
    assertThat(alert.matchingDocumentIds).containsExactly("d1", "d2");
    assertThat(alert.rule.name).isEqualTo("s3-denied");
  }

  @Test
  void theSameBurstSeenAgainGetsTheSameIdSoTheSecondCreateIsADuplicate() {
    String first =
        AlertLifecycle.afterRun(RULE, T0, List.of(trigger("mallory", 25)), List.of(), Set.of())
            .create()
            .get(0)
            .id;
    String later =
        AlertLifecycle.afterRun(
                RULE, T0.plusSeconds(600), List.of(trigger("mallory", 30)), List.of(), Set.of())
            .create()
            .get(0)
            .id;
    String otherPrincipal =
        AlertLifecycle.afterRun(RULE, T0, List.of(trigger("eve", 25)), List.of(), Set.of())
            .create()
            .get(0)
            .id;
    assertThat(later).isEqualTo(first);
    assertThat(otherPrincipal).isNotEqualTo(first);
  }

  @Test
  void anOpenAlertIsUpdatedWhileItsKeyFiresAcknowledgedOnRequestAndCompletedWhenItClears() {
    Alert alert =
        AlertLifecycle.afterRun(RULE, T0, List.of(trigger("mallory", 25)), List.of(), Set.of())
            .create()
            .get(0);

    var still =
        AlertLifecycle.afterRun(
            RULE,
            T0.plusSeconds(60),
            List.of(trigger("mallory", 40)),
            open(alert),
            Set.of(alert.id));
    assertThat(still.create()).isEmpty();
    assertThat(still.update())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.state).isEqualTo(AlertState.ACKNOWLEDGED);
              assertThat(a.acknowledgedTime).isEqualTo("2026-11-27T10:06:00Z");
              assertThat(a.count).isEqualTo(40);
              assertThat(a.endTime).isNull();
            });

    var cleared =
        AlertLifecycle.afterRun(RULE, T0.plusSeconds(120), List.of(), open(alert), Set.of());
    assertThat(cleared.update())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.state).isEqualTo(AlertState.COMPLETED);
              assertThat(a.endTime).isEqualTo("2026-11-27T10:07:00Z");
              assertThat(a.acknowledgedTime).isEqualTo("2026-11-27T10:06:00Z");
            });
  }

  @Test
  void anAlertTheStreamRaisedStaysActiveUntilARunHasToldItsChannels() {
    Alert streamed =
        AlertLifecycle.afterRun(RULE, T0, List.of(trigger("mallory", 1)), List.of(), Set.of())
            .create()
            .get(0);
    streamed.source = StreamDetector.STREAM;

    // The run's search does not see the events yet: kept ACTIVE, to be told.
    var first =
        AlertLifecycle.afterRun(RULE, T0.plusSeconds(60), List.of(), open(streamed), Set.of());
    assertThat(first.update())
        .singleElement()
        .satisfies(a -> assertThat(a.state).isEqualTo(AlertState.ACTIVE));

    // Once told (the engine notes when), a quiet key completes it as any other.
    streamed.notifiedTime = "2026-11-27T10:06:00Z";
    var next =
        AlertLifecycle.afterRun(RULE, T0.plusSeconds(120), List.of(), open(streamed), Set.of());
    assertThat(next.update())
        .singleElement()
        .satisfies(a -> assertThat(a.state).isEqualTo(AlertState.COMPLETED));
  }

  @Test
  void acknowledgingAnUnknownIdChangesNothing() {
    Alert alert =
        AlertLifecycle.afterRun(RULE, T0, List.of(trigger("mallory", 25)), List.of(), Set.of())
            .create()
            .get(0);
    var plan =
        AlertLifecycle.afterRun(
            RULE, T0.plusSeconds(60), List.of(trigger("mallory", 25)), open(alert), Set.of("nope"));
    assertThat(plan.update().get(0).state).isEqualTo(AlertState.ACTIVE);
  }

  @Test
  void aFailedRunRaisesOneErrorAlertThatTheNextGoodRunCompletes() {
    var failed = AlertLifecycle.afterError(RULE, T0, "index_not_found", List.of(), Set.of());
    Alert error = failed.create().get(0);
    assertThat(error.state).isEqualTo(AlertState.ERROR);
    assertThat(error.errorMessage).isEqualTo("index_not_found");

    var again =
        AlertLifecycle.afterError(RULE, T0.plusSeconds(60), "timeout", open(error), Set.of());
    assertThat(again.create()).isEmpty();
    assertThat(again.update())
        .singleElement()
        .satisfies(a -> assertThat(a.errorMessage).isEqualTo("timeout"));

    var good = AlertLifecycle.afterRun(RULE, T0.plusSeconds(120), List.of(), open(error), Set.of());
    assertThat(good.update())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.state).isEqualTo(AlertState.COMPLETED);
              assertThat(a.endTime).isNotNull();
            });
  }

  @Test
  void anAlertAnAnalystClosedIsCompletedAndStaysClosedWhileItsBurstGoesOn() {
    Alert alert =
        AlertLifecycle.afterRun(RULE, T0, List.of(trigger("mallory", 25)), List.of(), Set.of())
            .create()
            .get(0);

    var closed =
        AlertLifecycle.afterRun(
            RULE,
            T0.plusSeconds(60),
            List.of(trigger("mallory", 40)),
            open(alert),
            new AlertLifecycle.Requests(Set.of(), Set.of(alert.id)));
    assertThat(closed.create()).isEmpty();
    assertThat(closed.update())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.state).isEqualTo(AlertState.COMPLETED);
              assertThat(a.closedTime).isEqualTo("2026-11-27T10:06:00Z");
              assertThat(a.endTime).isEqualTo(a.closedTime);
              assertThat(a.count).as("not updated by the run that closed it").isEqualTo(25);
            });

    // The next run no longer sees it open: the same burst asks to create the same id again,
    // which the writer's create refuses (the suppression), so nothing is raised.
    var next =
        AlertLifecycle.afterRun(
            RULE, T0.plusSeconds(120), List.of(trigger("mallory", 45)), List.of(), Set.of());
    assertThat(next.create()).singleElement().satisfies(a -> assertThat(a.id).isEqualTo(alert.id));
  }

  @Test
  void closingWorksOnAnAcknowledgedAlertDuringAFailedRunAndIgnoresUnknownIds() {
    Alert alert =
        AlertLifecycle.afterRun(RULE, T0, List.of(trigger("mallory", 25)), List.of(), Set.of())
            .create()
            .get(0);
    alert.state = AlertState.ACKNOWLEDGED;

    var failed =
        AlertLifecycle.afterError(
            RULE,
            T0.plusSeconds(60),
            "timeout",
            open(alert),
            new AlertLifecycle.Requests(Set.of(), Set.of(alert.id, "nope")));
    assertThat(failed.update())
        .singleElement()
        .satisfies(a -> assertThat(a.state).isEqualTo(AlertState.COMPLETED));
    assertThat(failed.create())
        .singleElement()
        .satisfies(a -> assertThat(a.state).isEqualTo(AlertState.ERROR));

    var untouched =
        AlertLifecycle.afterRun(
            RULE,
            T0.plusSeconds(60),
            List.of(trigger("eve", 25)),
            open(),
            new AlertLifecycle.Requests(Set.of(), Set.of("nope")));
    assertThat(untouched.update()).isEmpty();
  }

  private static List<Alert> open(Alert... alerts) {
    return new ArrayList<>(List.of(alerts));
  }

  private static Trigger trigger(String user, long count) {
    ObjectNode sample = JSON.createObjectNode();
    sample.putObject("userIdentity").put("arn", "arn:aws:iam::1:user/" + user);
    return new Trigger(
        Map.of("userIdentity.arn", "arn:aws:iam::1:user/" + user),
        count,
        T0.minusSeconds(30),
        List.of("d1", "d2"),
        sample);
  }
}

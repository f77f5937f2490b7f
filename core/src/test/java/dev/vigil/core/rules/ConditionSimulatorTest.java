package dev.vigil.core.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.core.LogType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionSimulatorTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
  private final ConditionSimulator sim = new ConditionSimulator(FieldTypes.of(LogType.CLOUDTRAIL));

  private static List<ConditionSimulator.Match> burst(
      String arn, int n, Duration every, Duration offset) throws Exception {
    JsonNode doc =
        JSON.readTree(
            "{\"userIdentity\":{\"arn\":\"" + arn + "\"},\"source\":{\"ip\":\"1.2.3.4\"}}");
    List<ConditionSimulator.Match> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new ConditionSimulator.Match(T0.plus(offset).plus(every.multipliedBy(i)), doc));
    }
    return out;
  }

  @Test
  void everyMatchAlertsWithoutACondition() throws Exception {
    assertThat(sim.run(null, List.of()).alerts()).isFalse();
    assertThat(sim.run(null, burst("a", 1, Duration.ZERO, Duration.ZERO)).alerts()).isTrue();
  }

  @Test
  void aThresholdNeedsMoreThanNMatchesWithinOneWindow() throws Exception {
    RuleSource.Threshold t = new RuleSource.Threshold(20, "15m", List.of());
    assertThat(sim.run(t, burst("a", 20, Duration.ofSeconds(10), Duration.ZERO)).alerts())
        .as("exactly the threshold does not alert")
        .isFalse();
    ConditionSimulator.Verdict v =
        sim.run(t, burst("a", 21, Duration.ofSeconds(10), Duration.ZERO));
    assertThat(v.alerts()).isTrue();
    assertThat(v.most()).isEqualTo(21);
    // 21 matches spread one minute apart over 20 minutes: at most 16 in any 15 minutes.
    v = sim.run(t, burst("a", 21, Duration.ofMinutes(1), Duration.ZERO));
    assertThat(v.alerts()).isFalse();
    assertThat(v.most()).isEqualTo(16);
  }

  @Test
  void theWindowIsClosedAtBothEndsLikeTheRangeFilter() {
    List<Instant> edge = List.of(T0, T0.plus(Duration.ofMinutes(15)));
    assertThat(ConditionSimulator.mostInOneWindow(edge, Duration.ofMinutes(15))).isEqualTo(2);
    List<Instant> past = List.of(T0, T0.plus(Duration.ofMinutes(15)).plusSeconds(1));
    assertThat(ConditionSimulator.mostInOneWindow(past, Duration.ofMinutes(15))).isEqualTo(1);
  }

  @Test
  void groupsCountSeparatelyAndOnlyTheBusyOnesAlert() throws Exception {
    RuleSource.Threshold t = new RuleSource.Threshold(5, "10m", List.of("userIdentity.arn"));
    List<ConditionSimulator.Match> matches = new ArrayList<>();
    matches.addAll(burst("arn:a", 6, Duration.ofSeconds(30), Duration.ZERO));
    matches.addAll(burst("arn:b", 5, Duration.ofSeconds(30), Duration.ZERO));
    ConditionSimulator.Verdict v = sim.run(t, matches);
    assertThat(v.alerts()).isTrue();
    assertThat(v.groups()).containsExactly("arn:a");
    // Together they are 11 in the window, but no single group is above 5 once a has 5.
    matches.remove(0);
    assertThat(sim.run(t, matches).alerts()).isFalse();
  }

  @Test
  void multiFieldGroupsJoinTheirValuesAndDocumentsWithoutTheFieldAreInNoGroup() throws Exception {
    RuleSource.Threshold t =
        new RuleSource.Threshold(1, "10m", List.of("userIdentity.arn", "source.ip"));
    List<ConditionSimulator.Match> matches =
        new ArrayList<>(burst("arn:a", 2, Duration.ofSeconds(1), Duration.ZERO));
    JsonNode noIp = JSON.readTree("{\"userIdentity\":{\"arn\":\"arn:b\"}}");
    matches.add(new ConditionSimulator.Match(T0, noIp));
    matches.add(new ConditionSimulator.Match(T0, noIp));
    ConditionSimulator.Verdict v = sim.run(t, matches);
    assertThat(v.groups()).containsExactly("arn:a|1.2.3.4");
  }
}

package dev.vigil.operator.common;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.api.v1alpha1.Condition;
import dev.vigil.testing.TestClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionsTest {
  private final TestClock clock = new TestClock(Instant.parse("2026-11-27T10:00:00Z"));
  private final Conditions conditions = new Conditions(clock);

  @Test
  void transitionTimeStaysWhileStatusStaysAndMovesWhenItFlips() {
    List<Condition> list = new ArrayList<>();
    conditions.set(list, "Ready", false, "Unreachable", "first", 1L);
    clock.now = Instant.parse("2026-11-27T10:05:00Z");
    conditions.set(list, "Ready", false, "Unauthorized", "second", 1L);
    assertThat(list)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getLastTransitionTime()).isEqualTo("2026-11-27T10:00:00Z");
              assertThat(c.getReason()).isEqualTo("Unauthorized");
              assertThat(c.getMessage()).isEqualTo("second");
            });

    clock.now = Instant.parse("2026-11-27T10:07:00Z");
    conditions.set(list, "Ready", true, "Connected", "ok", 2L);
    assertThat(list.get(0).getLastTransitionTime()).isEqualTo("2026-11-27T10:07:00Z");
    assertThat(list.get(0).getObservedGeneration()).isEqualTo(2L);
    assertThat(Conditions.isTrue(list, "Ready")).isTrue();
  }

  @Test
  void settingACopiedConditionLeavesTheCurrentStatusAsItWas() {
    List<Condition> current = new ArrayList<>();
    conditions.set(current, "IngesterReady", false, "PodsNotReady", "0/1", 1L);
    List<Condition> next = Conditions.copyOf(current);
    conditions.set(next, "IngesterReady", true, "Running", "1/1", 1L);
    assertThat(current.get(0).getStatus()).isEqualTo("False");
    assertThat(current.get(0).getMessage()).isEqualTo("0/1");
    assertThat(next.get(0).getStatus()).isEqualTo("True");
  }

  @Test
  void conditionsOfOtherTypesAreLeftAlone() {
    List<Condition> list = new ArrayList<>();
    conditions.set(list, "QueueReady", true, "Created", "q", 1L);
    conditions.set(list, "Ready", false, "Waiting", "w", 1L);
    assertThat(list).extracting(Condition::getType).containsExactly("QueueReady", "Ready");
    assertThat(Conditions.isTrue(list, "QueueReady")).isTrue();
    assertThat(Conditions.isTrue(list, "Missing")).isFalse();
  }
}

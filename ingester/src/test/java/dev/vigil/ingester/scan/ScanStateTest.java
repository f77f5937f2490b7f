package dev.vigil.ingester.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScanStateTest {
  private static final Instant T = Instant.parse("2026-11-27T12:00:00Z");
  private static final Duration OVERLAP = Duration.ofMinutes(15);

  @Test
  void newMeansWrittenSinceTheWatermarkMinusTheOverlapAndNotDoneYet() {
    ScanState state = new ScanState(T);
    assertThat(state.isNew("a", T.minus(OVERLAP), OVERLAP)).isTrue();
    assertThat(state.isNew("b", T.minus(OVERLAP).minusSeconds(1), OVERLAP)).isFalse();

    state.done("a", T.minus(OVERLAP));
    assertThat(state.isNew("a", T.minus(OVERLAP), OVERLAP)).isFalse();
  }

  @Test
  void aFailedObjectIsTriedOnEveryPassThatListsItAndForgottenOnceNoPassDoes() {
    ScanState state = new ScanState(T);
    Instant old = T.minus(Duration.ofHours(2));
    state.markFailed("late");

    state.passCompleted(T.plusSeconds(300), OVERLAP, Set.of("late"));
    assertThat(state.isNew("late", old, OVERLAP)).isTrue();

    state.passCompleted(T.plusSeconds(600), OVERLAP, Set.of());
    assertThat(state.isNew("late", old, OVERLAP)).isFalse();
  }

  @Test
  void aCompletedPassForgetsDoneObjectsOlderThanTheOverlapAndTheStateSurvivesJson() {
    ScanState state = new ScanState(T);
    state.done("older", T.minusSeconds(60));
    state.done("newer", T.plusSeconds(250));
    state.markFailed("broken");

    state.passCompleted(T.plusSeconds(900), OVERLAP, Set.of("broken"));
    ScanState loaded = ScanState.fromJson(state.toJson()).orElseThrow();

    assertThat(loaded.watermark).isEqualTo(T.plusSeconds(900));
    assertThat(loaded.recent).containsOnlyKeys("newer");
    assertThat(loaded.failed).containsExactly("broken");
  }
}

package dev.vigil.operator.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.api.v1alpha1.DeletionPolicy;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ExternalCleanupTest {
  @Test
  void retainLeavesExternalStateAloneAndLetsTheResourceGo() throws Exception {
    AtomicInteger deletions = new AtomicInteger();
    var control = ExternalCleanup.apply(DeletionPolicy.Retain, deletions::incrementAndGet);
    assertThat(deletions).hasValue(0);
    assertThat(control.isRemoveFinalizer()).isTrue();
  }

  @Test
  void deleteRunsTheDeletionThenLetsTheResourceGo() throws Exception {
    AtomicInteger deletions = new AtomicInteger();
    var control = ExternalCleanup.apply(DeletionPolicy.Delete, deletions::incrementAndGet);
    assertThat(deletions).hasValue(1);
    assertThat(control.isRemoveFinalizer()).isTrue();
  }

  @Test
  void failedDeletionKeepsTheFinalizerByThrowingForARetry() {
    assertThatThrownBy(
            () ->
                ExternalCleanup.apply(
                    DeletionPolicy.Delete,
                    () -> {
                      throw new IllegalStateException("OpenSearch unreachable");
                    }))
        .hasMessageContaining("unreachable");
  }
}

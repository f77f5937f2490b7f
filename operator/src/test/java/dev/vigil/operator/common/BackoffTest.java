package dev.vigil.operator.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void delayDoublesPerFailureWithinJitterAndIsCapped() {
    Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(10));
    assertThat(backoff.failed("a")).isBetween(Duration.ofMillis(1000), Duration.ofMillis(1200));
    assertThat(backoff.failed("a")).isBetween(Duration.ofMillis(2000), Duration.ofMillis(2400));
    assertThat(backoff.failed("a")).isBetween(Duration.ofMillis(4000), Duration.ofMillis(4800));
    for (int i = 0; i < 40; i++) {
      assertThat(backoff.failed("a")).isLessThanOrEqualTo(Duration.ofSeconds(10));
    }
    assertThat(backoff.failed("b")).isLessThanOrEqualTo(Duration.ofMillis(1200)); // per resource
    backoff.succeeded("a");
    assertThat(backoff.failures("a")).isZero();
    assertThat(backoff.failed("a")).isLessThanOrEqualTo(Duration.ofMillis(1200));
  }
}

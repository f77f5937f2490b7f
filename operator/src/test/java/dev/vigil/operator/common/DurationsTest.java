package dev.vigil.operator.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
  @Test
  void parsesManifestDurationsAndNamesTheFieldWhenWrong() throws Exception {
    assertThat(Durations.parse("15m", "f", null)).isEqualTo(Duration.ofMinutes(15));
    assertThat(Durations.parse("250ms", "f", null)).isEqualTo(Duration.ofMillis(250));
    assertThat(Durations.parse("7d", "f", null)).isEqualTo(Duration.ofDays(7));
    assertThat(Durations.parse(null, "f", Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(3));
    assertThatThrownBy(() -> Durations.parse("fifteen minutes", "spec.window", null))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageContaining("spec.window")
        .hasMessageContaining("fifteen minutes");
  }
}

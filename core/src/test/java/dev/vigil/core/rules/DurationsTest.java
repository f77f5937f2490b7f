package dev.vigil.core.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
  @Test
  void parsesManifestDurationsAndNamesTheFieldWhenWrong() {
    assertThat(Durations.parse("15m", "f", null)).isEqualTo(Duration.ofMinutes(15));
    assertThat(Durations.parse("250ms", "f", null)).isEqualTo(Duration.ofMillis(250));
    assertThat(Durations.parse("7d", "f", null)).isEqualTo(Duration.ofDays(7));
    assertThat(Durations.parse(null, "f", Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(3));
    assertThatThrownBy(() -> Durations.parse("fifteen minutes", "spec.window", null))
        .isInstanceOf(RuleException.class)
        .hasMessageContaining("spec.window")
        .hasMessageContaining("fifteen minutes");
  }

  @Test
  void acceptsEveryUnitTheCrdPatternsAllowAndNothingElse() {
    // The units of every duration pattern in api/ (s|m|h|d, ms|s|m, h|d): all parse here.
    assertThat(Durations.parse("30s", "f")).isEqualTo(Duration.ofSeconds(30));
    assertThat(Durations.parse("2h", "f")).isEqualTo(Duration.ofHours(2));
    assertThat(Durations.parse(" 1h ", "f")).isEqualTo(Duration.ofHours(1));
    for (String bad : new String[] {"", "5", "m", "1w", "1.5h", "-1m", "5 m", "1M"}) {
      assertThatThrownBy(() -> Durations.parse(bad, "f")).as(bad).isInstanceOf(RuleException.class);
    }
    assertThatThrownBy(() -> Durations.parse(null, "spec.interval"))
        .hasMessageStartingWith("spec.interval:");
  }
}

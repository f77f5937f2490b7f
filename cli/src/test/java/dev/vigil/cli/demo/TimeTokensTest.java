package dev.vigil.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimeTokensTest {
  static final Instant NOW = Instant.parse("2026-11-27T22:40:17.250Z");

  @Test
  void rendersTimesRelativeToNowInTheThreeFormsAwsLogsUse() {
    assertThat(
            TimeTokens.render(
                "{\"eventTime\":\"${iso:-300}\",\"start\":${epoch:-60},\"timestamp\":${epochms:0}}",
                NOW))
        .isEqualTo(
            "{\"eventTime\":\"2026-11-27T22:35:17Z\",\"start\":1795819157,\"timestamp\":1795819217000}");
  }

  @Test
  void leavesOtherDollarBracesAlone() {
    assertThat(TimeTokens.render("${name} ${iso:x} $5", NOW)).isEqualTo("${name} ${iso:x} $5");
  }
}

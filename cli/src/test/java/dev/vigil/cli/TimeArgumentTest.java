package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The times {@code vigil alerts list --since/--until} accept. */
class TimeArgumentTest {
  private final TimeArgument times =
      new TimeArgument(Clock.fixed(Instant.parse("2026-12-06T09:00:00Z"), ZoneOffset.UTC));

  @Test
  void readsTimesDaysAndTimesAgo() {
    assertThat(times.convert("2026-12-01T08:00:00+01:00"))
        .isEqualTo(Instant.parse("2026-12-01T07:00:00Z"));
    assertThat(times.convert("2026-12-01")).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
    assertThat(times.convert("30m")).isEqualTo(Instant.parse("2026-12-06T08:30:00Z"));
    assertThat(times.convert("24h")).isEqualTo(Instant.parse("2026-12-05T09:00:00Z"));
    assertThat(times.convert("7d")).isEqualTo(Instant.parse("2026-11-29T09:00:00Z"));
  }

  @Test
  void namesTheAcceptedFormsWhenItCannotRead() {
    assertThatThrownBy(() -> times.convert("yesterday"))
        .isInstanceOf(CommandLine.TypeConversionException.class)
        .hasMessageContaining("'yesterday' is not a time")
        .hasMessageContaining("24h");
  }
}

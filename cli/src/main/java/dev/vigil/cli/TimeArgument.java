package dev.vigil.cli;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * A point in time on the command line: an RFC 3339 time ({@code 2026-12-01T08:00:00Z}), a UTC day
 * ({@code 2026-12-01}, its start) or a time ago ({@code 30m}, {@code 24h}, {@code 7d}).
 */
final class TimeArgument implements CommandLine.ITypeConverter<Instant> {
  private static final Pattern AGO = Pattern.compile("([0-9]+)([smhd])");
  private final Clock clock;

  TimeArgument() {
    this(Clock.systemUTC());
  }

  TimeArgument(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Instant convert(String value) {
    Matcher ago = AGO.matcher(value);
    if (ago.matches()) {
      long n = Long.parseLong(ago.group(1));
      Duration length =
          switch (ago.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
          };
      return clock.instant().minus(length);
    }
    try {
      return value.length() == 10
          ? LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant()
          : OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      throw new CommandLine.TypeConversionException(
          "'"
              + value
              + "' is not a time: use 2026-12-01T08:00:00Z, 2026-12-01 (UTC) or a time ago (30m, 24h, 7d)");
    }
  }
}

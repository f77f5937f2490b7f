package dev.vigil.operator.common;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as written in Vigil manifests: a number and a unit (ms, s, m, h, d). */
public final class Durations {
  private static final Pattern FORMAT = Pattern.compile("^([0-9]+)(ms|s|m|h|d)$");

  private Durations() {}

  public static Duration parse(String text, String field, Duration fallback)
      throws InvalidSpecException {
    if (text == null || text.isBlank()) {
      return fallback;
    }
    Matcher m = FORMAT.matcher(text.trim());
    if (!m.matches()) {
      throw new InvalidSpecException(
          field + ": '" + text + "' is not a duration like 30s, 5m, 1h or 7d");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }
}

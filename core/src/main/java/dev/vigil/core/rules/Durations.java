package dev.vigil.core.rules;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as rules write them: {@code 30s}, {@code 15m}, {@code 1h}, {@code 2d}. */
public final class Durations {
  private static final Pattern FORMAT = Pattern.compile("([0-9]+)([smhd])");

  private Durations() {}

  public static Duration parse(String text, String field) {
    Matcher m = FORMAT.matcher(text == null ? "" : text.trim());
    if (!m.matches()) {
      throw new RuleException(field + ": '" + text + "' is not a duration like 30s, 15m, 1h or 2d");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }
}

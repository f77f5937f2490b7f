package dev.vigil.core.rules;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one grammar of durations in Vigil manifests: a whole number and a unit — {@code ms}, {@code
 * s}, {@code m}, {@code h} or {@code d} ({@code 250ms}, {@code 30s}, {@code 15m}, {@code 1h},
 * {@code 2d}). Each CRD field's pattern may allow fewer units; none allows more.
 */
public final class Durations {
  private static final Pattern FORMAT = Pattern.compile("([0-9]+)(ms|s|m|h|d)");

  private Durations() {}

  /**
   * @throws RuleException naming {@code field} when the text is missing or not a duration
   */
  public static Duration parse(String text, String field) {
    Matcher m = FORMAT.matcher(text == null ? "" : text.trim());
    if (!m.matches()) {
      throw new RuleException(field + ": '" + text + "' is not a duration like 30s, 15m, 1h or 2d");
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

  /**
   * As {@link #parse(String, String)}, with {@code fallback} for an unset (null or blank) field.
   */
  public static Duration parse(String text, String field, Duration fallback) {
    return text == null || text.isBlank() ? fallback : parse(text, field);
  }
}

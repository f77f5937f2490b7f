package dev.vigil.core.snapshot;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the time partition from time-partitioned index names ({@code vigil-cloudtrail-2026.11.01},
 * {@code -2026.11}, {@code -2026}, as {@code IndexNaming} writes them) and decides which indices
 * have expired. An index expires when its whole partition is older than the maximum age, i.e. when
 * the partition's end (midnight after the day) lies more than {@code maxAge} in the past: a record
 * of the last second of a day is kept at least {@code maxAge}. Names without a date suffix are
 * never expired.
 */
public final class IndexPartitions {
  private static final Pattern SUFFIX =
      Pattern.compile("-(\\d{4})(?:\\.(\\d{2})(?:\\.(\\d{2}))?)?$");

  private IndexPartitions() {}

  /** When the index's partition ends, or empty when the name carries no valid date suffix. */
  public static Optional<Instant> partitionEnd(String index) {
    Matcher m = SUFFIX.matcher(index);
    if (!m.find()) {
      return Optional.empty();
    }
    try {
      int year = Integer.parseInt(m.group(1));
      LocalDate end;
      if (m.group(3) != null) {
        end =
            LocalDate.of(year, Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)))
                .plusDays(1);
      } else if (m.group(2) != null) {
        end = LocalDate.of(year, Integer.parseInt(m.group(2)), 1).plusMonths(1);
      } else {
        end = LocalDate.of(year, 1, 1).plusYears(1);
      }
      return Optional.of(end.atStartOfDay(ZoneOffset.UTC).toInstant());
    } catch (java.time.DateTimeException e) {
      return Optional.empty(); // e.g. 2026.13.45: not a partition Vigil wrote
    }
  }

  /** The partition's day for a daily index ({@code 2026.11.01} → 2026-11-01). */
  public static Optional<LocalDate> day(String index) {
    Matcher m = SUFFIX.matcher(index);
    if (!m.find() || m.group(3) == null) {
      return Optional.empty();
    }
    return partitionEnd(index).map(end -> LocalDate.ofInstant(end, ZoneOffset.UTC).minusDays(1));
  }

  /** The indices whose partition ended more than {@code maxAge} before {@code now}, sorted. */
  public static List<String> expired(List<String> indices, Duration maxAge, Instant now) {
    Instant cutoff = now.minus(maxAge);
    return indices.stream()
        .filter(i -> partitionEnd(i).map(end -> !end.isAfter(cutoff)).orElse(false))
        .sorted()
        .toList();
  }

  /**
   * The suffix of a day's daily indices, {@code 2026.11.01}, for patterns like {@code
   * *-2026.11.01}.
   */
  public static String daySuffix(LocalDate day) {
    return String.format("%04d.%02d.%02d", day.getYear(), day.getMonthValue(), day.getDayOfMonth());
  }
}

package dev.vigil.ingester.replay;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The date an S3 key carries: the {@code YYYY/MM/DD/} of AWS log delivery and Firehose prefixes,
 * the Hive-style {@code year=YYYY/month=MM/day=DD/}, or the time in a CloudTrail-style file name
 * ({@code _20261127T1005Z_}) or an S3 server access log name ({@code 2026-11-27-10-05-00-…}).
 */
public final class KeyDates {
  private static final Pattern PATH = Pattern.compile("(?:^|/)(\\d{4})/(\\d{2})/(\\d{2})(?:/|$)");
  private static final Pattern HIVE =
      Pattern.compile("(?:^|/)year=(\\d{4})/month=(\\d{1,2})/day=(\\d{1,2})(?:/|$)");
  private static final Pattern FILE_TIME = Pattern.compile("_(\\d{4})(\\d{2})(\\d{2})T\\d{4}Z[_.]");
  private static final Pattern ACCESS_LOG_NAME =
      Pattern.compile("(\\d{4})-(\\d{2})-(\\d{2})-\\d{2}-\\d{2}-\\d{2}-[0-9A-Za-z]{16}$");

  private KeyDates() {}

  public static Optional<LocalDate> of(String key) {
    for (Pattern pattern : new Pattern[] {PATH, HIVE}) {
      Matcher m = pattern.matcher(key);
      while (m.find()) {
        Optional<LocalDate> date = date(m);
        if (date.isPresent()) {
          return date;
        }
      }
    }
    String name = key.substring(key.lastIndexOf('/') + 1);
    for (Pattern pattern : new Pattern[] {FILE_TIME, ACCESS_LOG_NAME}) {
      Matcher m = pattern.matcher(name);
      if (m.find()) {
        Optional<LocalDate> date = date(m);
        if (date.isPresent()) {
          return date;
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Whether the keys right under {@code prefix} start with a {@code YYYY/MM/DD/} date, judging by
   * {@code sampleKey} (one key under it): then a date range can be listed day by day.
   */
  static boolean datedRightAfter(String prefix, String sampleKey) {
    if (!sampleKey.startsWith(prefix)) {
      return false;
    }
    return sampleKey.substring(prefix.length()).matches("\\d{4}/\\d{2}/\\d{2}/.*")
        && (prefix.isEmpty() || prefix.endsWith("/"));
  }

  private static Optional<LocalDate> date(Matcher m) {
    try {
      return Optional.of(
          LocalDate.of(
              Integer.parseInt(m.group(1)),
              Integer.parseInt(m.group(2)),
              Integer.parseInt(m.group(3))));
    } catch (DateTimeException e) {
      return Optional.empty();
    }
  }
}

package dev.vigil.core.parse;

import dev.vigil.core.LogType;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Time-partitioned index names by event time, e.g. {@code vigil-cloudtrail-2026.11.27}: retention
 * drops whole indices, and a redelivered record lands in the same index as the first time.
 *
 * <p>Types that {@link LogType#keepsLatestState() keep a latest state} (findings) also have one
 * index that is not partitioned, {@code <prefix>-latest-<type>} (e.g. {@code
 * vigil-latest-securityhub}): one document per finding, replaced by each newer update. It is
 * outside the type's pattern {@code <prefix>-<type>-*}, so rules and dashboards over the history do
 * not count a finding twice, and inside {@code <prefix>-*}, so roles and snapshots cover it.
 */
public final class IndexNaming {
  public enum Granularity {
    DAILY("yyyy.MM.dd"),
    MONTHLY("yyyy.MM"),
    YEARLY("yyyy");

    private final DateTimeFormatter format;

    Granularity(String pattern) {
      this.format = DateTimeFormatter.ofPattern(pattern, Locale.ROOT).withZone(ZoneOffset.UTC);
    }
  }

  public static final String DEFAULT_PREFIX = "vigil";

  private final String prefix;
  private final Granularity granularity;
  // The last day's index names, one per log type. Records of one object nearly always share a day,
  // so this saves formatting and concatenating a name per record. Immutable, so threads parsing
  // objects in parallel may replace it under each other and still always read a consistent day.
  private volatile Day lastDay;

  private record Day(long start, long end, String[] indexByType) {}

  public IndexNaming(String prefix, Granularity granularity) {
    if (prefix == null || !prefix.matches("[a-z0-9][a-z0-9_.-]*")) {
      throw new IllegalArgumentException(
          "index prefix '"
              + prefix
              + "' must be lowercase letters, digits, '-', '_' or '.', not starting with them");
    }
    this.prefix = prefix;
    this.granularity = granularity;
  }

  public static IndexNaming defaults() {
    return new IndexNaming(DEFAULT_PREFIX, Granularity.DAILY);
  }

  public String prefix() {
    return prefix;
  }

  /** The pattern matching every index of a type, e.g. {@code vigil-cloudtrail-*}. */
  public String pattern(LogType type) {
    return prefix + "-" + type.id() + "-*";
  }

  /** The latest-state index of a type that {@link LogType#keepsLatestState() keeps one}. */
  public String latest(LogType type) {
    if (!type.keepsLatestState()) {
      throw new IllegalArgumentException(type.id() + " keeps no latest state");
    }
    return prefix + "-latest-" + type.id();
  }

  /** The pattern matching every latest-state index, e.g. {@code vigil-latest-*}. */
  public String latestPattern() {
    return prefix + "-latest-*";
  }

  public String index(LogType type, Instant eventTime) {
    if (granularity != Granularity.DAILY) {
      return name(type, eventTime);
    }
    long millis = eventTime.toEpochMilli();
    Day day = lastDay;
    if (day == null || millis < day.start || millis >= day.end) {
      long start = Math.floorDiv(millis, 86_400_000L) * 86_400_000L;
      String[] names = new String[LogType.values().length];
      for (LogType t : LogType.values()) {
        names[t.ordinal()] = name(t, eventTime);
      }
      day = new Day(start, start + 86_400_000L, names);
      lastDay = day;
    }
    return day.indexByType[type.ordinal()];
  }

  private String name(LogType type, Instant eventTime) {
    return prefix + "-" + type.id() + "-" + granularity.format.format(eventTime);
  }
}

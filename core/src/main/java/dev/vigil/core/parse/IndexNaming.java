package dev.vigil.core.parse;

import dev.vigil.core.LogType;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Time-partitioned index names by event time, e.g. {@code vigil-cloudtrail-2026.11.27}: retention
 * drops whole indices, and a redelivered record lands in the same index as the first time.
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
  private long cachedPeriodStart = Long.MIN_VALUE;
  private long cachedPeriodEnd = Long.MIN_VALUE;
  private String cachedSuffix;

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

  public String index(LogType type, Instant eventTime) {
    return prefix + "-" + type.id() + "-" + suffix(eventTime);
  }

  // Records of one object nearly always share a day; remember the last day's suffix instead of
  // formatting each time.
  private String suffix(Instant time) {
    long millis = time.toEpochMilli();
    if (granularity == Granularity.DAILY
        && millis >= cachedPeriodStart
        && millis < cachedPeriodEnd) {
      return cachedSuffix;
    }
    String suffix = granularity.format.format(time);
    if (granularity == Granularity.DAILY) {
      cachedPeriodStart = Math.floorDiv(millis, 86_400_000L) * 86_400_000L;
      cachedPeriodEnd = cachedPeriodStart + 86_400_000L;
      cachedSuffix = suffix;
    }
    return suffix;
  }
}

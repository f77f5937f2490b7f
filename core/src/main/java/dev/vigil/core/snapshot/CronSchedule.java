package dev.vigil.core.snapshot;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.Locale;

/**
 * A five-field cron expression (minute, hour, day of month, month, day of week) evaluated in UTC,
 * as the Snapshot Management plugin and crontab read it: {@code *}, numbers, ranges {@code a-b},
 * steps {@code * /n} and {@code a-b/n}, lists, month and weekday names, Sunday as 0 or 7. When both
 * day fields are restricted, a day matches if either matches (classic cron).
 */
public final class CronSchedule {
  private static final String[] MONTHS = {
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"
  };
  private static final String[] WEEKDAYS = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

  /** Longest search for a next run: a Feb 29 schedule runs at least once in 8 years. */
  private static final long MAX_MINUTES = 8L * 366 * 24 * 60;

  private final String expression;
  private final BitSet minutes;
  private final BitSet hours;
  private final BitSet daysOfMonth;
  private final BitSet months;
  private final BitSet daysOfWeek;
  private final boolean dayOfMonthRestricted;
  private final boolean dayOfWeekRestricted;

  private CronSchedule(String expression, String[] fields) {
    this.expression = expression;
    minutes = field(fields[0], "minute", 0, 59, null);
    hours = field(fields[1], "hour", 0, 23, null);
    daysOfMonth = field(fields[2], "day of month", 1, 31, null);
    months = field(fields[3], "month", 1, 12, MONTHS);
    daysOfWeek = field(fields[4], "day of week", 0, 7, WEEKDAYS);
    if (daysOfWeek.get(7)) {
      daysOfWeek.set(0); // 7 is Sunday too
    }
    dayOfMonthRestricted = !fields[2].equals("*");
    dayOfWeekRestricted = !fields[4].equals("*");
  }

  /**
   * Parses an expression; the exception message names the field and the offending text, e.g. {@code
   * hour: 24 is outside 0-23}.
   */
  public static CronSchedule parse(String expression) {
    String[] fields = expression == null ? new String[0] : expression.trim().split("\\s+");
    if (fields.length != 5) {
      throw new IllegalArgumentException(
          "'"
              + expression
              + "' is not a cron expression of 5 fields (minute hour day month weekday)");
    }
    CronSchedule schedule = new CronSchedule(expression.trim(), fields);
    if (schedule.next(Instant.EPOCH) == null) {
      throw new IllegalArgumentException("'" + expression + "' never runs");
    }
    return schedule;
  }

  public String expression() {
    return expression;
  }

  /** The first run strictly after {@code after}, or null when there is none within 8 years. */
  public Instant next(Instant after) {
    LocalDateTime t =
        LocalDateTime.ofInstant(after, ZoneOffset.UTC)
            .truncatedTo(ChronoUnit.MINUTES)
            .plusMinutes(1);
    for (long i = 0; i < MAX_MINUTES; ) {
      if (!months.get(t.getMonthValue())) {
        t = t.withDayOfMonth(1).withHour(0).withMinute(0).plusMonths(1);
        i += 28 * 24 * 60;
      } else if (!dayMatches(t)) {
        t = t.withHour(0).withMinute(0).plusDays(1);
        i += 24 * 60;
      } else if (!hours.get(t.getHour())) {
        t = t.withMinute(0).plusHours(1);
        i += 60;
      } else if (!minutes.get(t.getMinute())) {
        t = t.plusMinutes(1);
        i++;
      } else {
        return t.toInstant(ZoneOffset.UTC);
      }
    }
    return null;
  }

  private boolean dayMatches(LocalDateTime t) {
    boolean dom = daysOfMonth.get(t.getDayOfMonth());
    boolean dow =
        daysOfWeek.get(t.getDayOfWeek() == DayOfWeek.SUNDAY ? 0 : t.getDayOfWeek().getValue());
    if (dayOfMonthRestricted && dayOfWeekRestricted) {
      return dom || dow;
    }
    return dom && dow;
  }

  private static BitSet field(String text, String name, int min, int max, String[] names) {
    BitSet bits = new BitSet(max + 1);
    for (String part : text.split(",", -1)) {
      String range = part;
      int step = 1;
      int slash = part.indexOf('/');
      if (slash >= 0) {
        range = part.substring(0, slash);
        step = number(part.substring(slash + 1), name, 1, max, null);
      }
      int from;
      int to;
      if (range.equals("*")) {
        from = min;
        to = max == 7 ? 6 : max;
      } else if (range.contains("-")) {
        String[] ends = range.split("-", -1);
        if (ends.length != 2) {
          throw new IllegalArgumentException(name + ": '" + part + "' is not a range like 1-5");
        }
        from = number(ends[0], name, min, max, names);
        to = number(ends[1], name, min, max, names);
        if (from > to) {
          throw new IllegalArgumentException(name + ": range '" + part + "' runs backwards");
        }
      } else {
        from = number(range, name, min, max, names);
        to = slash >= 0 ? (max == 7 ? 6 : max) : from;
      }
      for (int v = from; v <= to; v += step) {
        bits.set(v);
      }
    }
    return bits;
  }

  private static int number(String text, String name, int min, int max, String[] names) {
    if (names != null) {
      String lower = text.toLowerCase(Locale.ROOT);
      for (int i = 0; i < names.length; i++) {
        if (names[i].equals(lower)) {
          return names == MONTHS ? i + 1 : i;
        }
      }
    }
    int value;
    try {
      value = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + ": '" + text + "' is not a number");
    }
    if (value < min || value > max) {
      throw new IllegalArgumentException(name + ": " + value + " is outside " + min + "-" + max);
    }
    return value;
  }

  @Override
  public String toString() {
    return expression;
  }
}

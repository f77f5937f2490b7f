package dev.vigil.core.parse.types;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * Event-time parsing for the text log types, by hand for the fixed layouts AWS writes (a
 * DateTimeFormatter per line costs more than the rest of the line). Every method returns null for
 * text that is not a valid time, so the caller can reject the record with its own reason.
 */
final class Times {
  private static final String MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec";

  private Times() {}

  /**
   * {@code yyyy-MM-ddTHH:mm:ss[.fraction][Z]} (ALB, Route 53 Resolver, CloudTrail…); no zone means
   * UTC (the layout Data Prepper's ALB samples use). A space instead of the {@code T} is read too:
   * {@code yyyy-MM-dd HH:mm:ss.SSS} is how Athena, spreadsheets and CSV exports of AWS tools write
   * these times back. Other ISO-8601 offsets are accepted the slow way.
   */
  static Instant iso(String text) {
    if (text == null || text.length() < 19) {
      return null;
    }
    int length = text.length();
    char separator = text.charAt(10);
    if (text.charAt(4) != '-'
        || text.charAt(7) != '-'
        || (separator != 'T' && separator != 't' && separator != ' ')
        || text.charAt(13) != ':'
        || text.charAt(16) != ':') {
      return null;
    }
    int year = digits(text, 0, 4);
    int month = digits(text, 5, 2);
    int day = digits(text, 8, 2);
    int hour = digits(text, 11, 2);
    int minute = digits(text, 14, 2);
    int second = digits(text, 17, 2);
    int i = 19;
    int nanos = 0;
    if (i < length && text.charAt(i) == '.') {
      int scale = 100_000_000;
      int digitsRead = 0;
      for (i++; i < length && isDigit(text.charAt(i)); i++, digitsRead++) {
        if (digitsRead < 9) {
          nanos += (text.charAt(i) - '0') * scale;
          scale /= 10;
        }
      }
      if (digitsRead == 0) {
        return null;
      }
    }
    if (i < length && !(i + 1 == length && (text.charAt(i) == 'Z' || text.charAt(i) == 'z'))) {
      try {
        return OffsetDateTime.parse(
                separator == ' ' ? text.substring(0, 10) + 'T' + text.substring(11) : text)
            .toInstant();
      } catch (DateTimeParseException e) {
        return null;
      }
    }
    return instant(year, month, day, hour, minute, second, nanos, 0);
  }

  /**
   * An event time in the form Vigil writes to {@code @timestamp}: ISO-8601 or epoch milliseconds (a
   * number, or digits in a string), whichever the record carries; null when it is neither. For the
   * types whose native form is epoch milliseconds (WAF, CloudWatch Logs) and whose records other
   * tools re-export with ISO-8601 text.
   */
  static Instant epochMillisOrIso(String text) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    boolean digits = text.length() <= 18;
    for (int i = 0; digits && i < text.length(); i++) {
      digits = isDigit(text.charAt(i));
    }
    return digits ? Instant.ofEpochMilli(Long.parseLong(text)) : iso(text);
  }

  /**
   * {@code text} when it can stand as {@code @timestamp} as it is (ISO-8601 with {@code T} and
   * {@code Z}), else null (the builder then writes the parsed instant).
   */
  static String utcText(String text) {
    return text != null && text.length() > 10 && text.charAt(10) == 'T' && text.endsWith("Z")
        ? text
        : null;
  }

  /** Common Log Format time as S3 writes it: {@code 06/Feb/2019:00:00:38 +0000}. */
  static Instant commonLog(String text) {
    if (text == null
        || text.length() != 26
        || text.charAt(2) != '/'
        || text.charAt(6) != '/'
        || text.charAt(11) != ':'
        || text.charAt(14) != ':'
        || text.charAt(17) != ':'
        || text.charAt(20) != ' ') {
      return null;
    }
    int month = MONTHS.indexOf(text.substring(3, 6));
    if (month < 0 || month % 3 != 0) {
      return null;
    }
    char sign = text.charAt(21);
    int offsetHours = digits(text, 22, 2);
    int offsetMinutes = digits(text, 24, 2);
    if ((sign != '+' && sign != '-') || offsetHours < 0 || offsetMinutes < 0) {
      return null;
    }
    int offsetSeconds = (sign == '-' ? -1 : 1) * (offsetHours * 3600 + offsetMinutes * 60);
    return instant(
        digits(text, 7, 4),
        month / 3 + 1,
        digits(text, 0, 2),
        digits(text, 12, 2),
        digits(text, 15, 2),
        digits(text, 18, 2),
        0,
        offsetSeconds);
  }

  /**
   * Unix epoch seconds (VPC Flow Logs {@code start}/{@code end}), from 1970 to the end of year 9999
   * (beyond that it is not seconds, e.g. milliseconds, and would make an absurd index name).
   */
  static Instant epochSeconds(long seconds) {
    if (seconds < 0 || seconds > 253_402_300_799L) {
      return null;
    }
    return Instant.ofEpochSecond(seconds);
  }

  private static Instant instant(
      int year,
      int month,
      int day,
      int hour,
      int minute,
      int second,
      int nanos,
      int offsetSeconds) {
    if (year < 0
        || month < 1
        || month > 12
        || day < 1
        || hour < 0
        || hour > 23
        || minute < 0
        || minute > 59
        || second < 0
        || second > 59) {
      return null;
    }
    try {
      long days = LocalDate.of(year, month, day).toEpochDay();
      return Instant.ofEpochSecond(
          days * 86_400 + hour * 3600L + minute * 60L + second - offsetSeconds, nanos);
    } catch (DateTimeException e) {
      return null; // e.g. 31 April
    }
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** The non-negative number written by {@code count} ASCII digits at {@code from}, or -1. */
  private static int digits(String text, int from, int count) {
    int value = 0;
    for (int i = from; i < from + count; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }
}

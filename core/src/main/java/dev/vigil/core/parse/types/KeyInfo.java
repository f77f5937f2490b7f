package dev.vigil.core.parse.types;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the standard S3 key layouts of AWS log delivery tell about the records of an object: the
 * account, the region and a time. Both layouts are understood: {@code
 * AWSLogs/<account>/<service>/<region>/YYYY/MM/DD/<account>_<service>_<region>_…_YYYYMMDDTHHmmZ_…}
 * and the Hive-compatible {@code
 * AWSLogs/aws-account-id=<account>/aws-service=<service>/aws-region=<region>/year=YYYY/month=MM/day=DD/…}.
 * Fields the key does not carry are null. Computed once per object.
 */
record KeyInfo(String account, String region, Instant time) {
  private static final Pattern PLAIN =
      Pattern.compile(
          "(?:^|/)AWSLogs/(?:o-[a-z0-9]+/)?(\\d{12})/[A-Za-z0-9_-]+/([^/]+)/(?:(\\d{4})/(\\d{2})/(\\d{2})/)?");
  private static final Pattern HIVE =
      Pattern.compile(
          "(?:^|/)AWSLogs/(?:aws-organization-id=[^/]+/)?aws-account-id=(\\d{12})/aws-service=[^/]+/aws-region=([^/]+)/"
              + "(?:year=(\\d{4})/month=(\\d{2})/day=(\\d{2})/(?:hour=(\\d{2})/)?)?");
  private static final Pattern REGION = Pattern.compile("[a-z]{2}(?:-[a-z]+)+-\\d{1,2}");
  // The end of the delivery window in the file name: _20180620T1620Z_
  private static final Pattern FILE_TIME =
      Pattern.compile("_(\\d{4})(\\d{2})(\\d{2})T(\\d{2})(\\d{2})Z[_.]");

  static final KeyInfo NONE = new KeyInfo(null, null, null);

  static KeyInfo of(String key) {
    if (key == null) {
      return NONE;
    }
    Matcher m = HIVE.matcher(key);
    boolean hive = m.find();
    if (!hive) {
      m = PLAIN.matcher(key);
      if (!m.find()) {
        return NONE;
      }
    }
    String account = m.group(1);
    String region = REGION.matcher(m.group(2)).matches() ? m.group(2) : null;
    Instant time = fileTime(key);
    if (time == null && m.group(3) != null) {
      int hour = hive && m.group(6) != null ? Integer.parseInt(m.group(6)) : 0;
      time = date(m.group(3), m.group(4), m.group(5), hour, 0);
    }
    return new KeyInfo(account, region, time);
  }

  private static Instant fileTime(String key) {
    int slash = key.lastIndexOf('/');
    Matcher m = FILE_TIME.matcher(key.substring(slash + 1));
    if (!m.find()) {
      return null;
    }
    return date(
        m.group(1),
        m.group(2),
        m.group(3),
        Integer.parseInt(m.group(4)),
        Integer.parseInt(m.group(5)));
  }

  private static Instant date(String year, String month, String day, int hour, int minute) {
    try {
      return LocalDate.of(Integer.parseInt(year), Integer.parseInt(month), Integer.parseInt(day))
          .atTime(hour, minute)
          .toInstant(ZoneOffset.UTC);
    } catch (DateTimeException e) {
      return null;
    }
  }
}

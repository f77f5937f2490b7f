package dev.vigil.cli.demo;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The demo logs carry times relative to their upload, so detections that look at the last minutes
 * find them: {@code ${iso:-300}} becomes the ISO-8601 time 300 s before now, {@code ${epoch:-300}}
 * epoch seconds and {@code ${epochms:-300}} epoch milliseconds (the three forms AWS logs use).
 */
public final class TimeTokens {
  private static final Pattern TOKEN = Pattern.compile("\\$\\{(iso|epoch|epochms):(-?[0-9]+)}");

  private TimeTokens() {}

  public static String render(String template, Instant now) {
    Instant base = now.truncatedTo(ChronoUnit.SECONDS);
    Matcher m = TOKEN.matcher(template);
    StringBuilder out = new StringBuilder(template.length());
    while (m.find()) {
      Instant at = base.plusSeconds(Long.parseLong(m.group(2)));
      String value =
          switch (m.group(1)) {
            case "iso" -> at.toString();
            case "epoch" -> String.valueOf(at.getEpochSecond());
            default -> String.valueOf(at.toEpochMilli());
          };
      m.appendReplacement(out, value);
    }
    m.appendTail(out);
    return out.toString();
  }
}

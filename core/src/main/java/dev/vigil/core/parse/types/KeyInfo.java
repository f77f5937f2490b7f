package dev.vigil.core.parse.types;

import dev.vigil.core.parse.KeyLayouts;
import java.time.Instant;

/**
 * What the standard S3 key layouts of AWS log delivery ({@link KeyLayouts#awsLogs}, either form)
 * tell about the records of an object: the account, the region and a time (the file name's delivery
 * time, else the day folders). Keys without a region folder carry nothing. Fields the key does not
 * carry are null. Computed once per object.
 */
record KeyInfo(String account, String region, Instant time) {
  static final KeyInfo NONE = new KeyInfo(null, null, null);

  static KeyInfo of(String key) {
    KeyLayouts.AwsLogs layout = KeyLayouts.awsLogs(key).orElse(null);
    if (layout == null || layout.regionFolder() == null) {
      return NONE;
    }
    Instant time = KeyLayouts.fileTime(key);
    if (time == null && layout.day() != null) {
      int hour = layout.hour() == null ? 0 : layout.hour();
      time = hour > 23 ? null : layout.day().atTime(hour, 0).toInstant(java.time.ZoneOffset.UTC);
    }
    return new KeyInfo(layout.account(), layout.region(), time);
  }
}

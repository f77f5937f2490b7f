package dev.vigil.core.alerts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

/**
 * Deterministic alert ids: the same rule, key values and suppression bucket always give the same
 * id, so the scheduled engine, a repeated run and the ingester's streaming path all write the same
 * alert document (the second {@code create} answers 409) instead of duplicates. The bucket is the
 * suppression window the first matching event falls in, counted from the epoch.
 */
public final class AlertIds {
  private AlertIds() {}

  public static String of(AlertRule rule, Map<String, String> key, Instant firstEvent) {
    Instant bucket = bucket(firstEvent, rule.suppressionWindow());
    StringBuilder text = new StringBuilder();
    text.append(rule.namespace()).append('\u0000').append(rule.name()).append('\u0000');
    new java.util.TreeMap<>(key)
        .forEach((field, value) -> text.append(field).append('=').append(value).append('\u0000'));
    text.append(bucket.toEpochMilli());
    return hash(text.toString());
  }

  /** Start of the suppression window {@code time} falls in. */
  public static Instant bucket(Instant time, Duration window) {
    long size = window.toMillis();
    return Instant.ofEpochMilli(Math.floorDiv(time.toEpochMilli(), size) * size);
  }

  /** The id of the error alert raised when the rule fails to run, unique per failure episode. */
  public static String error(AlertRule rule, Instant start) {
    return hash(
        rule.namespace() + '\u0000' + rule.name() + "\u0000error\u0000" + start.toEpochMilli());
  }

  private static String hash(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 16));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}

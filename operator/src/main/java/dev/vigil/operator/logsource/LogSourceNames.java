package dev.vigil.operator.logsource;

import dev.vigil.api.v1alpha1.LogSource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Names of everything Vigil creates for a LogSource, derived from its namespace and name so they
 * are found again after a restart and never collide between LogSources. AWS names allow at most 64
 * characters here (S3 notification and lifecycle ids, Firehose streams, EventBridge rules); longer
 * ones keep a readable head and end with a hash of the full name. {@code ingester} names the
 * Deployment and ConfigMap in the LogSource's namespace (63 characters, a label value).
 */
public record LogSourceNames(String base, String ingester) {
  static final int MAX = 64;

  public static LogSourceNames of(LogSource source) {
    return of(source.getMetadata().getNamespace(), source.getMetadata().getName());
  }

  public static LogSourceNames of(String namespace, String name) {
    String base = shorten(("vigil-" + namespace + "-" + name).replace('.', '-'), MAX - 4);
    return new LogSourceNames(base, shorten("vigil-ingester-" + name, 63));
  }

  /** {@code full}, or its head and a hash of it when longer than {@code max}. */
  public static String shorten(String full, int max) {
    if (full.length() <= max) {
      return full;
    }
    return full.substring(0, max - 9) + "-" + sha256(full).substring(0, 8);
  }

  /** The queue the ingesters read. */
  public String queue() {
    return base;
  }

  /** Where messages go after maxReceiveCount failed deliveries. */
  public String deadLetterQueue() {
    return base + "-dlq";
  }

  /** Id of Vigil's entry in the bucket's notification configuration. */
  public String notificationId() {
    return base;
  }

  /** Id of Vigil's rule in the bucket's lifecycle configuration. */
  public String lifecycleRuleId() {
    return base;
  }

  /** Name of the subscription filter on each log group, the Firehose stream, the rule. */
  public String subscriptionFilter() {
    return base;
  }

  public String deliveryStream() {
    return base;
  }

  public String eventRule() {
    return base;
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

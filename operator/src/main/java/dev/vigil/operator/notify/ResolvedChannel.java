package dev.vigil.operator.notify;

import dev.vigil.api.v1alpha1.NotificationChannelSpec.ChannelType;
import dev.vigil.api.v1alpha1.NotificationChannelSpec.SmtpSecurity;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A NotificationChannel with its Secrets read: everything a sender needs. Never logged (the URL and
 * the SMTP password are secrets); {@link #toString} names the channel only.
 */
public record ResolvedChannel(
    String namespace,
    String name,
    ChannelType type,
    Set<Integer> severities,
    String url,
    Map<String, String> headers,
    String topicArn,
    String roleArn,
    Smtp smtp) {

  /** SMTP settings and the optional credentials. */
  public record Smtp(
      String host,
      int port,
      SmtpSecurity security,
      String username,
      String password,
      String from,
      List<String> to) {
    @Override
    public String toString() {
      return "Smtp[" + host + ":" + port + "]";
    }
  }

  public String key() {
    return namespace + "/" + name;
  }

  /** Whether alerts of this severity go to this channel (no list: all). */
  public boolean receives(int severity) {
    return severities == null || severities.isEmpty() || severities.contains(severity);
  }

  @Override
  public String toString() {
    return "ResolvedChannel[" + key() + ", " + type + "]";
  }
}

package dev.vigil.core.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a notification says, per destination: one readable summary for chat rooms, e-mail and SNS,
 * and the whole alert document for custom webhooks (machines). Slack and Teams incoming webhooks
 * take {@code {"text": …}}, Amazon Chime takes {@code {"Content": …}}.
 */
public final class NotificationPayloads {
  private static final ObjectMapper JSON = new ObjectMapper();

  private NotificationPayloads() {}

  /** A one-line subject, e.g. {@code [Vigil] severity 1 alert: cloudtrail-tampering}. */
  public static String subject(Alert alert) {
    String subject =
        "[Vigil] severity "
            + alert.severity
            + (alert.state == AlertState.ERROR ? " error: " : " alert: ")
            + alert.rule.name;
    return subject.length() > 100 ? subject.substring(0, 99) + "…" : subject;
  }

  /** Subject, message and the facts an analyst needs to find the alert. */
  public static String summary(Alert alert) {
    StringBuilder text = new StringBuilder(subject(alert)).append('\n');
    if (alert.message != null) {
      text.append(alert.message).append('\n');
    }
    text.append("Alert ").append(alert.id).append(", ").append(alert.state);
    text.append(" since ").append(alert.startTime).append('\n');
    text.append("Rule ").append(alert.rule.namespace).append('/').append(alert.rule.name);
    text.append(", condition ").append(alert.trigger);
    text.append(", ").append(alert.count).append(" matching event(s)");
    if (!alert.key.isEmpty()) {
      text.append(", ").append(alert.key);
    }
    return text.toString();
  }

  public static String slack(Alert alert) {
    return json(JSON.createObjectNode().put("text", summary(alert)));
  }

  public static String teams(Alert alert) {
    return json(JSON.createObjectNode().put("text", summary(alert)));
  }

  public static String chime(Alert alert) {
    return json(JSON.createObjectNode().put("Content", summary(alert)));
  }

  /** Custom webhooks get the alert document as stored in {@code vigil-alerts}. */
  public static String webhook(Alert alert) {
    ObjectNode body = JSON.createObjectNode();
    body.set("alert", JSON.valueToTree(alert));
    return json(body);
  }

  /** SNS: the summary for people (e-mail subscribers), then the alert JSON for machines. */
  public static String sns(Alert alert) {
    return summary(alert) + "\n\n" + json(JSON.valueToTree(alert));
  }

  private static String json(Object node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}

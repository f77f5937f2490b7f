package dev.vigil.operator.alerting;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The request-body schema of the Notifications config API, checked field by field; violations are a
 * 400 from {@link AlertingContractServer}.
 *
 * <p>Sources: Notifications API
 * (https://docs.opensearch.org/latest/observing-your-data/notifications/api/: "Create channel
 * configuration" field table and per-type formats, "Update channel configuration"), and the models
 * it parses (opensearch-project/common-utils {@code notifications/model}: NotificationConfig,
 * ConfigType, Slack, Chime, MicrosoftTeams, Webhook (+HttpMethodType), Sns, SmtpAccount
 * (+MethodType), Email, EmailRecipient).
 */
final class NotificationsContract {
  static final Set<String> CONFIG_TYPES =
      Set.of(
          "slack",
          "chime",
          "microsoft_teams",
          "webhook",
          "email",
          "sns",
          "ses_account",
          "smtp_account",
          "email_group");
  static final Set<String> HTTP_METHODS = Set.of("POST", "PUT", "PATCH");
  static final Set<String> SMTP_METHODS = Set.of("none", "ssl", "start_tls");

  private NotificationsContract() {}

  /**
   * @param existingType config_type of an existing config by id (an email channel must name an
   *     existing smtp_account or ses_account)
   */
  static List<String> validateConfig(JsonNode c, Function<String, String> existingType) {
    List<String> e = new ArrayList<>();
    if (!c.isObject()) {
      e.add("config must be an object");
      return e;
    }
    if (!c.path("name").isTextual() || c.path("name").asText().isEmpty()) {
      e.add("config.name is required (non-empty string)");
    }
    if (c.has("description") && !c.path("description").isTextual()) {
      e.add("config.description must be a string");
    }
    if (c.has("is_enabled") && !c.path("is_enabled").isBoolean()) {
      e.add("config.is_enabled must be a boolean");
    }
    String type = c.path("config_type").asText(null);
    if (type == null || !CONFIG_TYPES.contains(type)) {
      e.add("config.config_type is required, one of " + CONFIG_TYPES);
      return e;
    }
    JsonNode data = c.path(type);
    if (!data.isObject()) {
      e.add("ConfigType: " + type + " and data doesn't match (config." + type + " missing)");
      return e;
    }
    for (String other : CONFIG_TYPES) {
      if (!other.equals(type) && c.has(other)) {
        e.add("config." + other + " given for config_type " + type);
      }
    }
    switch (type) {
      case "slack", "chime", "microsoft_teams" -> url(data.path("url"), type + ".url", e);
      case "webhook" -> {
        url(data.path("url"), "webhook.url", e);
        if (data.has("header_params")) {
          if (!data.path("header_params").isObject()) {
            e.add("webhook.header_params must be an object of strings");
          } else {
            for (Map.Entry<String, JsonNode> h : data.path("header_params").properties()) {
              if (!h.getValue().isTextual()) {
                e.add("webhook.header_params." + h.getKey() + " must be a string");
              }
            }
          }
        }
        if (data.has("method") && !HTTP_METHODS.contains(data.path("method").asText())) {
          e.add("webhook.method must be one of " + HTTP_METHODS);
        }
      }
      case "sns" -> {
        if (!data.path("topic_arn")
            .asText("")
            .matches("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:.+$")) {
          e.add("sns.topic_arn is required: an SNS topic ARN");
        }
        if (data.has("role_arn") && !data.path("role_arn").asText("").startsWith("arn:")) {
          e.add("sns.role_arn must be an IAM role ARN");
        }
      }
      case "smtp_account" -> {
        if (!data.path("host").isTextual() || data.path("host").asText().isEmpty()) {
          e.add("smtp_account.host is required");
        }
        if (!data.path("port").isIntegralNumber() || data.path("port").asInt() <= 0) {
          e.add("smtp_account.port is required: a positive integer");
        }
        if (!SMTP_METHODS.contains(data.path("method").asText())) {
          e.add("smtp_account.method is required, one of " + SMTP_METHODS);
        }
        email(data.path("from_address"), "smtp_account.from_address", e);
      }
      case "email" -> {
        String account = data.path("email_account_id").asText(null);
        if (account == null) {
          e.add("email.email_account_id is required");
        } else {
          String accountType = existingType.apply(account);
          if (!"smtp_account".equals(accountType) && !"ses_account".equals(accountType)) {
            e.add(
                "email.email_account_id "
                    + account
                    + " is not an smtp_account or ses_account config");
          }
        }
        JsonNode recipients = data.path("recipient_list");
        if (!recipients.isArray()) {
          e.add("email.recipient_list must be an array of {\"recipient\": address}");
        } else {
          for (JsonNode r : recipients) {
            email(r.path("recipient"), "email.recipient_list[].recipient", e);
          }
        }
        if (data.has("email_group_id_list") && !data.path("email_group_id_list").isArray()) {
          e.add("email.email_group_id_list must be an array");
        }
      }
      default -> {}
    }
    return e;
  }

  private static void url(JsonNode url, String field, List<String> e) {
    try {
      URI uri = URI.create(url.asText(""));
      if (!Set.of("http", "https").contains(String.valueOf(uri.getScheme()))
          || uri.getHost() == null) {
        e.add(field + " must be an http(s) URL");
      }
    } catch (IllegalArgumentException ex) {
      e.add(field + " is not a URL");
    }
  }

  private static void email(JsonNode address, String field, List<String> e) {
    if (!address.asText("").matches("^[^@\\s]+@[^@\\s]+$")) {
      e.add(field + " must be an email address");
    }
  }
}

package dev.vigil.operator.alerting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.api.v1alpha1.DeletionPolicy;
import dev.vigil.api.v1alpha1.NotificationChannelSpec;
import dev.vigil.api.v1alpha1.SecretKeyRef;
import dev.vigil.core.DesiredStateHash;
import dev.vigil.core.alerts.VigilMarker;
import dev.vigil.operator.common.InvalidSpecException;
import dev.vigil.operator.opensearch.OpenSearchException;
import dev.vigil.operator.opensearch.OpenSearchRest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Syncs a NotificationChannel to channel configs of the OpenSearch Notifications plugin
 * (https://docs.opensearch.org/latest/observing-your-data/notifications/api/), under a config id
 * derived from the resource ({@link VigilMarker#channelConfigId}), so monitors can name it as their
 * action's {@code destination_id} before it exists and a re-sync never duplicates it.
 *
 * <p>Slack, Chime, Teams ({@code microsoft_teams}, OpenSearch 2.10+), Webhook and SNS map to one
 * config each. Email maps to two: an {@code smtp_account} ({@code <id>-smtp}) and the {@code email}
 * channel that sends through it. SMTP credentials cannot be set through this API: the plugin reads
 * them from the OpenSearch keystore ({@code opensearch.notifications.core.email.<account
 * name>.username/password}); {@link DesiredChannel#notes()} says so.
 *
 * <p>The Vigil marker and the desired-state hash live in each config's {@code description}. A
 * config is compared in full with what GET returns, so hand edits are repaired.
 */
public final class NotificationChannelSync {
  static final String CONFIGS = "/_plugins/_notifications/configs";
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String MARKER_PREFIX = "Managed by Vigil: ";

  /** Reads the value of a Secret key (the reconciler reads Kubernetes Secrets). */
  @FunctionalInterface
  public interface SecretResolver {
    String value(SecretKeyRef ref) throws Exception;
  }

  /** One Notifications config: its id and the {@code config} object. */
  public record ConfigBody(String configId, ObjectNode config) {}

  /**
   * @param configId the id monitors use as destination_id
   * @param configs in creation order (an SMTP account before the email channel using it)
   */
  public record DesiredChannel(
      String namespace,
      String name,
      String configId,
      List<ConfigBody> configs,
      String hash,
      List<String> notes) {}

  public record ConfigResult(String configId, SyncAction action) {}

  /** {@code action}: the most telling of the per-config actions. */
  public record Result(String configId, SyncAction action, List<ConfigResult> configs) {}

  private NotificationChannelSync() {}

  public static DesiredChannel render(
      String namespace, String name, NotificationChannelSpec spec, SecretResolver secrets)
      throws InvalidSpecException {
    if (spec.type == null) {
      throw new InvalidSpecException("spec.type is required");
    }
    String id = VigilMarker.channelConfigId(namespace, name);
    String displayName = "Vigil " + namespace + "/" + name;
    List<ConfigBody> configs = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    switch (spec.type) {
      case Slack, Chime, Teams, Webhook -> {
        if (spec.webhook == null || spec.webhook.urlSecretRef == null) {
          throw new InvalidSpecException(
              "spec.webhook.urlSecretRef is required for type " + spec.type);
        }
        String url = secret(secrets, spec.webhook.urlSecretRef, "spec.webhook.urlSecretRef");
        if (!url.startsWith("https://") && !url.startsWith("http://")) {
          throw new InvalidSpecException(
              "spec.webhook.urlSecretRef: Secret "
                  + spec.webhook.urlSecretRef.name
                  + " key "
                  + spec.webhook.urlSecretRef.key
                  + " does not hold an http(s) URL");
        }
        String type =
            switch (spec.type) {
              case Slack -> "slack";
              case Chime -> "chime";
              case Teams -> "microsoft_teams";
              default -> "webhook";
            };
        ObjectNode config = config(displayName, type);
        ObjectNode data = config.putObject(type).put("url", url);
        if (spec.type == NotificationChannelSpec.ChannelType.Webhook) {
          ObjectNode headers = data.putObject("header_params");
          new TreeMap<>(
                  spec.webhook.headers == null ? Map.<String, String>of() : spec.webhook.headers)
              .forEach(headers::put);
          data.put("method", "POST");
        } else if (spec.webhook.headers != null && !spec.webhook.headers.isEmpty()) {
          notes.add("webhook.headers apply to type Webhook only; ignored for " + spec.type);
        }
        configs.add(new ConfigBody(id, config));
      }
      case SNS -> {
        if (spec.sns == null || spec.sns.topicArn == null) {
          throw new InvalidSpecException("spec.sns.topicArn is required for type SNS");
        }
        ObjectNode config = config(displayName, "sns");
        ObjectNode sns = config.putObject("sns").put("topic_arn", spec.sns.topicArn);
        if (spec.sns.roleArn != null) {
          sns.put("role_arn", spec.sns.roleArn);
        }
        configs.add(new ConfigBody(id, config));
      }
      case Email -> {
        NotificationChannelSpec.Email email = spec.email;
        if (email == null || email.host == null || email.from == null || email.to == null) {
          throw new InvalidSpecException("spec.email needs host, from and to for type Email");
        }
        if (email.to.isEmpty()) {
          throw new InvalidSpecException("spec.email.to: at least one recipient");
        }
        String smtpId = id + "-smtp";
        ObjectNode account = config(displayName + " SMTP", "smtp_account");
        account
            .putObject("smtp_account")
            .put("host", email.host)
            .put("port", email.port == null ? 587 : email.port)
            .put("method", smtpMethod(email.security))
            .put("from_address", email.from);
        configs.add(new ConfigBody(smtpId, account));
        ObjectNode channel = config(displayName, "email");
        ObjectNode data = channel.putObject("email").put("email_account_id", smtpId);
        ArrayNode recipients = data.putArray("recipient_list");
        email.to.forEach(to -> recipients.addObject().put("recipient", to));
        data.putArray("email_group_id_list");
        configs.add(new ConfigBody(id, channel));
        if (email.credentialsSecretName != null) {
          notes.add(
              "SMTP credentials cannot be set through the Notifications API: put the username"
                  + " and password of Secret "
                  + email.credentialsSecretName
                  + " into the OpenSearch keystore as"
                  + " opensearch.notifications.core.email.<smtp account>.username/.password");
        }
      }
      default -> throw new InvalidSpecException("spec.type " + spec.type + " is not supported");
    }
    String hash = DesiredStateHash.of(configs);
    for (ConfigBody c : configs) {
      c.config()
          .put(
              "description",
              MARKER_PREFIX + VigilMarker.resource(namespace, name) + " hash=" + hash);
    }
    return new DesiredChannel(namespace, name, id, List.copyOf(configs), hash, List.copyOf(notes));
  }

  public static Result sync(OpenSearchRest rest, DesiredChannel desired)
      throws OpenSearchException {
    List<ConfigResult> results = new ArrayList<>();
    for (ConfigBody body : desired.configs()) {
      results.add(new ConfigResult(body.configId(), syncOne(rest, desired, body)));
    }
    // A channel that stopped being Email leaves its SMTP account behind: remove it.
    String smtpId = desired.configId() + "-smtp";
    if (desired.configs().stream().noneMatch(c -> c.configId().equals(smtpId))) {
      JsonNode stale = get(rest, smtpId);
      if (stale != null && isOurs(stale, desired.namespace(), desired.name())) {
        deleteConfig(rest, smtpId);
        results.add(new ConfigResult(smtpId, SyncAction.UPDATED));
      }
    }
    SyncAction overall = SyncAction.UNCHANGED;
    for (SyncAction candidate :
        List.of(SyncAction.ADOPTED, SyncAction.REPAIRED, SyncAction.CREATED, SyncAction.UPDATED)) {
      if (results.stream().anyMatch(r -> r.action() == candidate)) {
        overall = candidate;
        break;
      }
    }
    return new Result(desired.configId(), overall, List.copyOf(results));
  }

  /** Deletes the channel's configs that carry Vigil's marker, unless the policy is Retain. */
  public static int delete(
      OpenSearchRest rest, String namespace, String name, DeletionPolicy policy)
      throws OpenSearchException {
    if (policy == DeletionPolicy.Retain) {
      return 0;
    }
    String id = VigilMarker.channelConfigId(namespace, name);
    int deleted = 0;
    for (String configId : List.of(id, id + "-smtp")) { // the email channel before its account
      JsonNode config = get(rest, configId);
      if (config != null && isOurs(config, namespace, name)) {
        deleted += deleteConfig(rest, configId) ? 1 : 0;
      }
    }
    return deleted;
  }

  private static SyncAction syncOne(OpenSearchRest rest, DesiredChannel desired, ConfigBody body)
      throws OpenSearchException {
    JsonNode actual = get(rest, body.configId());
    if (actual == null) {
      ObjectNode create = NODES.objectNode();
      create.put("config_id", body.configId());
      create.set("config", body.config());
      try {
        rest.post(CONFIGS, create);
        return SyncAction.CREATED;
      } catch (OpenSearchException e) {
        if (e.status() != 409) {
          throw e;
        }
        // Created meanwhile by a concurrent sync (the channel and the rules using it each sync
        // it): compare with that one instead.
        actual = get(rest, body.configId());
        if (actual == null) {
          throw e;
        }
      }
    }
    SyncAction action;
    if (!isOurs(actual, desired.namespace(), desired.name())) {
      action = SyncAction.ADOPTED;
    } else if (!actual.path("description").asText().endsWith("hash=" + desired.hash())) {
      action = SyncAction.UPDATED;
    } else if (!actual.equals(body.config())) {
      action = SyncAction.REPAIRED;
    } else {
      return SyncAction.UNCHANGED;
    }
    if (!actual.path("config_type").asText().equals(body.config().path("config_type").asText())) {
      // The type of a config is not changed in place: replace it.
      deleteConfig(rest, body.configId());
      ObjectNode create = NODES.objectNode();
      create.put("config_id", body.configId());
      create.set("config", body.config());
      rest.post(CONFIGS, create);
      return action;
    }
    ObjectNode update = NODES.objectNode();
    update.set("config", body.config());
    rest.put(CONFIGS + "/" + encode(body.configId()), update);
    return action;
  }

  private static boolean isOurs(JsonNode config, String namespace, String name) {
    return config
        .path("description")
        .asText()
        .startsWith(MARKER_PREFIX + VigilMarker.resource(namespace, name) + " ");
  }

  /** The {@code config} object of one config, or null when it does not exist. */
  static JsonNode get(OpenSearchRest rest, String configId) throws OpenSearchException {
    try {
      JsonNode response = rest.get(CONFIGS + "/" + encode(configId));
      for (JsonNode entry : response.path("config_list")) {
        if (configId.equals(entry.path("config_id").asText())) {
          return entry.path("config");
        }
      }
      return null;
    } catch (OpenSearchException e) {
      if (e.isNotFound()) {
        return null;
      }
      throw e;
    }
  }

  private static boolean deleteConfig(OpenSearchRest rest, String configId)
      throws OpenSearchException {
    try {
      rest.delete(CONFIGS + "/" + encode(configId));
      return true;
    } catch (OpenSearchException e) {
      if (e.isNotFound()) {
        return false;
      }
      throw e;
    }
  }

  private static ObjectNode config(String name, String type) {
    ObjectNode config = NODES.objectNode();
    config.put("name", name);
    config.put("description", "");
    config.put("config_type", type);
    config.put("is_enabled", true);
    return config;
  }

  private static String smtpMethod(NotificationChannelSpec.SmtpSecurity security) {
    if (security == null) {
      return "start_tls";
    }
    return switch (security) {
      case None -> "none";
      case SSL -> "ssl";
      case StartTLS -> "start_tls";
    };
  }

  private static String secret(SecretResolver secrets, SecretKeyRef ref, String field)
      throws InvalidSpecException {
    String value;
    try {
      value = secrets.value(ref);
    } catch (Exception e) {
      throw new InvalidSpecException(
          field + ": cannot read Secret " + ref.name + " key " + ref.key + ": " + e.getMessage());
    }
    if (value == null || value.isBlank()) {
      throw new InvalidSpecException(
          field + ": Secret " + ref.name + " has no value under key " + ref.key);
    }
    return value.trim();
  }

  private static String encode(String id) {
    return URLEncoder.encode(id, StandardCharsets.UTF_8);
  }
}

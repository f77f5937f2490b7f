package dev.vigil.operator.alerting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.api.v1alpha1.DeletionPolicy;
import dev.vigil.api.v1alpha1.NotificationChannelSpec;
import dev.vigil.api.v1alpha1.NotificationChannelSpec.ChannelType;
import dev.vigil.api.v1alpha1.SecretKeyRef;
import dev.vigil.core.alerts.VigilMarker;
import dev.vigil.operator.common.InvalidSpecException;
import dev.vigil.operator.opensearch.OpenSearchRest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * NotificationChannel sync against {@link AlertingContractServer}, which parses every config with
 * the Notifications plugin's own request models and checks it as the plugin does (the plugin itself
 * cannot run here). Webhook URLs have the shapes the plugin demands of each type.
 */
class NotificationChannelSyncContractTest {
  private static final Map<String, String> SECRETS =
      Map.of(
          "hooks/Webhook", "https://hooks.example.com/soc",
          "hooks/Slack", "https://hooks.slack.com/services/T000/B000/XXXX",
          "hooks/other", "https://hooks.slack.com/services/T000/B000/YYYY",
          "hooks/Chime", "https://hooks.chime.aws/incomingwebhooks/a1b2?token=c3d4",
          "hooks/Teams", "https://example.webhook.office.com/webhookb2/a1b2",
          "hooks/not-slack", "https://hooks.example.com/services/T000/B000/XXXX");
  private static final NotificationChannelSync.SecretResolver RESOLVER =
      ref -> SECRETS.get(ref.name + "/" + ref.key);

  private AlertingContractServer server;
  private OpenSearchRest rest;

  @BeforeEach
  void start() throws Exception {
    server = new AlertingContractServer();
    rest = server.rest();
  }

  @AfterEach
  void stop() {
    assertThat(server.rejections()).as("requests the contract rejected").isEmpty();
    server.close();
  }

  static NotificationChannelSpec spec(ChannelType type) {
    NotificationChannelSpec spec = new NotificationChannelSpec();
    spec.type = type;
    switch (type) {
      case SNS -> {
        spec.sns = new NotificationChannelSpec.Sns();
        spec.sns.topicArn = "arn:aws:sns:us-east-1:123456789012:vigil-alerts";
        spec.sns.roleArn = "arn:aws:iam::123456789012:role/vigil-notifications";
      }
      case Email -> {
        spec.email = new NotificationChannelSpec.Email();
        spec.email.host = "smtp.example.com";
        spec.email.from = "vigil@example.com";
        spec.email.to = List.of("secops@example.com", "ciso@example.com");
      }
      default -> {
        spec.webhook = new NotificationChannelSpec.Webhook();
        spec.webhook.urlSecretRef = new SecretKeyRef("hooks", type.name());
        if (type == ChannelType.Webhook) {
          spec.webhook.headers = Map.of("X-Team", "secops");
        }
      }
    }
    return spec;
  }

  @ParameterizedTest
  @EnumSource(ChannelType.class)
  void eachKindIsCreatedOnceAndThenLeftAlone(ChannelType type) throws Exception {
    var desired = NotificationChannelSync.render("vigil", "alerts", spec(type), RESOLVER);
    var created = NotificationChannelSync.sync(rest, desired);
    assertThat(created.action()).isEqualTo(SyncAction.CREATED);
    assertThat(created.configId()).isEqualTo(VigilMarker.channelConfigId("vigil", "alerts"));
    JsonNode config = server.configs().get(created.configId());
    String pluginType =
        switch (type) {
          case SNS -> "sns";
          case Slack -> "slack";
          case Chime -> "chime";
          case Teams -> "microsoft_teams";
          case Webhook -> "webhook";
          case Email -> "email";
        };
    assertThat(config.path("config_type").asText()).isEqualTo(pluginType);
    switch (type) {
      case SNS ->
          assertThat(config.path("sns").path("topic_arn").asText()).endsWith(":vigil-alerts");
      case Email -> {
        assertThat(server.configs()).hasSize(2);
        String account = config.path("email").path("email_account_id").asText();
        JsonNode smtp = server.configs().get(account).path("smtp_account");
        assertThat(smtp.path("host").asText()).isEqualTo("smtp.example.com");
        assertThat(smtp.path("port").asInt()).isEqualTo(587);
        assertThat(smtp.path("method").asText()).isEqualTo("start_tls");
        assertThat(config.path("email").path("recipient_list").findValuesAsText("recipient"))
            .containsExactly("secops@example.com", "ciso@example.com");
      }
      case Webhook -> {
        assertThat(config.path("webhook").path("url").asText())
            .isEqualTo(SECRETS.get("hooks/Webhook"));
        assertThat(config.path("webhook").path("header_params").path("X-Team").asText())
            .isEqualTo("secops");
      }
      default ->
          assertThat(config.path(pluginType).path("url").asText())
              .isEqualTo(SECRETS.get("hooks/" + type.name()));
    }
    server.resetCounts();
    var again =
        NotificationChannelSync.sync(
            rest, NotificationChannelSync.render("vigil", "alerts", spec(type), RESOLVER));
    assertThat(again.action()).isEqualTo(SyncAction.UNCHANGED);
    assertThat(server.writes()).as("writes in the steady state").isZero();
  }

  @Test
  void aChangedSecretUpdatesAndAHandEditIsRepaired() throws Exception {
    NotificationChannelSpec spec = spec(ChannelType.Slack);
    var created =
        NotificationChannelSync.sync(
            rest, NotificationChannelSync.render("vigil", "chat", spec, RESOLVER));
    spec.webhook.urlSecretRef = new SecretKeyRef("hooks", "other");
    server.resetCounts();
    var updated =
        NotificationChannelSync.sync(
            rest, NotificationChannelSync.render("vigil", "chat", spec, RESOLVER));
    assertThat(updated.action()).isEqualTo(SyncAction.UPDATED);
    assertThat(server.writes()).isEqualTo(1);
    assertThat(server.configs().get(created.configId()).path("slack").path("url").asText())
        .isEqualTo(SECRETS.get("hooks/other"));

    server.handEditConfig(
        created.configId(),
        c -> ((ObjectNode) c.get("slack")).put("url", "https://hooks.slack.com/services/EVIL"));
    var repaired =
        NotificationChannelSync.sync(
            rest, NotificationChannelSync.render("vigil", "chat", spec, RESOLVER));
    assertThat(repaired.action()).isEqualTo(SyncAction.REPAIRED);
    assertThat(server.configs().get(created.configId()).path("slack").path("url").asText())
        .isEqualTo(SECRETS.get("hooks/other"));
  }

  @Test
  void anUnmarkedConfigWithTheSameIdIsAdopted() throws Exception {
    String id = VigilMarker.channelConfigId("vigil", "chat");
    ObjectNode handMade = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
    handMade.put("name", "hand made").put("config_type", "slack").put("is_enabled", true);
    handMade.putObject("slack").put("url", "https://hooks.slack.com/services/old");
    server.handCreateConfig(id, handMade);
    var adopted =
        NotificationChannelSync.sync(
            rest,
            NotificationChannelSync.render("vigil", "chat", spec(ChannelType.Slack), RESOLVER));
    assertThat(adopted.action()).isEqualTo(SyncAction.ADOPTED);
    assertThat(server.configs()).containsOnlyKeys(id);
    assertThat(server.configs().get(id).path("description").asText())
        .startsWith("Managed by Vigil: vigil/chat");
  }

  @Test
  void aConfigCreatedMeanwhileByAnotherSyncIsComparedNotFailed() throws Exception {
    // The channel and each rule using it sync the same config: one of two concurrent creates
    // meets 409 Conflict and compares with the config the other wrote.
    var desired =
        NotificationChannelSync.render("vigil", "chat", spec(ChannelType.Slack), RESOLVER);
    server.beforeNextConfigCreate(
        () -> server.handCreateConfig(desired.configId(), desired.configs().get(0).config()));
    var result = NotificationChannelSync.sync(rest, desired);
    assertThat(result.action()).isEqualTo(SyncAction.UNCHANGED);
    assertThat(server.configs()).containsOnlyKeys(desired.configId());
    assertThat(server.rejections()).singleElement().asString().contains("\"status\":409");
    server.close();
    server = new AlertingContractServer(); // the conflict was the point; start clean for stop()
  }

  @Test
  void changingTheTypeReplacesTheConfigAndDropsTheSmtpAccount() throws Exception {
    NotificationChannelSync.sync(
        rest, NotificationChannelSync.render("vigil", "ops", spec(ChannelType.Email), RESOLVER));
    assertThat(server.configs()).hasSize(2);
    var slack =
        NotificationChannelSync.sync(
            rest,
            NotificationChannelSync.render("vigil", "ops", spec(ChannelType.Slack), RESOLVER));
    assertThat(slack.action()).isEqualTo(SyncAction.UPDATED);
    assertThat(server.configs()).containsOnlyKeys(slack.configId());
    assertThat(server.configs().get(slack.configId()).path("config_type").asText())
        .isEqualTo("slack");
  }

  @Test
  void deleteRemovesVigilsConfigsAndHonoursRetain() throws Exception {
    NotificationChannelSync.sync(
        rest, NotificationChannelSync.render("vigil", "ops", spec(ChannelType.Email), RESOLVER));
    ObjectNode foreign = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
    foreign.put("name", "someone else's").put("config_type", "chime");
    foreign.putObject("chime").put("url", "https://hooks.chime.aws/incomingwebhooks/x?token=y");
    server.handCreateConfig("foreign", foreign);
    assertThat(NotificationChannelSync.delete(rest, "vigil", "ops", DeletionPolicy.Retain))
        .isZero();
    assertThat(server.configs()).hasSize(3);
    assertThat(NotificationChannelSync.delete(rest, "vigil", "ops", DeletionPolicy.Delete))
        .isEqualTo(2);
    assertThat(server.configs()).containsOnlyKeys("foreign");
    assertThat(NotificationChannelSync.delete(rest, "vigil", "ops", DeletionPolicy.Delete))
        .isZero();
  }

  @Test
  void invalidSpecsAreReportedNotSent() {
    NotificationChannelSpec noWebhook = spec(ChannelType.Teams);
    noWebhook.webhook = null;
    assertThatThrownBy(() -> NotificationChannelSync.render("vigil", "x", noWebhook, RESOLVER))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageContaining("spec.webhook.urlSecretRef");
    NotificationChannelSpec missingSecret = spec(ChannelType.Slack);
    missingSecret.webhook.urlSecretRef = new SecretKeyRef("hooks", "absent");
    assertThatThrownBy(() -> NotificationChannelSync.render("vigil", "x", missingSecret, RESOLVER))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageContaining("no value under key absent");
    assertThat(server.writes()).isZero();
  }

  @Test
  void theContractServerRejectsConfigsOutsideThePublishedSchema() throws Exception {
    var desired = NotificationChannelSync.render("vigil", "ops", spec(ChannelType.Email), RESOLVER);
    // The email channel alone: its email_account_id names no SMTP account yet.
    var emailOnly =
        new NotificationChannelSync.DesiredChannel(
            "vigil",
            "ops",
            desired.configId(),
            List.of(desired.configs().get(1)),
            desired.hash(),
            List.of());
    // ConfigIndexingActions.validateEmailConfig answers 404 for an account that does not exist.
    assertThatThrownBy(() -> NotificationChannelSync.sync(rest, emailOnly))
        .hasMessageContaining(
            "answered 404: Config IDs not found:[" + desired.configId() + "-smtp]");
    // A Slack channel whose URL is not Slack's: the plugin's own message.
    NotificationChannelSpec notSlack = spec(ChannelType.Slack);
    notSlack.webhook.urlSecretRef = new SecretKeyRef("hooks", "not-slack");
    assertThatThrownBy(
            () ->
                NotificationChannelSync.sync(
                    rest, NotificationChannelSync.render("vigil", "chat", notSlack, RESOLVER)))
        .hasMessageContaining(
            "answered 400: Wrong Slack url. Should contain \"hooks.slack.com/services/\"");
    // An address the model refuses (EmailRecipient validates each recipient).
    NotificationChannelSpec badRecipient = spec(ChannelType.Email);
    badRecipient.email.to = List.of("secops at example.com");
    assertThatThrownBy(
            () ->
                NotificationChannelSync.sync(
                    rest, NotificationChannelSync.render("vigil", "mail", badRecipient, RESOLVER)))
        .hasMessageContaining("answered 400: Invalid email address");
    assertThat(server.rejections()).hasSize(3);
    server.close();
    server = new AlertingContractServer(); // the rejection was the point; start clean for stop()
  }
}

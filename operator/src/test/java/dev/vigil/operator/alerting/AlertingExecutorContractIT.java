package dev.vigil.operator.alerting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.api.v1alpha1.Condition;
import dev.vigil.api.v1alpha1.DetectionRule;
import dev.vigil.api.v1alpha1.DetectionRuleSpec;
import dev.vigil.api.v1alpha1.LogTypeName;
import dev.vigil.api.v1alpha1.NotificationChannel;
import dev.vigil.api.v1alpha1.NotificationChannelSpec;
import dev.vigil.api.v1alpha1.OpenSearchConnection;
import dev.vigil.api.v1alpha1.SecretKeyRef;
import dev.vigil.core.alerts.VigilMarker;
import dev.vigil.operator.KubeApiServerResource;
import dev.vigil.operator.TestNamespace;
import dev.vigil.operator.common.Conditions;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Contract test (the Alerting and Notifications plugins cannot run here): the DetectionRule
 * reconciler, in-process on the real API server, syncs rules forced to {@code engine: Alerting} and
 * their channels to {@link AlertingContractServer}, which parses every body with the plugins' own
 * request models and refuses what the plugins refuse, with their messages.
 */
@QuarkusTest
@QuarkusTestResource(KubeApiServerResource.class)
class AlertingExecutorContractIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @Inject KubernetesClient client;

  private AlertingContractServer plugins;
  private String namespace;

  @BeforeEach
  void setUp() throws Exception {
    plugins = new AlertingContractServer();
    namespace = "alerting-" + UUID.randomUUID().toString().substring(0, 6);
    TestNamespace.withConnection(client, namespace, plugins.uri().toString());
  }

  @AfterEach
  void tearDown() {
    plugins.close();
  }

  @Test
  void ruleBecomesAMonitorWithItsChannelStaysUnwrittenWhenSteadyAndIsDeletedWithTheRule() {
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("hook")
                .withNamespace(namespace)
                .endMetadata()
                .withStringData(Map.of("url", "https://hooks.example.com/soc"))
                .build())
        .create();
    NotificationChannel channel = new NotificationChannel();
    channel.getMetadata().setName("soc");
    channel.getMetadata().setNamespace(namespace);
    channel.setSpec(new NotificationChannelSpec());
    channel.getSpec().type = NotificationChannelSpec.ChannelType.Webhook;
    channel.getSpec().webhook = new NotificationChannelSpec.Webhook();
    channel.getSpec().webhook.urlSecretRef = new SecretKeyRef("hook", "url");
    client.resource(channel).create();

    DetectionRule rule = new DetectionRule();
    rule.getMetadata().setName("stop-logging");
    rule.getMetadata().setNamespace(namespace);
    rule.setSpec(new DetectionRuleSpec());
    rule.getSpec().severity = 1;
    rule.getSpec().logType = LogTypeName.cloudtrail;
    rule.getSpec().query = "eventName:StopLogging";
    rule.getSpec().engine = DetectionRuleSpec.Engine.Alerting;
    DetectionRuleSpec.Action action = new DetectionRuleSpec.Action();
    action.channel = "soc";
    rule.getSpec().actions = List.of(action);
    client.resource(rule).create();

    DetectionRule synced =
        await()
            .atMost(TIMEOUT)
            .until(
                () -> get("stop-logging"),
                r ->
                    r.getStatus() != null
                        && Conditions.isTrue(r.getStatus().conditions, Conditions.READY));
    assertThat(Conditions.find(synced.getStatus().conditions, Conditions.READY).get().getReason())
        .isEqualTo("MonitorSynced");
    assertThat(synced.getStatus().executor).isEqualTo("Alerting");
    // The channel and the rule both sync the channel's config; when their creates race, one meets
    // 409 Conflict and compares instead. Nothing else may be refused.
    assertThat(plugins.rejections()).allMatch(r -> r.contains("\"status\":409"));
    assertThat(plugins.monitors()).containsKey(synced.getStatus().monitorId);
    assertThat(plugins.monitors().get(synced.getStatus().monitorId).monitor().path("name").asText())
        .isEqualTo(VigilMarker.monitorName(namespace, "stop-logging"));
    assertThat(plugins.configs()).containsKey(VigilMarker.channelConfigId(namespace, "soc"));

    // Steady: further reconciles (the connection is re-read every second in tests) write nothing.
    int writes = plugins.writes();
    int reads = plugins.reads();
    await().atMost(TIMEOUT).until(() -> plugins.reads() >= reads + 4);
    assertThat(plugins.writes()).isEqualTo(writes);

    client.resource(get("stop-logging")).delete();
    await().atMost(TIMEOUT).until(() -> get("stop-logging") == null);
    assertThat(plugins.monitors()).isEmpty();

    // The channel's config leaves the Notifications plugin with the channel (the connection's
    // probe of this server reports the plugin installed).
    await()
        .atMost(TIMEOUT)
        .until(
            () ->
                client
                    .resources(OpenSearchConnection.class)
                    .inNamespace(namespace)
                    .withName("default")
                    .get()
                    .getStatus(),
            s -> s != null && s.capabilities != null && s.capabilities.notifications);
    client.resource(channel).delete();
    await()
        .atMost(TIMEOUT)
        .until(
            () ->
                client
                        .resources(NotificationChannel.class)
                        .inNamespace(namespace)
                        .withName("soc")
                        .get()
                    == null);
    assertThat(plugins.configs()).isEmpty();
  }

  @Test
  void whatThePluginRefusesShowsInTheRulesStatusWithThePluginsMessage() {
    // A suppression window over the plugin's maximum throttle (24h): TransportIndexMonitorAction
    // refuses it, and the rule says so.
    DetectionRule longSuppression = alertingRule("long-suppression");
    longSuppression.getSpec().suppression = new DetectionRuleSpec.Suppression();
    longSuppression.getSpec().suppression.window = "2d";
    longSuppression.getSpec().actions = List.of(action(webhookChannel("soc")));
    client.resource(longSuppression).create();

    // A Slack channel whose URL is not Slack's: the Notifications plugin refuses the config.
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("not-slack")
                .withNamespace(namespace)
                .endMetadata()
                .withStringData(Map.of("url", "https://chat.example.com/hooks/soc"))
                .build())
        .create();
    NotificationChannel slack = new NotificationChannel();
    slack.getMetadata().setName("chat");
    slack.getMetadata().setNamespace(namespace);
    slack.setSpec(new NotificationChannelSpec());
    slack.getSpec().type = NotificationChannelSpec.ChannelType.Slack;
    slack.getSpec().webhook = new NotificationChannelSpec.Webhook();
    slack.getSpec().webhook.urlSecretRef = new SecretKeyRef("not-slack", "url");
    client.resource(slack).create();
    DetectionRule toSlack = alertingRule("to-slack");
    toSlack.getSpec().actions = List.of(action("chat"));
    client.resource(toSlack).create();

    assertThat(notReady("long-suppression").getMessage())
        .contains("answered 400: Can only set throttle period less than or equal to 1d");
    assertThat(notReady("to-slack").getMessage())
        .contains(
            "answered 400: Wrong Slack url. Should contain \"hooks.slack.com/services/\" or"
                + " \"hooks.gov-slack.com/services/\"");
    // The channel says so too: it syncs its own config where the connection has the plugin.
    Condition refused =
        await()
            .atMost(TIMEOUT)
            .until(
                () ->
                    Optional.ofNullable(
                            client
                                .resources(NotificationChannel.class)
                                .inNamespace(namespace)
                                .withName("chat")
                                .get()
                                .getStatus())
                        .flatMap(s -> Conditions.find(s.conditions, "NotificationsConfig"))
                        .orElse(null),
                c -> c != null && "False".equals(c.getStatus()));
    assertThat(refused.getReason()).isEqualTo("BadRequest");
    assertThat(refused.getMessage()).contains("answered 400: Wrong Slack url.");
    assertThat(plugins.monitors()).isEmpty();
    assertThat(plugins.rejections()).hasSizeGreaterThanOrEqualTo(2);
  }

  @Test
  void monitorTypeSelectsTheKindOfMonitorAndAKindTheRuleCannotTakeIsInvalidSpec() {
    DetectionRule perDocument = alertingRule("per-document");
    perDocument.getSpec().monitorType = DetectionRuleSpec.MonitorType.DocumentLevel;
    client.resource(perDocument).create();
    DetectionRule grouped = alertingRule("grouped-per-document");
    grouped.getSpec().monitorType = DetectionRuleSpec.MonitorType.DocumentLevel;
    grouped.getSpec().condition = new DetectionRuleSpec.AlertCondition();
    grouped.getSpec().condition.threshold = 5;
    grouped.getSpec().condition.window = "10m";
    grouped.getSpec().condition.groupBy = List.of("userIdentity.arn");
    client.resource(grouped).create();

    DetectionRule synced =
        await()
            .atMost(TIMEOUT)
            .until(
                () -> get("per-document"),
                r ->
                    r.getStatus() != null
                        && Conditions.isTrue(r.getStatus().conditions, Conditions.READY));
    assertThat(plugins.monitors().get(synced.getStatus().monitorId).monitor().path("monitor_type"))
        .hasToString("\"doc_level_monitor\"");
    Condition invalid = notReady("grouped-per-document");
    assertThat(invalid.getReason()).isEqualTo("InvalidSpec");
    assertThat(invalid.getMessage())
        .contains("spec.monitorType DocumentLevel")
        .contains("condition");
    assertThat(plugins.rejections()).isEmpty();
  }

  private DetectionRule alertingRule(String name) {
    DetectionRule rule = new DetectionRule();
    rule.getMetadata().setName(name);
    rule.getMetadata().setNamespace(namespace);
    rule.setSpec(new DetectionRuleSpec());
    rule.getSpec().severity = 2;
    rule.getSpec().logType = LogTypeName.cloudtrail;
    rule.getSpec().query = "eventName:StopLogging";
    rule.getSpec().engine = DetectionRuleSpec.Engine.Alerting;
    return rule;
  }

  private String webhookChannel(String name) {
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(name + "-hook")
                .withNamespace(namespace)
                .endMetadata()
                .withStringData(Map.of("url", "https://hooks.example.com/" + name))
                .build())
        .create();
    NotificationChannel channel = new NotificationChannel();
    channel.getMetadata().setName(name);
    channel.getMetadata().setNamespace(namespace);
    channel.setSpec(new NotificationChannelSpec());
    channel.getSpec().type = NotificationChannelSpec.ChannelType.Webhook;
    channel.getSpec().webhook = new NotificationChannelSpec.Webhook();
    channel.getSpec().webhook.urlSecretRef = new SecretKeyRef(name + "-hook", "url");
    client.resource(channel).create();
    return name;
  }

  private static DetectionRuleSpec.Action action(String channel) {
    DetectionRuleSpec.Action action = new DetectionRuleSpec.Action();
    action.channel = channel;
    return action;
  }

  /** The rule's Ready condition once it is False. */
  private Condition notReady(String name) {
    DetectionRule rule =
        await()
            .atMost(TIMEOUT)
            .until(
                () -> get(name),
                r ->
                    r.getStatus() != null
                        && Conditions.find(r.getStatus().conditions, Conditions.READY)
                            .filter(c -> "False".equals(c.getStatus()))
                            .isPresent());
    return Conditions.find(rule.getStatus().conditions, Conditions.READY).get();
  }

  private DetectionRule get(String name) {
    return client.resources(DetectionRule.class).inNamespace(namespace).withName(name).get();
  }
}

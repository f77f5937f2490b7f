package dev.vigil.operator.alerting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.api.v1alpha1.DetectionRule;
import dev.vigil.api.v1alpha1.DetectionRuleSpec;
import dev.vigil.api.v1alpha1.LogTypeName;
import dev.vigil.api.v1alpha1.NotificationChannel;
import dev.vigil.api.v1alpha1.NotificationChannelSpec;
import dev.vigil.api.v1alpha1.OpenSearchConnection;
import dev.vigil.api.v1alpha1.SecretKeyRef;
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
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Contract test (the Alerting and Notifications plugins cannot run here): the DetectionRule
 * reconciler, in-process on the real API server, syncs a rule forced to {@code engine: Alerting}
 * and its webhook channel to {@link AlertingContractServer}, which follows the plugins' documented
 * REST APIs and rejects bodies that do not.
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
    assertThat(plugins.rejections()).isEmpty();
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

  private DetectionRule get(String name) {
    return client.resources(DetectionRule.class).inNamespace(namespace).withName(name).get();
  }
}

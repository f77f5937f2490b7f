package dev.vigil.operator.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.api.v1alpha1.OpenSearchConnection;
import dev.vigil.api.v1alpha1.OpenSearchConnectionSpec.CloudWatchAlarms;
import dev.vigil.operator.AwsEmulatorResource;
import dev.vigil.operator.KubeApiServerResource;
import dev.vigil.operator.TestNamespace;
import dev.vigil.operator.common.Conditions;
import dev.vigil.parts.MotoServer;
import dev.vigil.parts.RealParts;
import dev.vigil.testing.UserEdits;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * An OpenSearchConnection's {@code cloudWatchAlarms} through the operator, on the real API server
 * and the AWS emulator's CloudWatch: provisioned, moved when the domain changes, and removed when
 * the spec drops them — no alarm is left behind.
 */
@QuarkusTest
@QuarkusTestResource(KubeApiServerResource.class)
@QuarkusTestResource(AwsEmulatorResource.class)
class ConnectionAlarmsIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final String NAMESPACE = "conn-alarms";

  @Inject KubernetesClient client;

  @Test
  void alarmsFollowTheSpecAndAreRemovedWhenItDropsThem() throws Exception {
    MotoServer moto = RealParts.moto();
    String topic;
    try (SnsClient sns = moto.client(SnsClient.builder())) {
      topic = sns.createTopic(b -> b.name("conn-alarms")).topicArn();
    }
    CloudWatchQueryApi cloudWatch =
        new CloudWatchQueryApi(
            URI.create(moto.endpoint() + "/"),
            StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")),
            MotoServer.REGION.id());
    TestNamespace.withConnection(client, NAMESPACE, RealParts.openSearch().uri().toString());

    edit(c -> c.getSpec().cloudWatchAlarms = alarms("siem-first", topic));
    await().atMost(TIMEOUT).until(() -> recorded("siem-first"));
    assertThat(Conditions.isTrue(connection().getStatus().conditions, "AlarmsReady")).isTrue();
    assertThat(names(cloudWatch, "vigil-siem-first-")).hasSize(7);

    // Another domain: the old alarms go, the new ones come.
    edit(c -> c.getSpec().cloudWatchAlarms.domainName = "siem-second");
    await().atMost(TIMEOUT).until(() -> recorded("siem-second"));
    assertThat(names(cloudWatch, "vigil-siem-first-")).isEmpty();
    assertThat(names(cloudWatch, "vigil-siem-second-")).hasSize(7);

    // Dropped from the spec: removed, and the status no longer speaks of alarms.
    edit(c -> c.getSpec().cloudWatchAlarms = null);
    await()
        .atMost(TIMEOUT)
        .until(
            () -> {
              var status = connection().getStatus();
              return status.cloudWatchAlarms == null
                  && Conditions.find(status.conditions, "AlarmsReady").isEmpty();
            });
    assertThat(names(cloudWatch, "vigil-")).isEmpty();
    assertThat(client.v1().events().inNamespace(NAMESPACE).list().getItems())
        .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("AlarmsRemoved"));
  }

  private static CloudWatchAlarms alarms(String domain, String topic) {
    CloudWatchAlarms spec = new CloudWatchAlarms();
    spec.domainName = domain;
    spec.accountId = MotoServer.ACCOUNT_ID;
    spec.region = MotoServer.REGION.id();
    spec.snsTopicArn = topic;
    return spec;
  }

  private boolean recorded(String domain) {
    var status = connection().getStatus();
    return status != null
        && status.cloudWatchAlarms != null
        && domain.equals(status.cloudWatchAlarms.domainName)
        && Conditions.isTrue(status.conditions, "AlarmsReady");
  }

  private OpenSearchConnection connection() {
    return client
        .resources(OpenSearchConnection.class)
        .inNamespace(NAMESPACE)
        .withName("default")
        .get();
  }

  /** Changes the spec as a user would, again on a conflict (the operator writes it too). */
  private void edit(java.util.function.Consumer<OpenSearchConnection> change) {
    UserEdits.edit(
        client.resources(OpenSearchConnection.class).inNamespace(NAMESPACE).withName("default"),
        change);
  }

  private static List<String> names(CloudWatchQueryApi cloudWatch, String prefix) throws Exception {
    return cloudWatch.describeAlarms(prefix).stream().map(CloudWatchQueryApi.Alarm::name).toList();
  }
}

package dev.vigil.operator.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.api.v1alpha1.Condition;
import dev.vigil.api.v1alpha1.OpenSearchConnection;
import dev.vigil.api.v1alpha1.OpenSearchConnectionSpec;
import dev.vigil.api.v1alpha1.SecretKeyRef;
import dev.vigil.operator.KubeApiServerResource;
import dev.vigil.operator.TestNamespace;
import dev.vigil.operator.common.Conditions;
import dev.vigil.parts.OpenSearchNode;
import dev.vigil.parts.RealParts;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The operator, in-process, against the real API server and real OpenSearch nodes. */
@QuarkusTest
@QuarkusTestResource(KubeApiServerResource.class)
class OpenSearchConnectionIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  @Inject KubernetesClient client;
  @Inject MeterRegistry metrics;

  private String namespace;

  @BeforeEach
  void namespace(org.junit.jupiter.api.TestInfo test) {
    namespace =
        "conn-"
            + test.getTestMethod()
                .orElseThrow()
                .getName()
                .toLowerCase()
                .replaceAll("[^a-z0-9]", "")
                .substring(0, 20);
    TestNamespace.create(client, namespace);
  }

  @Test
  void reportsVersionAndCapabilitiesAndFollowsOpenSearchGoingAwayAndComingBack() throws Exception {
    OpenSearchNode node = RealParts.openSearch();
    create("default", plain(node));

    Condition ready = awaitReady("default", "True");
    assertThat(ready.getReason()).isEqualTo("Connected");
    var status = get("default").getStatus();
    assertThat(status.version).isEqualTo(OpenSearchNode.VERSION);
    assertThat(status.distribution).isEqualTo("opensearch");
    assertThat(status.clusterHealth).isIn("green", "yellow");
    assertThat(status.capabilities.alerting).isFalse(); // the test node is the bare distribution
    assertThat(status.capabilities.security).isFalse();
    assertThat(status.observedGeneration).isEqualTo(1L);

    // Nothing changed: further reconciles write nothing (status equal, resourceVersion unchanged).
    String version = get("default").getMetadata().getResourceVersion();
    double patches = counter("vigil_status_patches_total");
    double unchanged = counter("vigil_status_unchanged_total");
    await().atMost(TIMEOUT).until(() -> counter("vigil_status_unchanged_total") >= unchanged + 2);
    assertThat(counter("vigil_status_patches_total")).isEqualTo(patches);
    assertThat(get("default").getMetadata().getResourceVersion()).isEqualTo(version);

    node.stop();
    try {
      Condition down = awaitReady("default", "False");
      assertThat(down.getReason()).isEqualTo("Unreachable");
      assertThat(down.getMessage()).contains(node.uri().toString()).doesNotContain("Exception");
      assertThat(get("default").getStatus().version)
          .as("last known facts stay")
          .isEqualTo(OpenSearchNode.VERSION);
      await()
          .atMost(TIMEOUT)
          .until(
              () ->
                  client.v1().events().inNamespace(namespace).list().getItems().stream()
                      .anyMatch(
                          e ->
                              "Unreachable".equals(e.getReason())
                                  && "Warning".equals(e.getType())));
    } finally {
      node.start();
    }
    assertThat(awaitReady("default", "True").getReason()).isEqualTo("Connected");
  }

  @Test
  void wrongPasswordIsReportedAsUnauthorizedAndTheRightOneConnectsOverTls() throws Exception {
    OpenSearchNode node = RealParts.securedOpenSearch();
    secret("os-ca", Map.of("ca.crt", Files.readString(node.caCertificate())));
    secret("os-wrong", Map.of("username", node.username(), "password", "not-the-password"));
    secret("os-right", Map.of("username", node.username(), "password", node.password()));

    create("wrong", secured(node, "os-wrong"));
    Condition unauthorized = awaitReady("wrong", "False");
    assertThat(unauthorized.getReason()).isEqualTo("Unauthorized");
    assertThat(unauthorized.getMessage()).contains("401").doesNotContain("Exception");

    create("right", secured(node, "os-right"));
    awaitReady("right", "True");
    assertThat(get("right").getStatus().capabilities.security).isTrue();
    assertThat(get("right").getStatus().plugins).contains("opensearch-security");
  }

  @Test
  void missingSecretIsAnInvalidSpecNamingTheSecret() {
    OpenSearchNode node = RealParts.openSearch();
    OpenSearchConnectionSpec spec = plain(node);
    spec.auth = new OpenSearchConnectionSpec.Auth();
    spec.auth.type = OpenSearchConnectionSpec.AuthType.Basic;
    spec.auth.basic = new OpenSearchConnectionSpec.BasicAuth();
    spec.auth.basic.secretName = "does-not-exist";
    create("nosecret", spec);

    Condition invalid = awaitReady("nosecret", "False");
    assertThat(invalid.getReason()).isEqualTo("InvalidSpec");
    assertThat(invalid.getMessage()).contains("spec.auth.basic").contains("does-not-exist");
  }

  private static OpenSearchConnectionSpec plain(OpenSearchNode node) {
    OpenSearchConnectionSpec spec = new OpenSearchConnectionSpec();
    spec.endpoint = node.uri().toString();
    spec.requestTimeout = "2s";
    return spec;
  }

  private static OpenSearchConnectionSpec secured(OpenSearchNode node, String credentials) {
    OpenSearchConnectionSpec spec = plain(node);
    spec.auth = new OpenSearchConnectionSpec.Auth();
    spec.auth.type = OpenSearchConnectionSpec.AuthType.Basic;
    spec.auth.basic = new OpenSearchConnectionSpec.BasicAuth();
    spec.auth.basic.secretName = credentials;
    spec.tls = new OpenSearchConnectionSpec.Tls();
    spec.tls.caSecretRef = new SecretKeyRef("os-ca", "ca.crt");
    return spec;
  }

  private void create(String name, OpenSearchConnectionSpec spec) {
    OpenSearchConnection connection = new OpenSearchConnection();
    connection.getMetadata().setName(name);
    connection.getMetadata().setNamespace(namespace);
    connection.setSpec(spec);
    client.resource(connection).create();
  }

  private void secret(String name, Map<String, String> data) {
    client
        .secrets()
        .inNamespace(namespace)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withStringData(data)
                .build())
        .create();
  }

  private OpenSearchConnection get(String name) {
    return client.resources(OpenSearchConnection.class).inNamespace(namespace).withName(name).get();
  }

  private Condition awaitReady(String name, String status) {
    return await()
        .atMost(TIMEOUT)
        .until(
            () ->
                Optional.ofNullable(get(name).getStatus())
                    .flatMap(s -> Conditions.find(s.conditions, Conditions.READY))
                    .filter(c -> status.equals(c.getStatus()))
                    .orElse(null),
            java.util.Objects::nonNull);
  }

  private double counter(String name) {
    var counter = metrics.find(name).tag("kind", "OpenSearchConnection").counter();
    return counter == null ? 0 : counter.count();
  }
}

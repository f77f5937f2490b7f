package dev.vigil.operator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.vigil.api.v1alpha1.Condition;
import dev.vigil.api.v1alpha1.Dashboard;
import dev.vigil.api.v1alpha1.DashboardStatus;
import dev.vigil.api.v1alpha1.DetectionRule;
import dev.vigil.api.v1alpha1.DetectionRuleStatus;
import dev.vigil.api.v1alpha1.LogReplay;
import dev.vigil.api.v1alpha1.LogReplayStatus;
import dev.vigil.api.v1alpha1.LogSource;
import dev.vigil.api.v1alpha1.LogSourceStatus;
import dev.vigil.api.v1alpha1.NotificationChannel;
import dev.vigil.api.v1alpha1.NotificationChannelStatus;
import dev.vigil.api.v1alpha1.OpenSearchConnection;
import dev.vigil.api.v1alpha1.OpenSearchConnectionStatus;
import dev.vigil.api.v1alpha1.SnapshotPolicy;
import dev.vigil.api.v1alpha1.SnapshotPolicyStatus;
import dev.vigil.api.v1alpha1.VigilStatus;
import dev.vigil.parts.GoTools;
import dev.vigil.testing.RepositoryRoot;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Argo CD health checks in deploy/argocd, run by gopher-lua (the Lua VM Argo CD embeds, opened
 * the way Argo CD opens it) on objects serialized from Vigil's own API classes: one case per health
 * state per kind. Also: the plain argocd-cm patch and the kustomize component ship the same script.
 */
class ArgoCdHealthIT {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Path ARGOCD = RepositoryRoot.find().resolve("deploy/argocd");
  private static final String KEY = "resource.customizations.health.siem.vigil.dev_";

  /** A kind and how to make an empty resource and status of it. */
  record Kind(
      String name,
      Supplier<CustomResource<?, ? extends VigilStatus>> resource,
      Supplier<VigilStatus> status) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<Kind> kinds() {
    return List.of(
        new Kind("Dashboard", Dashboard::new, DashboardStatus::new),
        new Kind("DetectionRule", DetectionRule::new, DetectionRuleStatus::new),
        new Kind("LogReplay", LogReplay::new, LogReplayStatus::new),
        new Kind("LogSource", LogSource::new, LogSourceStatus::new),
        new Kind("NotificationChannel", NotificationChannel::new, NotificationChannelStatus::new),
        new Kind(
            "OpenSearchConnection", OpenSearchConnection::new, OpenSearchConnectionStatus::new),
        new Kind("SnapshotPolicy", SnapshotPolicy::new, SnapshotPolicyStatus::new));
  }

  /** A fixture: the object Argo CD would see and the health it must get. */
  record Case(String what, Object object, String status, String messageContains) {}

  @ParameterizedTest
  @MethodSource("kinds")
  void eachStateOfEachKind(Kind kind) throws Exception {
    List<Case> cases = new ArrayList<>();
    cases.add(
        new Case(
            "Ready at the current generation",
            object(kind, 2L, 2L, condition("Ready", "True", "Synced", "all in place")),
            "Healthy",
            "Synced: all in place"));
    cases.add(
        new Case(
            "spec changed, not yet acted on (Ready from the old spec)",
            object(kind, 3L, 2L, condition("Ready", "True", "Synced", "all in place")),
            "Progressing",
            "acted on generation 2, not yet on the current 3"));
    cases.add(
        new Case(
            "just created, no status yet",
            object(kind, 1L, null),
            "Progressing",
            "Waiting for the Vigil operator"));
    cases.add(
        new Case(
            "work under way (Ready Unknown)",
            object(kind, 1L, 1L, condition("Ready", "Unknown", "Pending", "first check running")),
            "Progressing",
            "Pending: first check running"));
    cases.add(
        new Case(
            "failed",
            object(
                kind,
                4L,
                4L,
                condition("Ready", "False", "InvalidSpec", "spec.schedule: hour: 25 is outside")),
            "Degraded",
            "InvalidSpec: spec.schedule: hour: 25 is outside"));
    if (kind.name().equals("LogSource")) {
      cases.add(
          new Case(
              "ingester pods starting",
              object(
                  kind,
                  1L,
                  1L,
                  condition("QueueReady", "True", "Provisioned", "queue in place"),
                  condition("IngesterReady", "False", "PodsNotReady", "0/2 ingester pods ready"),
                  condition("Ready", "False", "IngesterNotReady", "ingesters starting")),
              "Progressing",
              "PodsNotReady: 0/2 ingester pods ready"));
    }

    if (kind.name().equals("LogReplay")) {
      cases.add(
          new Case(
              "Job created, its pod not started",
              object(
                  kind,
                  1L,
                  1L,
                  condition("Ready", "False", "JobPending", "Job created, not started yet")),
              "Progressing",
              "JobPending: Job created, not started yet"));
      cases.add(
          new Case(
              "Job failed",
              object(
                  kind,
                  1L,
                  1L,
                  condition("Ready", "False", "JobFailed", "Job failed: BackoffLimitExceeded")),
              "Degraded",
              "JobFailed: Job failed: BackoffLimitExceeded"));
    }

    List<Map<String, String>> health = runHealthScript(shippedScript(kind.name()), cases);

    assertThat(health).hasSameSizeAs(cases);
    for (int i = 0; i < cases.size(); i++) {
      Case c = cases.get(i);
      assertThat(health.get(i).get("status")).as(c.what()).isEqualTo(c.status());
      assertThat(health.get(i).get("message")).as(c.what()).contains(c.messageContains());
    }
  }

  /** The plain patch holds health.lua under all seven keys and nothing else. */
  @Test
  void patchShipsTheHealthScriptForEveryKind() throws Exception {
    String lua = Files.readString(ARGOCD.resolve("health/health.lua"));
    JsonNode data = YAML.readTree(ARGOCD.resolve("argocd-cm-patch.yaml").toFile()).get("data");
    List<String> keys = new ArrayList<>();
    data.fieldNames().forEachRemaining(keys::add);
    assertThat(keys)
        .containsExactlyInAnyOrderElementsOf(kinds().stream().map(k -> KEY + k.name()).toList());
    keys.forEach(key -> assertThat(data.get(key).asText()).as(key).isEqualTo(lua));
  }

  /**
   * The component merges the same keys into an existing argocd-cm (as in a kustomization installing
   * Argo CD) and keeps the keys already there.
   */
  @Test
  void componentMergesTheSameKeysIntoArgoCdsConfigMap() throws Exception {
    Path install = Files.createTempDirectory(Path.of("target"), "argocd-").toAbsolutePath();
    Files.writeString(
        install.resolve("argocd-cm.yaml"),
        """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: argocd-cm
          labels: {app.kubernetes.io/part-of: argocd}
        data:
          url: https://argocd.example.com
        """);
    Files.writeString(
        install.resolve("kustomization.yaml"),
        "namespace: argocd\nresources: [argocd-cm.yaml]\ncomponents: [%s]\n"
            .formatted(install.relativize(ARGOCD.resolve("health"))));

    GoTools.Result rendered =
        GoTools.run(List.of(GoTools.kubectl().toString(), "kustomize", install.toString()), "");

    assertThat(rendered.exit()).as(rendered.output()).isZero();
    JsonNode configMap = YAML.readTree(rendered.stdout());
    assertThat(configMap.at("/metadata/name").asText()).isEqualTo("argocd-cm");
    assertThat(configMap.at("/metadata/namespace").asText()).isEqualTo("argocd");
    JsonNode expected = YAML.readTree(ARGOCD.resolve("argocd-cm-patch.yaml").toFile()).get("data");
    JsonNode data = configMap.get("data");
    assertThat(data.get("url").asText()).isEqualTo("https://argocd.example.com");
    expected
        .fieldNames()
        .forEachRemaining(key -> assertThat(data.get(key)).as(key).isEqualTo(expected.get(key)));
  }

  private static String shippedScript(String kind) throws Exception {
    JsonNode data = YAML.readTree(ARGOCD.resolve("argocd-cm-patch.yaml").toFile()).get("data");
    assertThat(data.has(KEY + kind)).as("argocd-cm-patch.yaml has " + KEY + kind).isTrue();
    return data.get(KEY + kind).asText();
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, String>> runHealthScript(String script, List<Case> cases)
      throws Exception {
    Path file = Files.createTempFile("health-", ".lua");
    try {
      Files.writeString(file, script);
      String objects = Serialization.asJson(cases.stream().map(Case::object).toList());
      GoTools.Result result =
          GoTools.run(List.of(GoTools.luaHealth().toString(), file.toString()), objects);
      assertThat(result.exit()).as(result.output()).isZero();
      return new ObjectMapper().readValue(result.stdout(), List.class);
    } finally {
      Files.delete(file);
    }
  }

  private static Object object(Kind kind, Long generation, Long observed, Condition... conditions) {
    CustomResource<?, ? extends VigilStatus> resource = kind.resource().get();
    resource.setMetadata(
        new ObjectMetaBuilder()
            .withName("example")
            .withNamespace("vigil")
            .withGeneration(generation)
            .build());
    if (observed != null) {
      VigilStatus status = kind.status().get();
      status.observedGeneration = observed;
      status.conditions = List.of(conditions);
      setStatus(resource, status);
    }
    return resource;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void setStatus(CustomResource resource, VigilStatus status) {
    resource.setStatus(status);
  }

  private static Condition condition(String type, String status, String reason, String message) {
    Condition c = new Condition();
    c.setType(type);
    c.setStatus(status);
    c.setReason(reason);
    c.setMessage(message);
    c.setLastTransitionTime("2026-12-01T10:00:00Z");
    c.setObservedGeneration(1L);
    return c;
  }
}

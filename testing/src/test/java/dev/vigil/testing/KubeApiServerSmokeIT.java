package dev.vigil.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.parts.KubeApiServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RealPartsExtension.class)
class KubeApiServerSmokeIT {
  private static final String CRD =
      """
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata:
        name: widgets.smoke.vigil.dev
      spec:
        group: smoke.vigil.dev
        scope: Namespaced
        names: {plural: widgets, singular: widget, kind: Widget}
        versions:
        - name: v1
          served: true
          storage: true
          subresources: {status: {}}
          schema:
            openAPIV3Schema:
              type: object
              properties:
                spec:
                  type: object
                  required: [size]
                  properties:
                    size: {type: integer, minimum: 1}
                status:
                  type: object
                  properties:
                    phase: {type: string}
      """;

  private static final ResourceDefinitionContext WIDGETS =
      new ResourceDefinitionContext.Builder()
          .withGroup("smoke.vigil.dev")
          .withVersion("v1")
          .withPlural("widgets")
          .withKind("Widget")
          .withNamespaced(true)
          .build();

  @Test
  void customResourceIsValidatedWatchedAndGetsStatusThroughSubresource(KubeApiServer server)
      throws Exception {
    try (KubernetesClient client = server.adminClient()) {
      CustomResourceDefinition crd =
          client.apiextensions().v1().customResourceDefinitions().load(stream(CRD)).item();
      client.apiextensions().v1().customResourceDefinitions().resource(crd).serverSideApply();
      client
          .apiextensions()
          .v1()
          .customResourceDefinitions()
          .withName("widgets.smoke.vigil.dev")
          .waitUntilCondition(KubeApiServerSmokeIT::established, 30, TimeUnit.SECONDS);

      var widgets = client.genericKubernetesResources(WIDGETS).inNamespace("default");
      // The schema is enforced by the server, not the client.
      assertThat(
              org.assertj.core.api.Assertions.catchThrowableOfType(
                  KubernetesClientException.class,
                  () -> widgets.resource(widget("bad", 0)).create()))
          .satisfies(e -> assertThat(e.getCode()).isEqualTo(422))
          .satisfies(e -> assertThat(e.getMessage()).contains("spec.size"));

      BlockingQueue<String> events = new LinkedBlockingQueue<>();
      try (Watch ignored =
          widgets.watch(
              new Watcher<>() {
                @Override
                public void eventReceived(Action action, GenericKubernetesResource resource) {
                  Object status = resource.getAdditionalProperties().get("status");
                  events.add(action + " " + resource.getMetadata().getName() + " " + status);
                }

                @Override
                public void onClose(WatcherException cause) {}
              })) {
        widgets.resource(widget("w1", 3)).create();
        assertThat(events.poll(30, TimeUnit.SECONDS)).isEqualTo("ADDED w1 null");

        GenericKubernetesResource current = widgets.withName("w1").get();
        current.getAdditionalProperties().put("status", Map.of("phase", "Ready"));
        widgets.resource(current).updateStatus();
        assertThat(events.poll(30, TimeUnit.SECONDS)).isEqualTo("MODIFIED w1 {phase=Ready}");
      }

      // The status subresource ignores spec changes and the main resource ignores status changes.
      GenericKubernetesResource stored = widgets.withName("w1").get();
      assertThat(stored.getMetadata().getGeneration()).isEqualTo(1L);
      assertThat(stored.getAdditionalProperties().get("status"))
          .isEqualTo(Map.of("phase", "Ready"));
    }
  }

  private static boolean established(CustomResourceDefinition crd) {
    return crd != null
        && crd.getStatus() != null
        && crd.getStatus().getConditions().stream()
            .anyMatch(c -> c.getType().equals("Established") && c.getStatus().equals("True"));
  }

  private static GenericKubernetesResource widget(String name, int size) {
    return new GenericKubernetesResourceBuilder()
        .withApiVersion("smoke.vigil.dev/v1")
        .withKind("Widget")
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withAdditionalProperties(Map.of("spec", Map.of("size", size)))
        .build();
  }

  private static ByteArrayInputStream stream(String yaml) {
    return new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aServerOfItsOwnLeavesNoFilesOnceClosed() {
    KubeApiServer own = KubeApiServer.start();
    Path files = own.kubeconfig().getParent();
    assertThat(files).isDirectory();
    own.close();
    assertThat(files).doesNotExist();
  }
}

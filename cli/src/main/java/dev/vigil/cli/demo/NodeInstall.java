package dev.vigil.cli.demo;

import dev.vigil.parts.KubeNode;
import dev.vigil.parts.MotoServer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Vigil installed on the test node the way users install it: the operator and ingester images
 * loaded into the node's containerd (as {@code kind load image-archive} does), then {@code kubectl
 * apply -k} of a kustomization layered on {@code deploy/kustomize/overlays/kind} that only says
 * where this machine's AWS emulator is; the emulator's static credentials go into the Secret the
 * kind overlay reads. The operator runs as a pod under exactly the ServiceAccount and RBAC of the
 * kustomize base; the ingester Deployments it writes are run by the kubelet.
 */
public final class NodeInstall {
  public static final String NAMESPACE = "vigil-system";
  public static final String OPERATOR = "vigil-operator";

  /**
   * The Secret of AWS credentials the kind overlay gives the operator (in {@value #NAMESPACE}) and
   * the ingesters (in each LogSource namespace, {@code
   * vigil.operator.ingesters.aws-credentials-secret}).
   */
  public static final String AWS_SECRET = "vigil-aws-credentials";

  private static final String OVERLAY = "deploy/kustomize/overlays/kind";

  private static final Duration READY_TIMEOUT = Duration.ofMinutes(4);

  private NodeInstall() {}

  /**
   * Installs Vigil and waits until the operator pod is ready. {@code settings} are further operator
   * settings ({@code vigil.operator.*} property names), given to the pod as environment variables.
   *
   * @param dir where the kustomization is written (kept, so users can read what was applied)
   */
  public static void install(
      KubeNode node, DemoLayout layout, MotoServer moto, Path dir, Map<String, String> settings) {
    node.importImage(layout.operatorImage());
    node.importImage(layout.ingesterImage());
    Map<String, String> env = new LinkedHashMap<>();
    env.put(
        "vigil.operator.aws.endpoint-override", node.reachableFromPods(moto.endpoint()).toString());
    env.put("vigil.operator.aws.region", MotoServer.REGION.id());
    env.put("vigil.operator.aws.s3-path-style", "true");
    env.putAll(settings);
    Path absolute = dir.toAbsolutePath();
    try {
      Files.createDirectories(absolute);
      Files.writeString(
          absolute.resolve("kustomization.yaml"),
          kustomization(absolute.relativize(layout.root().resolve(OVERLAY)), env));
    } catch (IOException e) {
      throw new DemoException("cannot write the kustomization in " + dir, e);
    }
    try (KubernetesClient client = node.api().adminClient()) {
      // The credentials are read when the operator's container starts: they come first.
      prepareNamespace(client, NAMESPACE);
      kubectl(node, "apply", "-k", absolute.toString());
      awaitOperatorReady(client);
    }
  }

  /**
   * A namespace with the emulator's credentials in the Secret the kind overlay names: for the
   * operator's namespace, and for each namespace whose LogSources' ingesters need them.
   */
  public static void prepareNamespace(KubernetesClient client, String namespace) {
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .serverSideApply();
    client
        .secrets()
        .inNamespace(namespace)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(AWS_SECRET)
                .withNamespace(namespace)
                .endMetadata()
                .withStringData(credentials())
                .build())
        .serverSideApply();
  }

  private static Map<String, String> credentials() {
    // moto accepts any key; these are its documented test values.
    return Map.of("AWS_ACCESS_KEY_ID", "testing", "AWS_SECRET_ACCESS_KEY", "testing");
  }

  /** The kind overlay (a path relative to the kustomization: kustomize refuses absolute ones). */
  static String kustomization(Path overlay, Map<String, String> settings) {
    String env =
        settings.entrySet().stream()
            .map(
                e ->
                    "      - op: add\n"
                        + "        path: /spec/template/spec/containers/0/env/-\n"
                        + "        value: {name: "
                        + envName(e.getKey())
                        + ", value: \""
                        + e.getValue()
                        + "\"}\n")
            .collect(Collectors.joining());
    return "# Written by the Vigil demo: the kind overlay, pointed at this machine's AWS emulator.\n"
        + "apiVersion: kustomize.config.k8s.io/v1beta1\n"
        + "kind: Kustomization\n"
        + "resources:\n"
        + "  - "
        + overlay
        + "\n"
        + "patches:\n"
        + "  - target: {kind: Deployment, name: "
        + OPERATOR
        + "}\n"
        + "    patch: |-\n"
        + env;
  }

  /** A property name as Quarkus reads it from the environment. */
  static String envName(String property) {
    return property.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
  }

  private static void awaitOperatorReady(KubernetesClient client) {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      Deployment deployment =
          client.apps().deployments().inNamespace(NAMESPACE).withName(OPERATOR).get();
      if (deployment != null
          && deployment.getStatus() != null
          && deployment.getStatus().getReadyReplicas() != null
          && deployment.getStatus().getReadyReplicas() > 0) {
        return;
      }
      try {
        Thread.sleep(1000); // polling interval, not a wait for an outcome
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DemoException("interrupted while waiting for the operator pod", e);
      }
    }
    throw new DemoException(
        "the operator pod is not ready after "
            + READY_TIMEOUT.toMinutes()
            + " min: "
            + podStates(client.pods().inNamespace(NAMESPACE).list().getItems()));
  }

  private static String podStates(List<Pod> pods) {
    if (pods.isEmpty()) {
      return "no pod in " + NAMESPACE;
    }
    return pods.stream()
        .map(p -> p.getMetadata().getName() + " " + p.getStatus())
        .collect(Collectors.joining("; "));
  }

  private static void kubectl(KubeNode node, String... args) {
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                node.api().kubectl().toString(),
                "--kubeconfig",
                node.api().kubeconfig().toString()));
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
        throw new DemoException("kubectl " + String.join(" ", args) + " failed:\n" + output);
      }
    } catch (IOException e) {
      throw new DemoException("cannot run kubectl", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DemoException("interrupted while running kubectl", e);
    }
  }
}

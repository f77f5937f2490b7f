package dev.vigil.cli.demo;

import dev.vigil.parts.KubeNode;
import dev.vigil.parts.MotoServer;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Vigil as it ships, on the real node: images loaded into containerd, {@code kubectl apply -k} of
 * the kind overlay ({@link NodeInstall}), the operator as a pod under its own RBAC, and the
 * ingester Deployments it writes run by the kubelet. Reports each pod as it starts, becomes ready
 * or fails.
 */
final class NodeRuntime implements VigilRuntime {
  private static final Duration REGISTRATION_TIMEOUT = Duration.ofSeconds(60);
  private final DemoLayout layout;
  private final Console console;
  private final KubeNode node;
  private final KubernetesClient client;
  private final MotoServer moto;
  private final Map<String, String> podStates = new HashMap<>();
  private String namespace;

  NodeRuntime(
      DemoLayout layout, Console console, KubeNode node, KubernetesClient client, MotoServer moto) {
    this.layout = layout;
    this.console = console;
    this.node = node;
    this.client = client;
    this.moto = moto;
  }

  @Override
  public List<String> install(String namespace) {
    this.namespace = namespace;
    console.partial("installing Vigil on the node (images, kubectl apply -k)… ");
    long t = System.nanoTime();
    Path kustomization = layout.state().resolve("node");
    NodeInstall.install(node, layout, moto, kustomization, DEMO_SETTINGS);
    console.line(
        String.format(
            "operator pod ready in %.1f s (kustomization %s)",
            (System.nanoTime() - t) / 1e9, kustomization.resolve("kustomization.yaml")));
    NodeInstall.prepareNamespace(client, namespace);
    console.event(
        "the operator and the ingesters run as pods on the node %s: the kubelet runs them, with their"
            + " probes, volumes, securityContext and the RBAC of deploy/kustomize",
        KubeNode.NODE_NAME);
    return awaitReconcilers();
  }

  private List<String> awaitReconcilers() {
    long deadline = System.nanoTime() + REGISTRATION_TIMEOUT.toNanos();
    while (true) {
      List<String> kinds =
          OperatorProcess.reconciledKinds(
              node.podLogs(NodeInstall.NAMESPACE, NodeInstall.OPERATOR));
      if (!kinds.isEmpty() || System.nanoTime() > deadline) {
        return kinds;
      }
      try {
        Thread.sleep(500); // polling the pod's log, not a wait for an outcome
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return kinds;
      }
    }
  }

  @Override
  public URI reachable(URI loopback) {
    return node.reachableFromPods(loopback);
  }

  @Override
  public void poll() {
    for (String ns : List.of(NodeInstall.NAMESPACE, namespace)) {
      for (Pod pod : client.pods().inNamespace(ns).list().getItems()) {
        String state = state(pod);
        String key = ns + "/" + pod.getMetadata().getName();
        if (!state.equals(podStates.put(key, state))) {
          console.event("pod       %s  %s", key, state);
        }
      }
    }
  }

  private static String state(Pod pod) {
    List<ContainerStatus> statuses =
        pod.getStatus() == null ? null : pod.getStatus().getContainerStatuses();
    if (statuses == null || statuses.isEmpty()) {
      return pod.getStatus() == null ? "Pending" : pod.getStatus().getPhase();
    }
    ContainerStatus c = statuses.get(0);
    if (c.getState().getWaiting() != null) {
      return "waiting: " + c.getState().getWaiting().getReason();
    }
    if (c.getState().getTerminated() != null) {
      return "terminated: " + c.getState().getTerminated().getReason();
    }
    return Boolean.TRUE.equals(c.getReady()) ? "running, ready" : "running, not ready yet";
  }

  @Override
  public String operatorGone() {
    return null; // the kubelet restarts it; poll() reports what happens to the pod
  }

  @Override
  public List<String> describe(String kubectl) {
    return List.of(
        "  node                   "
            + KubeNode.NODE_NAME
            + " ("
            + node.nodeIp()
            + "), pod logs in "
            + node.podLogs(),
        "  operator               pod in "
            + NodeInstall.NAMESPACE
            + ":  "
            + kubectl
            + " -n "
            + NodeInstall.NAMESPACE
            + " logs deploy/"
            + NodeInstall.OPERATOR,
        "  ingesters              pods:  " + kubectl + " -n " + namespace + " get pods -o wide");
  }

  @Override
  public void close() {
    // The node, with every pod, stops with the other parts.
  }
}

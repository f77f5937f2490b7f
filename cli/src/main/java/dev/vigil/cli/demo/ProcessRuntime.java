package dev.vigil.cli.demo;

import dev.vigil.parts.KubeApiServer;
import dev.vigil.parts.MotoServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.util.List;

/**
 * Vigil as local processes, where no node can run: the CRDs applied from {@code crds/}, the
 * packaged operator as a child process, and one ingester process per ingester Deployment ({@link
 * IngesterKubelet} stands in for the kubelet).
 */
final class ProcessRuntime implements VigilRuntime {
  private final DemoLayout layout;
  private final Console console;
  private final KubeApiServer kube;
  private final KubernetesClient client;
  private final MotoServer moto;
  private OperatorProcess operator;
  private IngesterKubelet kubelet;

  ProcessRuntime(
      DemoLayout layout,
      Console console,
      KubeApiServer kube,
      KubernetesClient client,
      MotoServer moto) {
    this.layout = layout;
    this.console = console;
    this.kube = kube;
    this.client = client;
    this.moto = moto;
  }

  @Override
  public List<String> install(String namespace) {
    List<String> kinds = CrdInstaller.install(client, layout.crds());
    console.event("CRDs installed from crds/: %s", String.join(", ", kinds));
    console.partial("starting the Vigil operator… ");
    long t = System.nanoTime();
    operator =
        OperatorProcess.start(layout.operatorJar(), layout.state().resolve("operator"), kube, moto);
    console.line(
        String.format("ready in %.1f s (log %s)", (System.nanoTime() - t) / 1e9, operator.log()));
    kubelet =
        new IngesterKubelet(
            client, layout.ingesterJar(), layout.state().resolve("ingesters"), console);
    kubelet.start();
    console.event(
        "no kubelet runs here: the demo runs one ingester process per ingester Deployment, with its"
            + " ConfigMap as config/application.properties, and reports its readiness in the"
            + " Deployment's status");
    return operator.reconciledKinds();
  }

  @Override
  public URI reachable(URI loopback) {
    return loopback;
  }

  @Override
  public void poll() {}

  @Override
  public String operatorGone() {
    return operator.isAlive() ? null : "the operator exited; its log: " + operator.log();
  }

  @Override
  public List<String> describe(String kubectl) {
    return List.of(
        "  operator               local process (log " + operator.log() + ")",
        "  ingesters              local processes, one per ingester Deployment");
  }

  @Override
  public void close() {
    if (kubelet != null) {
      kubelet.close();
    }
    if (operator != null) {
      operator.close();
    }
  }
}

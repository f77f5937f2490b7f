package dev.vigil.cli;

import dev.vigil.testing.KubeApiServer;
import dev.vigil.testing.MotoServer;
import dev.vigil.testing.OpenSearchNode;
import dev.vigil.testing.RealParts;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs Vigil locally on real parts: OpenSearch, the AWS emulator and a Kubernetes API server, each
 * on a loopback port, until Ctrl-C.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Start Vigil's local parts (OpenSearch, AWS emulator, Kubernetes API server) and keep them running.")
final class DemoCommand implements Callable<Integer> {
  @Option(
      names = "--once",
      description =
          "Exit (stopping everything) as soon as all parts are up, instead of waiting for Ctrl-C.")
  boolean once;

  @Option(
      names = "--logs",
      defaultValue = ".vigil/logs",
      description = "Directory for the parts' logs (default: ${DEFAULT-VALUE}).")
  Path logs;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    System.setProperty("vigil.parts.logs", logs.toAbsolutePath().toString());
    out.println("Vigil demo — logs of every part go to " + logs.toAbsolutePath());
    out.println(
        "(the first start downloads moto and builds the Kubernetes API server from Go modules: that takes a few minutes, later starts take seconds)");
    out.flush();

    OpenSearchNode openSearch =
        start(out, "OpenSearch " + OpenSearchNode.VERSION, RealParts::openSearch);
    MotoServer moto = start(out, "AWS emulator (moto)", RealParts::moto);
    KubeApiServer kube = start(out, "Kubernetes API server", RealParts::kube);

    out.println();
    out.println("Vigil's local parts are up:");
    out.println("  OpenSearch             " + openSearch.uri());
    out.println(
        "  AWS emulator (moto)    "
            + moto.endpoint()
            + "   (region "
            + MotoServer.REGION
            + ", any access key)");
    out.println("  Kubernetes API server  " + kube.url());
    out.println("  kubeconfig             " + kube.kubeconfig());
    out.println();
    out.println("Try:");
    out.println("  curl -s " + openSearch.uri() + "/_cluster/health?pretty");
    out.println("  curl -s " + moto.endpoint() + "/moto-api/data.json | head -c 300");
    out.println("  kubectl --kubeconfig " + kube.kubeconfig() + " get namespaces");
    out.flush();

    if (!once) {
      out.println();
      out.println("Press Ctrl-C to stop every part.");
      out.flush();
      new CountDownLatch(1).await(); // parts stop in the shutdown hook that Ctrl-C triggers
    }
    RealParts.stopAll();
    out.println("stopped every part");
    out.flush();
    return 0;
  }

  private static <T> T start(PrintWriter out, String name, Supplier<T> starter) {
    out.print("starting " + name + "… ");
    out.flush();
    long started = System.nanoTime();
    T part = starter.get();
    out.printf("ready in %.1f s%n", (System.nanoTime() - started) / 1e9);
    out.flush();
    return part;
  }
}

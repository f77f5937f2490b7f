package dev.vigil.cli;

import dev.vigil.cli.demo.Console;
import dev.vigil.cli.demo.DemoException;
import dev.vigil.cli.demo.DemoLayout;
import dev.vigil.cli.demo.DemoRun;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vigil demo}: the whole SIEM on local real parts (see {@link DemoRun} and docs/demo.md).
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run Vigil locally on real parts: OpenSearch, the AWS emulator (moto) and a one-node Kubernetes",
      "cluster running the operator and ingester images as pods (as root; else an API server with the",
      "operator and ingesters as processes), the samples/demo manifests and logs — and show",
      "what happens: resources becoming Ready, documents ingested per log type, alerts, webhook deliveries.",
      "Runs until Ctrl-C, which stops every process it started."
    })
final class DemoCommand implements Callable<Integer> {
  @Option(
      names = "--once",
      description =
          "Exit as soon as every demo log is searchable (and, when the operator has a detection engine,"
              + " every demo rule alerted): 0 then, 1 with what did not happen within --timeout.")
  boolean once;

  @Option(
      names = "--timeout",
      defaultValue = "PT10M",
      description =
          "How long to wait for everything to happen once the parts are up (ISO-8601, default: 10 minutes).")
  Duration timeout;

  @Option(
      names = "--logs",
      defaultValue = ".vigil/logs",
      description = "Directory for the logs of every process (default: ${DEFAULT-VALUE}).")
  Path logs;

  @Option(
      names = "--state",
      defaultValue = ".vigil",
      description =
          "Directory for the kubeconfig, the operator's and ingesters' working directories (default: ${DEFAULT-VALUE}).")
  Path state;

  @Option(
      names = "--processes",
      description =
          "Run the operator and ingesters as local processes instead of pods on a real node (what the"
              + " demo does anyway when not run as root, since a node needs root).")
  boolean processes;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    System.setProperty("vigil.parts.logs", logs.toAbsolutePath().toString());
    Console console = new Console(spec.commandLine().getOut());
    try {
      return new DemoRun(DemoLayout.find(state), console, once, timeout, processes).run();
    } catch (DemoException e) {
      spec.commandLine().getErr().println("vigil demo: " + e.getMessage());
      return ExitCodes.ERROR;
    }
  }
}

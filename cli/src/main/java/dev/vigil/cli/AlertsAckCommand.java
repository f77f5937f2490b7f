package dev.vigil.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code vigil alerts ack}: {@code vigil ack} without having to know the rule. Each alert names its
 * DetectionRule (namespace and name), so the ids go to that rule's acknowledge annotation and the
 * operator's next run moves them to ACKNOWLEDGED — the CLI writes no alert itself, since the engine
 * overwrites the alert documents it runs on.
 */
@Command(
    name = "ack",
    mixinStandardHelpOptions = true,
    description = {
      "Acknowledge alerts by id: each ACTIVE one is added to its DetectionRule's acknowledge"
          + " annotation (as vigil ack does) and the operator's next run moves it to ACKNOWLEDGED."
          + " Needs OpenSearch (to find the rules) and Kubernetes (to annotate them). Exit 5, changing"
          + " nothing, when an id is not an alert or its rule no longer exists."
    })
final class AlertsAckCommand implements Callable<Integer> {
  @Mixin OpenSearchOptions openSearch;
  @Mixin KubeOptions kube;

  @Parameters(arity = "1..*", paramLabel = "ALERT_ID", description = "Alert ids.")
  List<String> ids;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    return AlertRequests.ACKNOWLEDGE.send(
        openSearch, kube, ids, spec.commandLine().getOut(), spec.commandLine().getErr());
  }
}

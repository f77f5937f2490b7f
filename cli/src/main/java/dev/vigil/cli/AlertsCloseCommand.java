package dev.vigil.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code vigil alerts close}: an analyst closes alerts by id. As with {@code ack}, the ids go to
 * the alert's DetectionRule (annotation {@code siem.vigil.dev/close}) and the operator's next run
 * moves them to COMPLETED with a {@code closedTime}; it stays closed for its suppression window.
 */
@Command(
    name = "close",
    mixinStandardHelpOptions = true,
    description = {
      "Close alerts by id: each open (ACTIVE or ACKNOWLEDGED) one is added to its DetectionRule's"
          + " close annotation and the operator's next run moves it to COMPLETED; it stays closed"
          + " for the rest of its suppression window. Needs OpenSearch (to"
          + " find the rules) and Kubernetes (to annotate them). Exit 5, changing nothing, when an"
          + " id is not an alert or its rule no longer exists."
    })
final class AlertsCloseCommand implements Callable<Integer> {
  @Mixin OpenSearchOptions openSearch;
  @Mixin KubeOptions kube;

  @Parameters(arity = "1..*", paramLabel = "ALERT_ID", description = "Alert ids.")
  List<String> ids;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    return AlertRequests.CLOSE.send(
        openSearch, kube, ids, spec.commandLine().getOut(), spec.commandLine().getErr());
  }
}

package dev.vigil.cli;

import dev.vigil.api.v1alpha1.DetectionRule;
import dev.vigil.core.alerts.Alert;
import dev.vigil.core.alerts.AlertState;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Map<String, Alert> alerts;
    try {
      alerts = new AlertsIndex(openSearch).get(List.copyOf(new LinkedHashSet<>(ids)));
    } catch (AlertsIndex.UnreachableException e) {
      err.println(e.getMessage());
      return ExitCodes.UNREACHABLE;
    }
    List<String> missing = ids.stream().filter(id -> !alerts.containsKey(id)).toList();
    if (!missing.isEmpty()) {
      err.println(
          "no alert " + String.join(", ", missing) + " in vigil-alerts; nothing acknowledged");
      return ExitCodes.NOT_FOUND;
    }
    // The engine acknowledges only ACTIVE alerts; the others are reported, not sent.
    Map<String, List<String>> byRule = new TreeMap<>();
    for (Alert alert : alerts.values()) {
      if (alert.state == AlertState.ACTIVE) {
        byRule
            .computeIfAbsent(alert.rule.namespace + "/" + alert.rule.name, r -> new ArrayList<>())
            .add(alert.id);
      } else {
        out.println(alert.id + ": " + alert.state + ", nothing to acknowledge");
      }
    }
    try (KubernetesClient client = kube.client()) {
      for (String rule : byRule.keySet()) {
        String[] parts = rule.split("/", 2);
        if (client.resources(DetectionRule.class).inNamespace(parts[0]).withName(parts[1]).get()
            == null) {
          err.println(
              "DetectionRule "
                  + rule
                  + " not found (the alerts' rule was deleted); nothing acknowledged");
          return ExitCodes.NOT_FOUND;
        }
      }
      for (Map.Entry<String, List<String>> entry : byRule.entrySet()) {
        String[] parts = entry.getKey().split("/", 2);
        AcknowledgeCommand.Added added =
            AcknowledgeCommand.add(client, parts[0], parts[1], entry.getValue());
        if (added == null) {
          err.println("DetectionRule " + entry.getKey() + " not found");
          return ExitCodes.NOT_FOUND;
        }
        out.println("DetectionRule " + entry.getKey() + ": " + added);
      }
    }
    return ExitCodes.OK;
  }
}

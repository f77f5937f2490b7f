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
import java.util.function.Predicate;

/**
 * Asks the engine to act on alerts by id (acknowledge, close): each alert names its DetectionRule,
 * so the ids go to that rule's annotation and the operator's next run applies them — the CLI writes
 * no alert itself, since the engine rewrites the alert documents it runs on.
 *
 * @param annotation the rule annotation the engine reads
 * @param eligible the alerts the engine would act on; the others are reported and skipped
 * @param verb what the request does, for messages ("acknowledge", "close")
 */
record AlertRequests(String annotation, Predicate<Alert> eligible, String verb) {
  static final AlertRequests ACKNOWLEDGE =
      new AlertRequests(
          DetectionRule.ACKNOWLEDGE_ANNOTATION, a -> a.state == AlertState.ACTIVE, "acknowledge");
  static final AlertRequests CLOSE =
      new AlertRequests(DetectionRule.CLOSE_ANNOTATION, a -> a.state.isOpen(), "close");

  /** Sends the request for these ids; the exit code. */
  int send(
      OpenSearchOptions openSearch,
      KubeOptions kube,
      List<String> ids,
      PrintWriter out,
      PrintWriter err)
      throws Exception {
    Map<String, Alert> alerts;
    try {
      alerts = new AlertsIndex(openSearch).get(List.copyOf(new LinkedHashSet<>(ids)));
    } catch (AlertsIndex.UnreachableException e) {
      err.println(e.getMessage());
      return ExitCodes.UNREACHABLE;
    }
    List<String> missing = ids.stream().filter(id -> !alerts.containsKey(id)).toList();
    if (!missing.isEmpty()) {
      err.println("no alert " + String.join(", ", missing) + " in vigil-alerts; nothing sent");
      return ExitCodes.NOT_FOUND;
    }
    Map<String, List<String>> byRule = new TreeMap<>();
    for (Alert alert : alerts.values()) {
      if (eligible.test(alert)) {
        byRule
            .computeIfAbsent(alert.rule.namespace + "/" + alert.rule.name, r -> new ArrayList<>())
            .add(alert.id);
      } else {
        out.println(alert.id + ": " + alert.state + ", nothing to " + verb);
      }
    }
    try (KubernetesClient client = kube.client()) {
      for (String rule : byRule.keySet()) {
        String[] parts = rule.split("/", 2);
        if (client.resources(DetectionRule.class).inNamespace(parts[0]).withName(parts[1]).get()
            == null) {
          err.println(
              "DetectionRule " + rule + " not found (the alerts' rule was deleted); nothing sent");
          return ExitCodes.NOT_FOUND;
        }
      }
      for (Map.Entry<String, List<String>> entry : byRule.entrySet()) {
        String[] parts = entry.getKey().split("/", 2);
        AcknowledgeCommand.Added added =
            AcknowledgeCommand.add(client, parts[0], parts[1], annotation, entry.getValue());
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

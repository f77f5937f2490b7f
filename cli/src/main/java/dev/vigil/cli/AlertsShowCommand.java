package dev.vigil.cli;

import dev.vigil.core.alerts.Alert;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vigil alerts show}: one alert, its ATT&CK techniques and its matching documents. */
@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    description = {
      "One alert: rule, state and times, key, ATT&CK tactics and techniques, message and the ids"
          + " of its matching documents (at most "
          + Alert.MAX_DOCUMENT_IDS
          + "). Exit 5 when no alert has the id."
    })
final class AlertsShowCommand implements Callable<Integer> {
  @Mixin OpenSearchOptions openSearch;

  @Parameters(paramLabel = "ALERT_ID", description = "The alert's id.")
  String id;

  @Option(
      names = {"-o", "--output"},
      defaultValue = "text",
      paramLabel = "FORMAT",
      description = "text, json or yaml (the alert document, with id).")
  Output output;

  enum Output {
    text,
    json,
    yaml
  }

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Alert alert;
    try {
      alert = new AlertsIndex(openSearch).get(List.of(id)).get(id);
    } catch (AlertsIndex.UnreachableException e) {
      spec.commandLine().getErr().println(e.getMessage());
      return ExitCodes.UNREACHABLE;
    }
    if (alert == null) {
      spec.commandLine().getErr().println("no alert " + id + " in vigil-alerts");
      return ExitCodes.NOT_FOUND;
    }
    PrintWriter out = spec.commandLine().getOut();
    switch (output) {
      case json -> out.println(AlertsCommand.json().writeValueAsString(alert));
      case yaml -> out.print(AlertsCommand.yaml().writeValueAsString(alert));
      default -> print(out, alert);
    }
    return ExitCodes.OK;
  }

  private static void print(PrintWriter out, Alert alert) {
    line(out, "Alert", alert.id);
    line(out, "Rule", alert.rule.namespace + "/" + alert.rule.name);
    line(out, "Severity", String.valueOf(alert.severity));
    line(out, "State", String.valueOf(alert.state));
    line(out, "Source", alert.source);
    line(out, "Trigger", alert.trigger);
    line(out, "Key", alert.key.isEmpty() ? null : AlertsListCommand.key(alert.key));
    line(out, "Started", alert.startTime);
    line(out, "Last seen", alert.lastSeenTime);
    line(out, "Acknowledged", alert.acknowledgedTime);
    line(out, "Ended", alert.endTime);
    line(out, "Notified", alert.notifiedTime);
    line(out, "Count", String.valueOf(alert.count));
    if (alert.threat != null) {
      line(out, "Tactics", String.join(", ", alert.threat.tactic.id));
      List<String> techniques = new ArrayList<>(alert.threat.technique.id);
      if (alert.threat.technique.subtechnique != null) {
        techniques.addAll(alert.threat.technique.subtechnique.id);
      }
      line(out, "Techniques", String.join(", ", techniques));
    }
    line(out, "Tags", alert.tags.isEmpty() ? null : String.join(", ", alert.tags));
    line(out, "Message", alert.message);
    line(out, "Error", alert.errorMessage);
    out.println("Matching documents (" + alert.matchingDocumentIds.size() + "):");
    alert.matchingDocumentIds.forEach(id -> out.println("  " + id));
  }

  private static void line(PrintWriter out, String label, String value) {
    if (value != null) {
      out.printf("%-14s %s%n", label + ":", value);
    }
  }
}

package dev.vigil.cli;

import dev.vigil.core.alerts.Alert;
import dev.vigil.core.alerts.AlertState;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vigil alerts list}: alerts matching filters, newest first. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = {
      "Alerts in vigil-alerts, newest first. Filters combine with AND; a filter's values with OR.",
      "Exit 0 (also when none match)."
    })
final class AlertsListCommand implements Callable<Integer> {
  @Mixin OpenSearchOptions openSearch;

  @Option(
      names = "--rule",
      split = ",",
      paramLabel = "[NAMESPACE/]NAME",
      description = "Alerts of these DetectionRules.")
  List<String> rules = new ArrayList<>();

  @Option(
      names = "--severity",
      split = ",",
      paramLabel = "1-5",
      description = "Alerts of these severities (1 highest).")
  List<Integer> severities = new ArrayList<>();

  @Option(
      names = "--state",
      split = ",",
      paramLabel = "STATE",
      description = "Alerts in these states: ${COMPLETION-CANDIDATES} (case-insensitive).")
  List<AlertState> states = new ArrayList<>();

  @Option(
      names = "--open",
      description = "Only alerts still open: adds ACTIVE and ACKNOWLEDGED to --state.")
  boolean open;

  @Option(
      names = "--since",
      paramLabel = "TIME",
      converter = TimeArgument.class,
      description =
          "Alerts last seen at or after TIME (RFC 3339, a UTC day, or ago: 30m, 24h, 7d).")
  Instant since;

  @Option(
      names = "--until",
      paramLabel = "TIME",
      converter = TimeArgument.class,
      description = "Alerts started at or before TIME.")
  Instant until;

  @Option(
      names = "--account",
      split = ",",
      paramLabel = "ACCOUNT_ID",
      description = {
        "Alerts whose key holds this "
            + AlertQuery.ACCOUNT_FIELD
            + ": alerts of rules that group"
            + " or suppress by account. Alerts of other rules name no account and are left out."
      })
  List<String> accounts = new ArrayList<>();

  @Option(
      names = "--limit",
      defaultValue = "100",
      paramLabel = "N",
      description = "At most N alerts (default: ${DEFAULT-VALUE}).")
  int limit;

  @Option(
      names = {"-o", "--output"},
      defaultValue = "table",
      paramLabel = "FORMAT",
      description = "table or json (the alert documents, with id).")
  Output output;

  enum Output {
    table,
    json
  }

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    for (int severity : severities) {
      if (severity < 1 || severity > 5) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--severity " + severity + ": severities are 1 (highest) to 5");
      }
    }
    if (limit < 1 || limit > 10_000) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--limit " + limit + ": between 1 and 10000");
    }
    List<AlertState> wanted = new ArrayList<>(states);
    if (open) {
      for (AlertState state : AlertState.values()) {
        if (state.isOpen() && !wanted.contains(state)) {
          wanted.add(state);
        }
      }
    }
    AlertQuery query = new AlertQuery(rules, severities, wanted, since, until, accounts, limit);
    List<Alert> alerts;
    try {
      alerts = new AlertsIndex(openSearch).search(query.body());
    } catch (AlertsIndex.UnreachableException e) {
      spec.commandLine().getErr().println(e.getMessage());
      return ExitCodes.UNREACHABLE;
    }
    PrintWriter out = spec.commandLine().getOut();
    if (output == Output.json) {
      out.println(AlertsCommand.json().writeValueAsString(alerts));
    } else if (alerts.isEmpty()) {
      out.println("No alerts match.");
    } else {
      printTable(out, alerts);
    }
    return ExitCodes.OK;
  }

  private static void printTable(PrintWriter out, List<Alert> alerts) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"ID", "RULE", "SEV", "STATE", "STARTED", "LAST SEEN", "COUNT", "KEY"});
    for (Alert alert : alerts) {
      rows.add(
          new String[] {
            alert.id,
            alert.rule.namespace + "/" + alert.rule.name,
            String.valueOf(alert.severity),
            String.valueOf(alert.state),
            String.valueOf(alert.startTime),
            String.valueOf(alert.lastSeenTime),
            String.valueOf(alert.count),
            key(alert.key)
          });
    }
    int[] widths = new int[rows.get(0).length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        line.append(i == row.length - 1 ? row[i] : String.format("%-" + widths[i] + "s  ", row[i]));
      }
      out.println(line.toString().stripTrailing());
    }
  }

  static String key(Map<String, String> key) {
    return key.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(" "));
  }
}

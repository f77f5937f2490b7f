package dev.vigil.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code vigil alerts}: triage the alerts in {@code vigil-alerts} from the terminal. */
@Command(
    name = "alerts",
    mixinStandardHelpOptions = true,
    description = {
      "List, show, acknowledge and close the alerts in vigil-alerts. Reads OpenSearch directly"
          + " (--opensearch, your own credentials); acknowledging and closing go through the"
          + " alert's DetectionRule (as vigil ack does), and the operator's next run applies them."
    },
    subcommands = {
      AlertsListCommand.class,
      AlertsShowCommand.class,
      AlertsAckCommand.class,
      AlertsCloseCommand.class
    })
final class AlertsCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static ObjectMapper json() {
    return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  }

  static ObjectMapper yaml() {
    return new ObjectMapper(
        new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));
  }
}

package dev.vigil.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code vigil} command line. */
@Command(
    name = "vigil",
    mixinStandardHelpOptions = true,
    versionProvider = VigilVersion.class,
    description = "Vigil: a Kubernetes-native SIEM for multi-account AWS Organizations.",
    footer = {"", ExitCodes.HELP_LINE_1, ExitCodes.HELP_LINE_2},
    subcommands = {
      DemoCommand.class,
      ParseCommand.class,
      SigmaCommand.class,
      RulesCommand.class,
      ValidateCommand.class,
      StatusCommand.class,
      RestoreCommand.class,
      ReplayCommand.class,
      AcknowledgeCommand.class,
      AlertsCommand.class,
      DashboardsCommand.class,
      AutoComplete.GenerateCompletion.class,
      CommandLine.HelpCommand.class
    })
public final class VigilCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /**
   * The command line with vigil's exit codes for exceptions and completion named {@code
   * completion}.
   */
  static CommandLine commandLine() {
    CommandLine line = new CommandLine(new VigilCommand());
    line.setExitCodeExceptionMapper(ExitCodes::of);
    line.setCaseInsensitiveEnumValuesAllowed(true); // e.g. alerts list --state active
    line.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(false);
    return line;
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}

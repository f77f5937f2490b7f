package dev.vigil.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code vigil} command line. */
@Command(
    name = "vigil",
    mixinStandardHelpOptions = true,
    versionProvider = VigilVersion.class,
    description = "Vigil: a Kubernetes-native SIEM for multi-account AWS Organizations.",
    subcommands = {
      DemoCommand.class,
      ParseCommand.class,
      SigmaCommand.class,
      RulesCommand.class,
      ValidateCommand.class,
      StatusCommand.class,
      RestoreCommand.class,
      AcknowledgeCommand.class,
      DashboardsCommand.class,
      CommandLine.HelpCommand.class
    })
public final class VigilCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new VigilCommand()).execute(args));
  }
}

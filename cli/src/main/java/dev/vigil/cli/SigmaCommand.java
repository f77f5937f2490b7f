package dev.vigil.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.core.rules.CompiledRule;
import dev.vigil.core.rules.RuleCompiler;
import dev.vigil.core.rules.RuleException;
import dev.vigil.core.rules.RuleSource;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vigil sigma}: Sigma rules to Vigil's compiled form. */
@Command(
    name = "sigma",
    mixinStandardHelpOptions = true,
    description = "Work with Sigma rules.",
    subcommands = {SigmaCommand.Convert.class})
final class SigmaCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "convert",
      mixinStandardHelpOptions = true,
      description = {
        "Convert Sigma rules and print each compiled rule as JSON (query, search body, condition,",
        "attribution). The rule authors are credited on stderr and in the JSON (Detection Rule",
        "License 1.1). Exit 1 when a rule cannot be converted (file:line: construct)."
      })
  static final class Convert implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(
        names = "--index",
        paramLabel = "PATTERN",
        description =
            "Convert against this index pattern, any logsource, field names as written (no Vigil"
                + " field mapping).")
    String index;

    @Option(
        names = "--manifest",
        paramLabel = "DIR",
        description =
            "Instead of JSON, write one DetectionRule manifest per rule into DIR (inline sigma,"
                + " severity from its level, authors credited in a header comment).")
    Path manifestDir;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Sigma rule files (YAML).")
    List<Path> files;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      int failed = 0;
      for (Path file : files) {
        String name = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        try {
          RuleSource source = RuleSource.sigma(name, Files.readString(file));
          if (index != null) {
            source = source.withIndexPattern(index);
          }
          CompiledRule rule = RuleCompiler.defaults().compile(source);
          if (manifestDir != null) {
            Files.createDirectories(manifestDir);
            Path target = manifestDir.resolve(SigmaManifests.name(name) + ".yaml");
            Files.writeString(target, SigmaManifests.manifest(name, source.sigma(), rule, index));
            out.println(target);
          } else {
            out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(rule.toJson()));
          }
          err.println(file + ": " + rule.attribution().line());
        } catch (RuleException e) {
          err.println(RuleFiles.where(file.toString(), e) + RuleFiles.message(e));
          failed++;
        } catch (java.nio.file.NoSuchFileException e) {
          err.println(file + ": no such file");
          failed++;
        }
      }
      out.flush();
      err.flush();
      return failed > 0 ? 1 : 0;
    }
  }
}

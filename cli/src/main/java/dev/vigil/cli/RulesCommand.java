package dev.vigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.core.LogType;
import dev.vigil.core.parse.DocumentSink;
import dev.vigil.core.parse.ObjectParser;
import dev.vigil.core.parse.ObjectRef;
import dev.vigil.core.parse.ParsedDocument;
import dev.vigil.core.parse.Rejection;
import dev.vigil.core.parse.UnreadableInputException;
import dev.vigil.core.rules.CompiledRule;
import dev.vigil.core.rules.FieldTypes;
import dev.vigil.core.rules.QueryEvaluator;
import dev.vigil.core.rules.RuleCompiler;
import dev.vigil.core.rules.RuleException;
import dev.vigil.core.rules.RuleManifest;
import dev.vigil.core.rules.RuleTester;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vigil rules}: test and run DetectionRule manifests locally, without a cluster. */
@Command(
    name = "rules",
    mixinStandardHelpOptions = true,
    description = "Test and run DetectionRule manifests locally, without a cluster.",
    subcommands = {RulesCommand.Test.class, RulesCommand.Eval.class, RulesCommand.Coverage.class})
final class RulesCommand implements Runnable {
  private static final ObjectMapper JSON = new ObjectMapper();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "test",
      mixinStandardHelpOptions = true,
      description = {
        "Run the embedded tests of every DetectionRule manifest under PATH: each test event is",
        "parsed as the rule's log type and the compiled query evaluated in memory.",
        "Prints PASS/FAIL per case; exit 1 on any failure or invalid rule."
      })
  static final class Test implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Manifest files or directories.")
    List<Path> paths;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      int[] errors = {0};
      List<RuleManifest> manifests = RuleFiles.read(paths, err, errors);
      RuleTester tester = RuleTester.standard();
      int passed = 0;
      int failed = 0;
      int untested = 0;
      for (RuleManifest m : manifests) {
        if (m.tests().isEmpty()) {
          untested++;
        }
        try {
          for (RuleTester.Result r : tester.run(m)) {
            if (r.passed()) {
              passed++;
              out.println("PASS " + r.rule() + " / " + r.test());
            } else {
              failed++;
              out.println("FAIL " + r.rule() + " / " + r.test() + ": " + r.detail());
            }
          }
        } catch (RuleException e) {
          errors[0]++;
          err.println(RuleFiles.where(m.file(), e) + m.name() + ": " + RuleFiles.message(e));
        }
      }
      out.flush();
      err.printf(
          "%d rules, %d cases: %d passed, %d failed; %d rules without tests; %d invalid%n",
          manifests.size(), passed + failed, passed, failed, untested, errors[0]);
      err.flush();
      return failed > 0 || errors[0] > 0 || manifests.isEmpty() ? 1 : 0;
    }
  }

  @Command(
      name = "coverage",
      mixinStandardHelpOptions = true,
      description = {
        "Print the MITRE ATT&CK coverage map (Markdown) of the DetectionRules under PATH:",
        "per tactic, each technique with its rules, log types and test counts."
      })
  static final class Coverage implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Manifest files or directories.")
    List<Path> paths;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      int[] errors = {0};
      List<RuleManifest> manifests = RuleFiles.read(paths, spec.commandLine().getErr(), errors);
      spec.commandLine()
          .getOut()
          .print(
              CoverageMap.markdown(
                  manifests, String.join(" ", paths.stream().map(Path::toString).toList())));
      spec.commandLine().getOut().flush();
      return errors[0] > 0 ? ExitCodes.NOT_OK : ExitCodes.OK;
    }
  }

  @Command(
      name = "eval",
      mixinStandardHelpOptions = true,
      description = {
        "Run rules over log files (any type vigil parse knows) and print one JSON line per match:",
        "  {\"rule\": \"<name>\", \"severity\": N, \"id\": \"<document id>\", \"index\": \"...\"}",
        "A rule applies to documents of its log type; thresholds and windows are not applied",
        "(every matching document is printed). Summary on stderr."
      })
  static final class Eval implements Callable<Integer> {
    @Option(
        names = "--rules",
        arity = "1..*",
        required = true,
        paramLabel = "PATH",
        description = "Manifest files or directories.")
    List<Path> rules;

    @Option(
        names = "--events",
        arity = "1..*",
        required = true,
        paramLabel = "FILE",
        description = "Log files (gzip, zlib or plain; type detected as in vigil parse).")
    List<Path> events;

    @Option(names = "--type", description = "Log type of the event files (default: detect).")
    String type;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      int[] errors = {0};
      List<RuleManifest> manifests = RuleFiles.read(rules, err, errors);
      List<RuleManifest> okManifests = new ArrayList<>();
      List<CompiledRule> compiled = new ArrayList<>();
      for (RuleManifest m : manifests) {
        try {
          compiled.add(m.compile(RuleCompiler.defaults()));
          okManifests.add(m);
        } catch (RuleException e) {
          errors[0]++;
          err.println(RuleFiles.where(m.file(), e) + m.name() + ": " + RuleFiles.message(e));
        }
      }
      LogType forced = type == null ? null : LogType.fromId(type).orElse(null);
      long[] counts = new long[2]; // documents, matches
      ObjectParser parser = ObjectParser.standard();
      for (Path file : events) {
        try (InputStream in = Files.newInputStream(file)) {
          parser.parse(
              in,
              ObjectRef.file(file.toString()),
              forced,
              new DocumentSink() {
                @Override
                public void document(ParsedDocument d) {
                  counts[0]++;
                  JsonNode doc;
                  try {
                    doc = JSON.readTree(d.source());
                  } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                  }
                  for (int i = 0; i < compiled.size(); i++) {
                    CompiledRule rule = compiled.get(i);
                    if (rule.logType() != d.type()) {
                      continue;
                    }
                    boolean hit;
                    try {
                      hit = rule.matches(new QueryEvaluator(FieldTypes.of(d.type())), doc);
                    } catch (RuleException e) {
                      err.println(rule.name() + ": " + e.getMessage());
                      compiled.set(i, disabled(rule));
                      errors[0]++;
                      continue;
                    }
                    if (hit) {
                      counts[1]++;
                      ObjectNode line = JSON.createObjectNode();
                      line.put("rule", rule.name());
                      line.put("severity", okManifests.get(i).severity());
                      line.put("id", d.id());
                      line.put("index", d.index());
                      out.println(line);
                    }
                  }
                }

                @Override
                public void rejected(Rejection r) {
                  err.println(file + ": " + r.reason());
                }
              });
        } catch (UnreadableInputException e) {
          err.println(e.getMessage());
          errors[0]++;
        } catch (java.nio.file.NoSuchFileException e) {
          err.println(file + ": no such file");
          errors[0]++;
        }
      }
      out.flush();
      err.printf(
          "%d rules over %d documents: %d matches; %d errors%n",
          compiled.size(), counts[0], counts[1], errors[0]);
      err.flush();
      return errors[0] > 0 ? 1 : 0;
    }

    private static CompiledRule disabled(CompiledRule rule) {
      return new CompiledRule(
          rule.name(), null, rule.indexPattern(), rule.query(), null, rule.window(), null);
    }
  }
}

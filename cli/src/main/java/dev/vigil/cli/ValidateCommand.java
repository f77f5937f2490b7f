package dev.vigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.api.v1alpha1.Groups;
import dev.vigil.core.dashboards.DashboardDefinition;
import dev.vigil.core.rules.RuleCompiler;
import dev.vigil.core.rules.RuleException;
import dev.vigil.core.rules.RuleManifest;
import dev.vigil.core.rules.YamlTree;
import java.io.IOException;
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

/**
 * {@code vigil validate}: manifests against Vigil's CRD schemas and, for DetectionRules, the rule
 * compiler, for Dashboards the renderer; every problem as {@code file:line: message}.
 */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = {
      "Check Vigil manifests against the CRD schemas (types, required fields, enums, patterns,",
      "ranges, unknown fields, and the CRDs' CEL x-kubernetes-validations rules, run offline),",
      "compile every DetectionRule and render every Dashboard. Prints file:line: problem; exit 1",
      "when there is any problem. A CEL rule this offline CEL cannot run is a warning on stderr."
    })
final class ValidateCommand implements Callable<Integer> {
  @Option(
      names = "--crds",
      paramLabel = "DIR",
      description = "Directory of Vigil's CRD YAML (default: the crds/ folder of this checkout).")
  Path crds;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Manifest files or directories.")
  List<Path> files;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path crdDir = crds != null ? crds : defaultCrds();
    CrdSchemas schemas = null;
    if (crdDir != null && Files.isDirectory(crdDir)) {
      schemas = CrdSchemas.load(crdDir);
    } else {
      err.println(
          "CRD schemas not found (use --crds DIR): checking DetectionRules with the compiler only");
    }
    int problems = 0;
    int objects = 0;
    for (Path file : RuleFiles.yamlFiles(files)) {
      List<YamlTree> docs;
      try {
        docs = YamlTree.parseAll(Files.readString(file));
      } catch (RuleException e) {
        out.println(RuleFiles.where(file.toString(), e) + RuleFiles.message(e));
        problems++;
        continue;
      } catch (java.nio.file.NoSuchFileException e) {
        out.println(file + ": no such file");
        problems++;
        continue;
      }
      for (YamlTree doc : docs) {
        JsonNode root = doc.root();
        String apiVersion = root.path("apiVersion").asText("");
        String kind = root.path("kind").asText("");
        if (!apiVersion.startsWith(Groups.SIEM + "/")) {
          continue;
        }
        objects++;
        List<String> found = new ArrayList<>();
        if (schemas != null) {
          if (!schemas.knows(apiVersion, kind)) {
            found.add(file + ":" + doc.line("/kind") + ": unknown kind " + apiVersion + " " + kind);
          } else {
            List<CrdSchemas.Violation> violations = new ArrayList<>();
            schemas.validate(apiVersion, kind, root, violations);
            for (CrdSchemas.Violation v : violations) {
              if (v.warning()) {
                err.println(file + ":" + doc.line(v.pointer()) + ": warning: " + v.message());
              } else {
                found.add(file + ":" + doc.line(v.pointer()) + ": " + v.message());
              }
            }
          }
        }
        if (RuleManifest.KIND.equals(kind)) {
          // The rule's reading (severity, durations, tests) and its compilation are checked apart,
          // so a field the schema already refused does not hide a compiler error; a problem at a
          // line already reported is not repeated.
          for (Runnable check :
              List.<Runnable>of(
                  () -> RuleManifest.of(doc, file.toString()),
                  () -> RuleManifest.compile(doc, RuleCompiler.defaults()))) {
            try {
              check.run();
            } catch (RuleException e) {
              String where = RuleFiles.where(file.toString(), e);
              if (found.stream().noneMatch(f -> f.startsWith(where))) {
                found.add(where + RuleFiles.message(e));
              }
            }
          }
        }
        if (DashboardDefinition.KIND.equals(kind)) {
          try {
            DashboardsCommand.render(root);
          } catch (dev.vigil.core.dashboards.DashboardException e) {
            found.add(DashboardsCommand.where(file, doc, e) + e.getMessage());
          }
        }
        found.forEach(out::println);
        problems += found.size();
      }
    }
    err.printf("%d objects checked, %d problems%n", objects, problems);
    out.flush();
    err.flush();
    return problems > 0 ? 1 : 0;
  }

  /**
   * crds/ of the checkout the jar was built in (cli/target/vigil.jar) or of the release it ships in
   * (lib/vigil.jar, make dist), else ./crds.
   */
  private static Path defaultCrds() {
    try {
      Path jar =
          Path.of(
              ValidateCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      for (Path dir = jar.getParent(); dir != null; dir = dir.getParent()) {
        if (Files.isRegularFile(dir.resolve("crds/logsources.siem.vigil.dev.yaml"))) {
          return dir.resolve("crds");
        }
      }
    } catch (Exception e) {
      // fall through to the working directory
    }
    Path local = Path.of("crds");
    return Files.isDirectory(local) ? local : null;
  }
}

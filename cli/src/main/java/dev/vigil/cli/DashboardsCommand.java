package dev.vigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.core.dashboards.DashboardDefinition;
import dev.vigil.core.dashboards.DashboardException;
import dev.vigil.core.dashboards.DashboardRenderer;
import dev.vigil.core.dashboards.SavedObject;
import dev.vigil.core.rules.RuleException;
import dev.vigil.core.rules.YamlTree;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code vigil dashboards render}: Dashboard manifests to the NDJSON the Dashboards import API
 * takes, as the operator renders them (same ids), for a manual import or a review in a pull
 * request.
 */
@Command(
    name = "dashboards",
    mixinStandardHelpOptions = true,
    description = "OpenSearch Dashboards saved objects from Dashboard manifests.",
    subcommands = {DashboardsCommand.Render.class})
final class DashboardsCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "render",
      mixinStandardHelpOptions = true,
      description = {
        "Print the saved objects of every Dashboard in the files as NDJSON, ready for",
        "curl -X POST <dashboards>/api/saved_objects/_import?overwrite=true -H 'osd-xsrf: true'"
            + " --form file=@out.ndjson"
      })
  static final class Render implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Manifest files or directories.")
    List<Path> files;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      int problems = 0;
      int objects = 0;
      for (Path file : RuleFiles.yamlFiles(files)) {
        try {
          for (YamlTree doc : YamlTree.parseAll(Files.readString(file))) {
            if (!DashboardDefinition.KIND.equals(doc.root().path("kind").asText())) {
              continue;
            }
            try {
              List<SavedObject> rendered = render(doc.root());
              out.print(SavedObject.ndjson(rendered));
              objects += rendered.size();
            } catch (DashboardException e) {
              err.println(where(file, doc, e) + e.getMessage());
              problems++;
            }
          }
        } catch (RuleException e) {
          err.println(RuleFiles.where(file.toString(), e) + RuleFiles.message(e));
          problems++;
        }
      }
      err.printf("%d saved objects, %d problems%n", objects, problems);
      out.flush();
      err.flush();
      return problems > 0 ? 1 : 0;
    }
  }

  /** Renders one Dashboard manifest (its namespace defaults to {@code default}). */
  static List<SavedObject> render(JsonNode manifest) {
    JsonNode metadata = manifest.path("metadata");
    return new DashboardRenderer(
            metadata.path("namespace").asText("default"), metadata.path("name").asText())
        .render(DashboardDefinition.fromSpec(manifest.path("spec")))
        .objects();
  }

  /** {@code file:line: } of the field a problem names ({@code spec.panels[2].search: …}). */
  static String where(Path file, YamlTree doc, DashboardException e) {
    String message = e.getMessage();
    int colon = message.indexOf(':');
    String field = colon > 0 ? message.substring(0, colon) : "spec";
    String pointer =
        field.startsWith("spec")
            ? "/" + field.replaceAll("\\[(\\d+)\\]", ".$1").replace('.', '/').split(" ")[0]
            : "/spec";
    return file + ":" + doc.line(pointer) + ": ";
  }
}

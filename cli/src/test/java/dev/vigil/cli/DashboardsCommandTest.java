package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** vigil dashboards render and the Dashboard checks of vigil validate. */
class DashboardsCommandTest {
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = VigilCommand.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void renderPrintsImportableNdjsonForTheShippedDashboards() throws Exception {
    int code = run("dashboards", "render", ROOT.resolve("samples/dashboards/main.yaml").toString());
    assertThat(code).as(err.toString()).isZero();
    List<JsonNode> objects = new ArrayList<>();
    for (String line : out.toString().split("\n")) {
      objects.add(JSON.readTree(line));
    }
    assertThat(objects)
        .extracting(o -> o.path("type").asText())
        .contains("index-pattern", "visualization", "dashboard");
    assertThat(objects.get(objects.size() - 1).path("attributes").path("title").asText())
        .isEqualTo("Vigil — Main");
    assertThat(err.toString()).contains(objects.size() + " saved objects, 0 problems");
  }

  @Test
  void validateNamesTheLineOfADashboardMistake() throws Exception {
    Files.writeString(
        dir.resolve("dash.yaml"),
        String.join(
            "\n",
            "apiVersion: siem.vigil.dev/v1alpha1",
            "kind: Dashboard",
            "metadata:",
            "  name: d",
            "spec:",
            "  title: D",
            "  indexPatterns:",
            "    - {name: ct, pattern: vigil-cloudtrail-*}",
            "  panels:",
            "    - title: Top",
            "      type: Pie",
            "      search: nope",
            ""));
    int code =
        run(
            "validate",
            "--crds",
            ROOT.resolve("crds").toString(),
            dir.resolve("dash.yaml").toString());
    assertThat(code).isEqualTo(1);
    assertThat(out.toString())
        .contains(
            dir.resolve("dash.yaml")
                + ":12: spec.panels[0].search: no entry named 'nope' in spec.searches");
  }
}

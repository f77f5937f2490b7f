package dev.vigil.core.rules;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@code DetectionRule} manifest read from YAML, with the line of every field, so the CLI can
 * compile it, run its tests and report errors at the right line.
 *
 * @param tests the embedded test cases
 */
public record RuleManifest(
    String file, String name, int severity, RuleSource source, List<Case> tests, YamlTree tree) {
  public static final String API_VERSION = "siem.vigil.dev/v1alpha1";
  public static final String KIND = "DetectionRule";

  /** An embedded test: a raw log record and the expected verdict. */
  public record Case(String name, JsonNode event, boolean expectMatch, int line) {}

  /** Every DetectionRule document in a YAML stream; other kinds are skipped. */
  public static List<RuleManifest> read(String yaml, String file) {
    List<RuleManifest> out = new ArrayList<>();
    for (YamlTree tree : YamlTree.parseAll(yaml)) {
      JsonNode root = tree.root();
      if (!KIND.equals(root.path("kind").asText())) {
        continue;
      }
      out.add(of(tree, file));
    }
    return out;
  }

  /** Reads one DetectionRule document; structural problems throw with their line. */
  public static RuleManifest of(YamlTree tree, String file) {
    JsonNode root = tree.root();
    JsonNode spec = root.path("spec");
    String name = root.path("metadata").path("name").asText(null);
    if (name == null) {
      throw new RuleException("metadata.name is required", tree.line("/metadata"));
    }
    if (!spec.isObject()) {
      throw new RuleException("spec is required", tree.line(""));
    }
    RuleSource.Threshold threshold = null;
    JsonNode c = spec.get("condition");
    if (c != null) {
      List<String> groupBy = new ArrayList<>();
      c.path("groupBy").forEach(g -> groupBy.add(g.asText()));
      if (!c.path("threshold").isIntegralNumber()) {
        throw new RuleException(
            "spec.condition.threshold must be a whole number", tree.line("/spec/condition"));
      }
      threshold =
          new RuleSource.Threshold(
              c.path("threshold").asInt(), c.path("window").asText(null), groupBy);
    }
    RuleSource source =
        new RuleSource(
            name,
            text(spec, "query"),
            spec.get("dsl"),
            text(spec, "sigma"),
            text(spec, "logType"),
            text(spec, "indexPattern"),
            threshold,
            text(spec, "interval"));
    List<Case> cases = new ArrayList<>();
    JsonNode tests = spec.path("tests");
    for (int i = 0; i < tests.size(); i++) {
      JsonNode t = tests.get(i);
      String pointer = "/spec/tests/" + i;
      String expect = t.path("expect").asText("");
      if (!expect.equals("Match") && !expect.equals("NoMatch")) {
        throw new RuleException(
            "spec.tests[" + i + "].expect must be Match or NoMatch, not '" + expect + "'",
            tree.line(pointer + "/expect"));
      }
      if (!t.path("event").isObject()) {
        throw new RuleException(
            "spec.tests[" + i + "].event must be a log record (a mapping)", tree.line(pointer));
      }
      cases.add(
          new Case(
              t.path("name").asText("case " + (i + 1)),
              t.get("event"),
              expect.equals("Match"),
              tree.line(pointer)));
    }
    return new RuleManifest(file, name, spec.path("severity").asInt(0), source, cases, tree);
  }

  private static String text(JsonNode spec, String field) {
    JsonNode n = spec.get(field);
    return n == null || n.isNull() ? null : n.asText();
  }

  /** Compiles the rule; a compiler error is reported at the line of the field it names. */
  public CompiledRule compile(RuleCompiler compiler) {
    try {
      return compiler.compile(source);
    } catch (RuleException e) {
      if (e.line() > 0 && source.sigma() != null) {
        // A line inside the inline Sigma YAML: shift it to the manifest's line.
        int sigmaLine = tree.line("/spec/sigma");
        throw new RuleException(
            "spec.sigma: " + e.getMessage().replaceFirst("^line [0-9]+: ", ""),
            sigmaLine + e.line());
      }
      throw new RuleException(e.getMessage(), lineFor(e.getMessage()));
    }
  }

  private int lineFor(String message) {
    for (String field :
        List.of(
            "condition.groupBy",
            "condition.window",
            "condition",
            "query",
            "dsl",
            "logType",
            "indexPattern",
            "interval")) {
      if (message.startsWith(field + ":") || message.contains(" " + field + ":")) {
        return tree.line("/spec/" + field.replace('.', '/'));
      }
    }
    return tree.line("/spec");
  }
}

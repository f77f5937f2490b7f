package dev.vigil.core.rules;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
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
  public static final String KIND = "DetectionRule";

  /**
   * An embedded test: a raw log record and whether the query matches it ({@code sequence} null); or
   * a timed sequence of records and whether the whole rule alerts ({@code event} null).
   */
  public record Case(
      String name, JsonNode event, boolean expectMatch, int line, Sequence sequence) {
    public Case(String name, JsonNode event, boolean expectMatch, int line) {
      this(name, event, expectMatch, line, null);
    }

    public boolean isSequence() {
      return sequence != null;
    }
  }

  /**
   * @param groups the groups expected to alert (groupBy values joined by '|'), or null: not checked
   */
  public record Sequence(List<Step> steps, boolean expectAlert, List<String> groups) {}

  /**
   * A raw record, {@code repeat} times, {@code every} apart, the first at the record's own time.
   */
  public record Step(JsonNode event, int repeat, Duration every) {}

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
      if (t.has("events") || t.has("groups")) {
        cases.add(sequenceCase(tree, t, i));
        continue;
      }
      String expect = t.path("expect").asText("");
      if (!expect.equals("Match") && !expect.equals("NoMatch")) {
        throw new RuleException(
            "spec.tests["
                + i
                + "].expect must be Match or NoMatch, not '"
                + expect
                + "'"
                + (expect.equals("Alert") || expect.equals("NoAlert")
                    ? " (Alert/NoAlert take a sequence: events instead of event)"
                    : ""),
            tree.line(pointer + "/expect"));
      }
      cases.add(
          new Case(
              t.path("name").asText("case " + (i + 1)),
              record(t, "spec.tests[" + i + "]", tree.line(pointer)),
              expect.equals("Match"),
              tree.line(pointer)));
    }
    return new RuleManifest(file, name, spec.path("severity").asInt(0), source, cases, tree);
  }

  private static Case sequenceCase(YamlTree tree, JsonNode t, int i) {
    String pointer = "/spec/tests/" + i;
    String where = "spec.tests[" + i + "]";
    if (t.has("event") || t.has("line")) {
      throw new RuleException(
          where
              + ": set event or line (one record, Match/NoMatch) or events (a sequence,"
              + " Alert/NoAlert), not both",
          tree.line(pointer));
    }
    String expect = t.path("expect").asText("");
    if (!expect.equals("Alert") && !expect.equals("NoAlert")) {
      throw new RuleException(
          where + ".expect must be Alert or NoAlert for a sequence of events, not '" + expect + "'",
          tree.line(pointer + "/expect"));
    }
    JsonNode events = t.path("events");
    if (!events.isArray() || events.isEmpty()) {
      throw new RuleException(
          where + ".events must be a non-empty list of {event, repeat, every}", tree.line(pointer));
    }
    List<Step> steps = new ArrayList<>();
    for (int j = 0; j < events.size(); j++) {
      JsonNode e = events.get(j);
      String at = where + ".events[" + j + "]";
      int line = tree.line(pointer + "/events/" + j);
      JsonNode record = record(e, at, line);
      JsonNode repeat = e.path("repeat");
      if (!repeat.isMissingNode() && (!repeat.isIntegralNumber() || repeat.asInt() < 1)) {
        throw new RuleException(at + ".repeat must be a whole number of at least 1", line);
      }
      Duration every;
      try {
        every =
            e.has("every")
                ? Durations.parse(e.get("every").asText(), at + ".every")
                : Duration.ZERO;
      } catch (RuleException ex) {
        throw new RuleException(ex.getMessage(), line);
      }
      steps.add(new Step(record, repeat.isMissingNode() ? 1 : repeat.asInt(), every));
    }
    List<String> groups = null;
    if (t.has("groups")) {
      if (!t.get("groups").isArray()) {
        throw new RuleException(
            where + ".groups must be a list of group keys", tree.line(pointer + "/groups"));
      }
      groups = new ArrayList<>();
      for (JsonNode g : t.get("groups")) {
        groups.add(g.asText());
      }
    }
    return new Case(
        t.path("name").asText("case " + (i + 1)),
        null,
        false,
        tree.line(pointer),
        new Sequence(steps, expect.equals("Alert"), groups));
  }

  /**
   * A case's raw record: {@code event} (a mapping, as JSON log types write a record) or {@code
   * line} (the text of a line-oriented log type), returned as a text node.
   */
  private static JsonNode record(JsonNode t, String where, int line) {
    if (t.has("event") && t.has("line")) {
      throw new RuleException(where + ": set event or line, not both", line);
    }
    if (t.has("line")) {
      if (!t.get("line").isTextual() || t.get("line").asText().isBlank()) {
        throw new RuleException(where + ".line must be a raw log line (text)", line);
      }
      return t.get("line");
    }
    if (!t.path("event").isObject()) {
      throw new RuleException(
          where + ".event must be a log record (a mapping), or set line to a raw text record",
          line);
    }
    return t.get("event");
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

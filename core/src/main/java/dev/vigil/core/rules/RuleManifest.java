package dev.vigil.core.rules;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@code DetectionRule} manifest read from YAML, with the line of every field, so the CLI can
 * compile it, run its tests and report errors at the right line.
 *
 * @param definition the rule as its spec defines it (every default applied)
 * @param tests the embedded test cases
 */
public record RuleManifest(
    String file, RuleDefinition definition, List<Case> tests, YamlTree tree) {
  /** The namespace of a manifest that names none (as {@code kubectl apply} places it). */
  public static final String DEFAULT_NAMESPACE = "default";

  public static final String KIND = "DetectionRule";

  /**
   * An embedded test: a raw log record and whether the query matches it ({@code sequence} null); or
   * a timed sequence of records and whether the whole rule alerts ({@code event} null). A record
   * case of a first-seen rule may list {@code history}: records seen before the run's window.
   */
  public record Case(
      String name,
      JsonNode event,
      boolean expectMatch,
      int line,
      Sequence sequence,
      List<Step> history) {
    public Case {
      history = history == null ? List.of() : List.copyOf(history);
    }

    public Case(String name, JsonNode event, boolean expectMatch, int line) {
      this(name, event, expectMatch, line, null, List.of());
    }

    public Case(String name, JsonNode event, boolean expectMatch, int line, Sequence sequence) {
      this(name, event, expectMatch, line, sequence, List.of());
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
    String name = name(tree);
    RuleDefinition definition =
        RuleDefinition.fromSpec(
            root.path("metadata").path("namespace").asText(DEFAULT_NAMESPACE),
            name,
            spec,
            tree::line);
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
      List<Step> history = List.of();
      if (t.has("history")) {
        if (!definitionHasFirstSeen(spec)) {
          throw new RuleException(
              "spec.tests[" + i + "].history: only a rule with spec.firstSeen reads history",
              tree.line(pointer + "/history"));
        }
        history =
            steps(tree, t.path("history"), "spec.tests[" + i + "].history", pointer + "/history");
      }
      cases.add(
          new Case(
              t.path("name").asText("case " + (i + 1)),
              record(t, "spec.tests[" + i + "]", tree.line(pointer)),
              expect.equals("Match"),
              tree.line(pointer),
              null,
              history));
    }
    return new RuleManifest(file, definition, cases, tree);
  }

  private static String name(YamlTree tree) {
    JsonNode root = tree.root();
    String name = root.path("metadata").path("name").asText(null);
    if (name == null) {
      throw new RuleException("metadata.name is required", tree.line("/metadata"));
    }
    if (!root.path("spec").isObject()) {
      throw new RuleException("spec is required", tree.line(""));
    }
    return name;
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
    if (t.has("history")) {
      throw new RuleException(
          where + ".history: a sequence states its history as earlier events",
          tree.line(pointer + "/history"));
    }
    String expect = t.path("expect").asText("");
    if (!expect.equals("Alert") && !expect.equals("NoAlert")) {
      throw new RuleException(
          where + ".expect must be Alert or NoAlert for a sequence of events, not '" + expect + "'",
          tree.line(pointer + "/expect"));
    }
    List<Step> steps = steps(tree, t.path("events"), where + ".events", pointer + "/events");
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

  private static boolean definitionHasFirstSeen(JsonNode spec) {
    return spec.hasNonNull("firstSeen");
  }

  /** A list of {event|line, repeat, every} at {@code pointer}. */
  private static List<Step> steps(YamlTree tree, JsonNode events, String where, String pointer) {
    if (!events.isArray() || events.isEmpty()) {
      throw new RuleException(
          where + " must be a non-empty list of {event, repeat, every}", tree.line(pointer));
    }
    List<Step> steps = new ArrayList<>();
    for (int j = 0; j < events.size(); j++) {
      JsonNode e = events.get(j);
      String at = where + "[" + j + "]";
      int line = tree.line(pointer + "/" + j);
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
    return steps;
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

  public String name() {
    return definition.name();
  }

  public int severity() {
    return definition.severity();
  }

  public RuleSource source() {
    return definition.source();
  }

  /** Compiles the rule; a compiler error is reported at the line of the field it names. */
  public CompiledRule compile(RuleCompiler compiler) {
    return compile(source(), tree, compiler);
  }

  /**
   * Compiles a DetectionRule document without reading the rest of its spec (severity, suppression,
   * tests): what {@code vigil validate} checks beside the schema.
   */
  public static CompiledRule compile(YamlTree tree, RuleCompiler compiler) {
    return compile(
        RuleDefinition.source(name(tree), tree.root().path("spec"), tree::line), tree, compiler);
  }

  private static CompiledRule compile(RuleSource source, YamlTree tree, RuleCompiler compiler) {
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
      throw new RuleException(e.getMessage(), lineFor(tree, e.getMessage()));
    }
  }

  private static int lineFor(YamlTree tree, String message) {
    for (String field :
        List.of(
            "condition.groupBy",
            "firstSeen.fields",
            "firstSeen.history",
            "firstSeen",
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

package dev.vigil.core.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.core.LogType;
import dev.vigil.core.parse.DocumentSink;
import dev.vigil.core.parse.ObjectParser;
import dev.vigil.core.parse.ObjectRef;
import dev.vigil.core.parse.ParsedDocument;
import dev.vigil.core.parse.Rejection;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Runs a rule's embedded tests without a cluster: each test event (a raw log record) goes through
 * the log type's parser, and the compiled query is evaluated over the normalized document. For
 * threshold rules such a case checks whether the event counts towards the threshold; a sequence
 * case (timed events, Alert/NoAlert, optionally the alerting groups) simulates the whole rule.
 */
public final class RuleTester {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The outcome of one case. */
  public record Result(String rule, String test, boolean passed, String detail) {}

  private final ObjectParser parser;
  private final RuleCompiler compiler;

  public RuleTester(ObjectParser parser, RuleCompiler compiler) {
    this.parser = parser;
    this.compiler = compiler;
  }

  public static RuleTester standard() {
    return new RuleTester(ObjectParser.standard(), RuleCompiler.defaults());
  }

  public List<Result> run(RuleManifest manifest) {
    CompiledRule rule = manifest.compile(compiler);
    List<Result> out = new ArrayList<>();
    if (rule.logType() == null) {
      for (RuleManifest.Case c : manifest.tests()) {
        out.add(
            new Result(
                manifest.name(), c.name(), false, "tests need a logType to parse the event with"));
      }
      return out;
    }
    FieldTypes types = FieldTypes.of(rule.logType());
    QueryEvaluator evaluator = new QueryEvaluator(types);
    ConditionSimulator simulator = new ConditionSimulator(types);
    for (RuleManifest.Case c : manifest.tests()) {
      if (c.isSequence()) {
        out.add(runSequence(manifest, rule, evaluator, simulator, c));
        continue;
      }
      try {
        List<JsonNode> docs = normalize(c.event(), rule.logType(), manifest.file());
        boolean matched = false;
        for (JsonNode doc : docs) {
          matched |= rule.matches(evaluator, doc);
        }
        boolean passed = matched == c.expectMatch();
        out.add(
            new Result(
                manifest.name(),
                c.name(),
                passed,
                passed
                    ? ""
                    : "expected "
                        + (c.expectMatch() ? "Match" : "NoMatch")
                        + ", got "
                        + (matched ? "Match" : "NoMatch")
                        + " (line "
                        + c.line()
                        + ")"));
      } catch (RuleException | UncheckedIOException e) {
        out.add(new Result(manifest.name(), c.name(), false, e.getMessage()));
      }
    }
    return out;
  }

  /**
   * A sequence case: every record is normalized, copied {@code repeat} times {@code every} apart
   * (shifting {@code @timestamp}), matched against the rule, and the rule's condition simulated
   * over the matches ({@link ConditionSimulator}).
   */
  private Result runSequence(
      RuleManifest manifest,
      CompiledRule rule,
      QueryEvaluator evaluator,
      ConditionSimulator simulator,
      RuleManifest.Case c) {
    RuleManifest.Sequence seq = c.sequence();
    try {
      if (seq.groups() != null
          && (rule.condition() == null || rule.condition().groupBy().isEmpty())) {
        throw new RuleException(
            "groups need a rule with condition.groupBy (line " + c.line() + ")");
      }
      List<ConditionSimulator.Match> matches = new ArrayList<>();
      int events = 0;
      for (RuleManifest.Step step : seq.steps()) {
        for (JsonNode doc : normalize(step.event(), rule.logType(), manifest.file())) {
          Instant first = Instant.parse(doc.path(CompiledRule.TIMESTAMP).asText());
          boolean hit = rule.matches(evaluator, doc);
          for (int i = 0; i < step.repeat(); i++) {
            events++;
            if (hit) {
              matches.add(
                  new ConditionSimulator.Match(first.plus(step.every().multipliedBy(i)), doc));
            }
          }
        }
      }
      ConditionSimulator.Verdict v = simulator.run(rule.condition(), matches);
      List<String> problems = new ArrayList<>();
      if (v.alerts() != seq.expectAlert()) {
        problems.add(
            "expected "
                + (seq.expectAlert() ? "Alert" : "NoAlert")
                + ", got "
                + (v.alerts() ? "Alert" : "NoAlert"));
      }
      if (seq.groups() != null && !new TreeSet<>(seq.groups()).equals(v.groups())) {
        problems.add("expected groups " + new TreeSet<>(seq.groups()) + ", got " + v.groups());
      }
      if (problems.isEmpty()) {
        return new Result(manifest.name(), c.name(), true, "");
      }
      return new Result(
          manifest.name(),
          c.name(),
          false,
          String.join("; ", problems)
              + " ("
              + matches.size()
              + " of "
              + events
              + " events match, at most "
              + v.most()
              + " in one "
              + (rule.condition() == null ? "run" : rule.condition().window() + " window")
              + (rule.condition() == null ? "" : ", threshold " + rule.condition().threshold())
              + "; line "
              + c.line()
              + ")");
    } catch (RuleException | UncheckedIOException | java.time.DateTimeException e) {
      return new Result(manifest.name(), c.name(), false, e.getMessage());
    }
  }

  /**
   * A VPC Flow Logs test event is a mapping of the fields the header line names (version,
   * account-id, ..., in any order) to their values; the log it stands for is that header line and
   * one record.
   */
  static byte[] flowLogRecord(JsonNode event) {
    StringBuilder header = new StringBuilder();
    StringBuilder record = new StringBuilder();
    var it = event.fields();
    while (it.hasNext()) {
      var e = it.next();
      String value = e.getValue().asText();
      if (!e.getValue().isValueNode() || value.isEmpty() || value.matches(".*\\s.*")) {
        throw new RuleException(
            "a VPC Flow Logs test event maps header fields to single values; "
                + e.getKey()
                + " is '"
                + e.getValue()
                + "'");
      }
      header.append(header.isEmpty() ? "" : " ").append(e.getKey());
      record.append(record.isEmpty() ? "" : " ").append(value);
    }
    return (header + "\n" + record + "\n").getBytes(StandardCharsets.UTF_8);
  }

  /** The normalized documents Vigil's parser makes of one raw record. */
  public List<JsonNode> normalize(JsonNode event, LogType type, String origin) {
    List<JsonNode> docs = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    try {
      byte[] raw =
          event.isTextual()
              ? (event.asText().stripTrailing() + "\n").getBytes(StandardCharsets.UTF_8)
              : type == LogType.VPCFLOW ? flowLogRecord(event) : JSON.writeValueAsBytes(event);
      parser.parse(
          new ByteArrayInputStream(raw),
          ObjectRef.file(origin == null ? "test-event.json" : origin),
          type,
          new DocumentSink() {
            @Override
            public void document(ParsedDocument document) {
              try {
                docs.add(JSON.readTree(document.source()));
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            }

            @Override
            public void rejected(Rejection rejection) {
              problems.add(String.valueOf(rejection));
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (docs.isEmpty()) {
      throw new RuleException(
          "the test event did not parse as "
              + type.id()
              + (problems.isEmpty() ? "" : ": " + problems));
    }
    return docs;
  }
}

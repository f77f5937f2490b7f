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
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a rule's embedded tests without a cluster: each test event (a raw log record) goes through
 * the log type's parser, and the compiled query is evaluated over the normalized document. For
 * threshold rules a case checks whether the event counts towards the threshold.
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
    QueryEvaluator evaluator = new QueryEvaluator(FieldTypes.of(rule.logType()));
    for (RuleManifest.Case c : manifest.tests()) {
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

  /** The normalized documents Vigil's parser makes of one raw record. */
  public List<JsonNode> normalize(JsonNode event, LogType type, String origin) {
    List<JsonNode> docs = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    try {
      byte[] raw = JSON.writeValueAsBytes(event);
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

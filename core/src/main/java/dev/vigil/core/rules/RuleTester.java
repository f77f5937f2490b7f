package dev.vigil.core.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.core.LogType;
import dev.vigil.core.ingest.AccountDirectory;
import dev.vigil.core.parse.DocumentSink;
import dev.vigil.core.parse.IndexNaming;
import dev.vigil.core.parse.LogParsers;
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
import java.util.Map;
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

  /**
   * The organization test records are enriched from, as an ingester with the operator's account
   * directory enriches them: one account, 777788889999 (an AWS documentation example id no other
   * shipped test uses, so their documents stay as they were); any other account is outside it.
   * Documented in docs/detections.md.
   */
  public static final AccountDirectory TEST_ORGANIZATION =
      new AccountDirectory(
          Map.of(
              "777788889999",
              new AccountDirectory.Account("workloads", "Root/Workloads", Map.of())),
          null);

  /** Every parser, the default index naming, test records enriched from the test organization. */
  public static RuleTester standard() {
    return new RuleTester(
        new ObjectParser(IndexNaming.defaults(), LogParsers.all(), null, () -> TEST_ORGANIZATION),
        RuleCompiler.defaults());
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
      if (rule.firstSeen() != null) {
        out.add(runFirstSeen(manifest, rule, evaluator, simulator, c));
        continue;
      }
      try {
        List<JsonNode> docs = normalize(c.event(), rule.logType(), manifest.file());
        boolean matched = false;
        for (JsonNode doc : docs) {
          matched |= rule.matches(evaluator, doc);
        }
        out.add(verdict(manifest, c, matched, ""));
      } catch (RuleException | UncheckedIOException e) {
        out.add(new Result(manifest.name(), c.name(), false, e.getMessage()));
      }
    }
    return out;
  }

  /** A record case's result: passed when {@code matched} is what the case expects. */
  private static Result verdict(
      RuleManifest manifest, RuleManifest.Case c, boolean matched, String note) {
    boolean passed = matched == c.expectMatch();
    return new Result(
        manifest.name(),
        c.name(),
        passed,
        passed
            ? ""
            : "expected "
                + (c.expectMatch() ? "Match" : "NoMatch")
                + ", got "
                + (matched ? "Match" : "NoMatch")
                + note
                + " (line "
                + c.line()
                + ")");
  }

  /**
   * A record case of a first-seen rule: a run at the record's time; Match when the record matches
   * and its key (the firstSeen fields' values) is new — no {@code history} record that matches has
   * it. Each history record must lie in the history window before the run's window, so the case
   * reads as it runs.
   */
  private Result runFirstSeen(
      RuleManifest manifest,
      CompiledRule rule,
      QueryEvaluator evaluator,
      ConditionSimulator simulator,
      RuleManifest.Case c) {
    try {
      List<Map.Entry<Instant, List<String>>> matches = new ArrayList<>();
      Instant now = null;
      boolean matched = false;
      for (JsonNode doc : normalize(c.event(), rule.logType(), manifest.file())) {
        Instant at = Instant.parse(doc.path(CompiledRule.TIMESTAMP).asText());
        now = now == null || at.isAfter(now) ? at : now;
        if (rule.matches(evaluator, doc)) {
          matched = true;
          matches.add(Map.entry(at, simulator.groupKeys(doc, rule.firstSeen().fields())));
        }
      }
      Instant windowStart = now.minus(rule.window());
      Instant historyStart = windowStart.minus(rule.firstSeen().history());
      for (RuleManifest.Step step : c.history()) {
        for (JsonNode doc : normalize(step.event(), rule.logType(), manifest.file())) {
          Instant first = Instant.parse(doc.path(CompiledRule.TIMESTAMP).asText());
          for (int i = 0; i < step.repeat(); i++) {
            Instant at = first.plus(step.every().multipliedBy(i));
            if (!at.isBefore(windowStart) || at.isBefore(historyStart)) {
              throw new RuleException(
                  "history record at "
                      + at
                      + " is not in the history window ["
                      + historyStart
                      + ", "
                      + windowStart
                      + ") before the run at the event's time (line "
                      + c.line()
                      + ")");
            }
            if (rule.matches(evaluator, doc)) {
              matches.add(Map.entry(at, simulator.groupKeys(doc, rule.firstSeen().fields())));
            }
          }
        }
      }
      boolean isNew = matched && !rule.firstSeen().newKeys(matches, now, rule.window()).isEmpty();
      return verdict(
          manifest,
          c,
          isNew,
          matched && !isNew ? " (the query matches; the key is in the history)" : "");
    } catch (RuleException | UncheckedIOException | java.time.DateTimeException e) {
      return new Result(manifest.name(), c.name(), false, e.getMessage());
    }
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
          && rule.firstSeen() == null
          && (rule.condition() == null || rule.condition().groupBy().isEmpty())) {
        throw new RuleException(
            "groups need a rule with condition.groupBy (line " + c.line() + ")");
      }
      List<ConditionSimulator.Match> matches = new ArrayList<>();
      int events = 0;
      Instant observedFrom = null;
      for (RuleManifest.Step step : seq.steps()) {
        for (JsonNode doc : normalize(step.event(), rule.logType(), manifest.file())) {
          Instant first = Instant.parse(doc.path(CompiledRule.TIMESTAMP).asText());
          observedFrom =
              observedFrom == null || first.isBefore(observedFrom) ? first : observedFrom;
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
      ConditionSimulator.Verdict v =
          rule.firstSeen() == null
              ? simulator.run(rule.condition(), matches)
              : firstSeenVerdict(rule, simulator, matches, observedFrom);
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
              + (rule.firstSeen() != null
                  ? "run; first-seen keys " + v.groups()
                  : rule.condition() == null ? "run" : rule.condition().window() + " window")
              + (rule.condition() == null ? "" : ", threshold " + rule.condition().threshold())
              + "; line "
              + c.line()
              + ")");
    } catch (RuleException | UncheckedIOException | java.time.DateTimeException e) {
      return new Result(manifest.name(), c.name(), false, e.getMessage());
    }
  }

  /**
   * A first-seen rule over a sequence: the keys new at a run at some match's time whose history the
   * sequence covers (its first record opens the observation).
   */
  private static ConditionSimulator.Verdict firstSeenVerdict(
      CompiledRule rule,
      ConditionSimulator simulator,
      List<ConditionSimulator.Match> matches,
      Instant observedFrom) {
    List<Map.Entry<Instant, List<String>>> keyed = new ArrayList<>();
    for (ConditionSimulator.Match m : matches) {
      keyed.add(Map.entry(m.at(), simulator.groupKeys(m.document(), rule.firstSeen().fields())));
    }
    java.util.TreeSet<String> keys =
        rule.firstSeen().newAtSomeRun(keyed, rule.window(), observedFrom);
    return new ConditionSimulator.Verdict(!keys.isEmpty(), keys, keys.size());
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

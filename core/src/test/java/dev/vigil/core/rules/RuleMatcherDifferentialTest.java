package dev.vigil.core.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.core.LogType;
import dev.vigil.core.TestData;
import dev.vigil.core.parse.CollectingSink;
import dev.vigil.core.parse.ObjectRef;
import dev.vigil.core.rules.FieldReader.Values;
import dev.vigil.testing.SyntheticCloudTrail;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link RuleMatcher} against the reference, {@link QueryEvaluator}: every rule shipped in {@code
 * samples/} and every Sigma rule of the shared test data, over the rules' own test events, the
 * shared real logs, synthetic CloudTrail, and events mutated towards the values the rules name (so
 * that matches and near misses are frequent). Each rule gets a verdict per event — match, no match,
 * or the error the evaluator throws — and every disagreement fails the test.
 */
class RuleMatcherDifferentialTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path SAMPLES = Path.of("../samples");

  private record Rule(String name, CompiledRule compiled, List<JsonNode> tests) {}

  /**
   * Each log type with the matcher as built, and CloudTrail also with a substring index for every
   * literal (the default leaves fields that few rules need a literal in to run those rules).
   */
  static Stream<Arguments> matchers() {
    return Stream.of(
        Arguments.of(LogType.CLOUDTRAIL, RuleMatcher.MIN_LITERAL_RULES),
        Arguments.of(LogType.CLOUDTRAIL, 1),
        Arguments.of(LogType.VPCFLOW, RuleMatcher.MIN_LITERAL_RULES),
        Arguments.of(LogType.WAF, RuleMatcher.MIN_LITERAL_RULES));
  }

  @ParameterizedTest
  @MethodSource("matchers")
  void everyRuleGetsTheReferenceVerdictOnEveryEvent(LogType type, int minLiteralRules)
      throws Exception {
    List<Rule> rules = rules(type);
    List<JsonNode> events = events(type, rules);
    if (type == LogType.CLOUDTRAIL) {
      // A literal the substring index folds (added after the events: it does not steer them).
      rules = new ArrayList<>(rules);
      rules.add(
          new Rule(
              "spec/regex-ignorecase-literal",
              RuleCompiler.defaults()
                  .compile(
                      RuleSource.sigma(
                          "ci",
                          "title: ci\nlogsource:\n  product: aws\n  service: cloudtrail\n"
                              + "detection:\n  s:\n    userAgent|re|i: '.*KALI.*'\n"
                              + "  condition: s\n")),
              List.of()));
    }
    FieldTypes types = FieldTypes.of(type);
    QueryEvaluator reference = new QueryEvaluator(types);
    RuleMatcher matcher =
        new RuleMatcher(rules.stream().map(Rule::compiled).toList(), types, minLiteralRules);
    // Fields read as alert keys (the stream's suppression check): every field rules read.
    Map<String, Integer> keys = new java.util.TreeMap<>();
    for (String path : matcher.fieldPaths()) {
      keys.put(path, matcher.keyField(path));
    }

    List<String> disagreements = new ArrayList<>();
    BitSet everMatched = new BitSet();
    long matches = 0;
    long candidates = 0;
    for (JsonNode event : events) {
      byte[] source = JSON.writeValueAsBytes(event);
      Values values = matcher.read(source, source.length);
      BitSet met = matcher.candidates(values);
      // The same values read from a tree (StreamDetector's JsonNode entry point).
      Values fromTree = matcher.read(JSON.treeAsTokens(event));
      BitSet metFromTree = matcher.candidates(fromTree);
      candidates += met.cardinality();
      for (int i = 0; i < rules.size(); i++) {
        CompiledRule rule = rules.get(i).compiled();
        String expected = verdict(() -> rule.matches(reference, event));
        int index = i;
        String actual = met.get(i) ? verdict(() -> matcher.matches(index, values)) : "false";
        String viaTree =
            metFromTree.get(i) ? verdict(() -> matcher.matches(index, fromTree)) : "false";
        if (!expected.equals(actual) || !expected.equals(viaTree)) {
          disagreements.add(
              rules.get(i).name()
                  + ": evaluator "
                  + expected
                  + ", matcher "
                  + actual
                  + " (from a tree: "
                  + viaTree
                  + ") on "
                  + event);
        }
        if (expected.equals("true")) {
          matches++;
          everMatched.set(i);
        }
      }
    }
    // The parser's documents, read through the members it noted (the ingester's path): verdicts are
    // the reference's on the document, and alert keys DocumentFields' reading of it.
    long noted = 0;
    long documents = 0;
    if (type == LogType.CLOUDTRAIL) {
      List<JsonNode> tests = new ArrayList<>();
      rules.forEach(r -> tests.addAll(r.tests()));
      Set<JsonNode> written = new HashSet<>(asWritten(type, tests));
      boolean bare = false;
      for (JsonNode event : events) {
        bare = !bare; // every other event alone, as CloudWatch Logs and EventBridge deliver them
        for (var document : parsed(event, matcher, bare)) {
          documents++;
          boolean viaMembers = document.members() != null && document.members().complete();
          noted += viaMembers ? 1 : 0;
          if (written.contains(event) && !viaMembers) {
            disagreements.add("as written, yet read by the fallback: " + event);
          }
          JsonNode tree = JSON.readTree(document.source());
          Values values =
              matcher.read(document.source(), document.sourceLength(), document.members());
          BitSet met = matcher.candidates(values);
          for (int i = 0; i < rules.size(); i++) {
            CompiledRule rule = rules.get(i).compiled();
            String expected = verdict(() -> rule.matches(reference, tree));
            int index = i;
            String actual = met.get(i) ? verdict(() -> matcher.matches(index, values)) : "false";
            if (!expected.equals(actual)) {
              disagreements.add(
                  rules.get(i).name()
                      + ": evaluator "
                      + expected
                      + ", matcher on the parser's members "
                      + actual
                      + " on "
                      + tree);
            }
          }
          keys.forEach(
              (path, id) -> {
                List<String> read = values.of(id);
                String expected = dev.vigil.core.alerts.DocumentFields.text(tree, path);
                // Several values: the stream reads the key from the tree instead.
                if (read.size() < 2
                    && !read.equals(expected == null ? List.of() : List.of(expected))) {
                  disagreements.add(
                      "alert key " + path + ": " + expected + " but read " + read + " on " + tree);
                }
              });
        }
      }
      // Every document as its writer wrote it takes the members path (checked above); only mutants
      // with a dotted top-level key or an array where AWS writes text take the full-scan fallback.
      assertThat(noted).isPositive();
    }
    System.out.printf(
        "%s: %d parsed documents (%d read through noted members)%n", type.id(), documents, noted);
    System.out.printf(
        "%s: %d rules (%d always run, indexed by %s, by literals in %s), %d events, %d matches,"
            + " %.1f candidates/event%n",
        type.id(),
        rules.size(),
        matcher.unindexed(),
        matcher.indexedFields(),
        matcher.substringFields(),
        events.size(),
        matches,
        (double) candidates / events.size());

    assertThat(disagreements).as("rules deciding differently from QueryEvaluator").isEmpty();
    // The corpus has teeth: most rules match some event, so a matcher that skips rules is caught.
    assertThat(everMatched.cardinality()).isGreaterThan(rules.size() * 6 / 10);
    for (int i = 0; i < rules.size(); i++) {
      if (rules.get(i).name().startsWith("spec/")) {
        assertThat(everMatched.get(i)).as(rules.get(i).name() + " matches some event").isTrue();
      }
    }
  }

  /**
   * The documents the CloudTrail parser makes of the event (none when it rejects it), for a sink
   * that wants the members the matcher reads.
   */
  private static List<dev.vigil.core.parse.ParsedDocument> parsed(
      JsonNode event, RuleMatcher matcher, boolean bare) throws IOException {
    List<dev.vigil.core.parse.ParsedDocument> out = new ArrayList<>();
    // Back to a raw event: without the names Vigil writes, which the parser writes again.
    ObjectNode raw = event.deepCopy();
    raw.remove(dev.vigil.core.parse.DocumentBuilder.RESERVED);
    if (!raw.has("eventTime") && event.has("@timestamp")) {
      raw.set("eventTime", event.get("@timestamp"));
    }
    byte[] object =
        JSON.writeValueAsBytes(
            bare ? raw : JSON.createObjectNode().set("Records", JSON.createArrayNode().add(raw)));
    dev.vigil.core.parse.ObjectParser.standard()
        .parse(
            new java.io.ByteArrayInputStream(object),
            new ObjectRef("b", "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/27/x.json"),
            LogType.CLOUDTRAIL,
            new dev.vigil.core.parse.DocumentSink() {
              @Override
              public void document(dev.vigil.core.parse.ParsedDocument document) {
                out.add(document);
              }

              @Override
              public void rejected(dev.vigil.core.parse.Rejection rejection) {}

              @Override
              public String[] memberNames(LogType type) {
                return matcher.memberNames();
              }
            });
    return out;
  }

  private static String verdict(java.util.function.BooleanSupplier match) {
    try {
      return String.valueOf(match.getAsBoolean());
    } catch (RuleException e) {
      return "throws " + e.getMessage();
    }
  }

  /** Shipped rules (with their test events) and the shared Sigma rules of the type. */
  static List<Rule> rules(LogType type) throws IOException {
    List<Rule> out = new ArrayList<>();
    RuleCompiler compiler = RuleCompiler.defaults();
    for (Path file : yaml(SAMPLES, ".yaml")) {
      for (RuleManifest manifest : RuleManifest.read(Files.readString(file), file.toString())) {
        CompiledRule compiled;
        try {
          compiled = manifest.compile(compiler);
        } catch (RuleException e) {
          continue; // not every manifest compiles alone (e.g. ones that need an index pattern)
        }
        if (compiled.logType() != type) {
          continue;
        }
        List<JsonNode> tests = new ArrayList<>();
        for (RuleManifest.Case c : manifest.tests()) {
          List<JsonNode> raw = new ArrayList<>();
          if (c.isSequence()) {
            c.sequence().steps().forEach(step -> raw.add(step.event()));
          } else {
            raw.add(c.event());
          }
          for (JsonNode event : raw) {
            try {
              tests.addAll(RuleTester.standard().normalize(event, type, file.toString()));
            } catch (RuleException e) {
              // a test event the parser rejects is the rule test's business, not the matcher's
            }
          }
        }
        out.add(new Rule(manifest.name(), compiled, tests));
      }
    }
    for (String dir :
        List.of(
            "sigmahq-sigma/rules",
            "sigmahq-sigma/unsupported",
            "opensearch-security-analytics/rules")) {
      for (Path file : yaml(TestData.path(dir), ".yml")) {
        try {
          CompiledRule compiled =
              compiler.compile(
                  RuleSource.sigma(file.getFileName().toString(), Files.readString(file)));
          if (compiled.logType() == type) {
            out.add(new Rule(dir + "/" + file.getFileName(), compiled, List.of()));
          }
        } catch (RuleException e) {
          // conversion failures are SigmaCorpusTest's subject
        }
      }
    }
    if (type == LogType.CLOUDTRAIL) {
      for (Map.Entry<String, String> e : SPECIFICATION_RULES.entrySet()) {
        String yaml =
            "title: "
                + e.getKey()
                + "\nlogsource:\n  product: aws\n  service: cloudtrail\n"
                + "vigil-placeholders:\n  reads: [Describe*, List*]\n"
                + "detection:\n"
                + e.getValue();
        out.add(
            new Rule(
                "spec/" + e.getKey(),
                compiler.compile(RuleSource.sigma(e.getKey(), yaml)),
                List.of()));
      }
    }
    assertThat(out).as("rules for " + type.id()).isNotEmpty();
    return out;
  }

  /** Sigma constructs the shared rules rarely use: keywords, neq, expand, utf16, regex flags. */
  private static final Map<String, String> SPECIFICATION_RULES =
      new java.util.TreeMap<>( // in a fixed order: the mutants drawn depend on it
          Map.of(
              "keywords",
              "  keywords:\n    - AccessDenied\n    - 'aws-cli*'\n    - not authorized\n"
                  + "  condition: keywords\n",
              "keywords-all-and-field",
              "  k:\n    '|all': [s3, Get]\n  f:\n    readOnly: true\n  condition: k and f\n",
              "neq",
              "  s:\n    eventSource: s3.amazonaws.com\n    eventName|neq: [ListBuckets, GetObject]\n"
                  + "  condition: s\n",
              "expand",
              "  s:\n    eventName|expand: '%reads%'\n  condition: s\n",
              "utf16",
              "  s:\n    userAgent|utf16|base64offset|contains: evil\n  condition: s\n",
              "regex-flags",
              "  s:\n    - userAgent|re|m: '^aws-cli'\n    - userAgent|re|i|s: 'BOTO.*core$'\n"
                  + "  condition: s\n"));

  private static List<Path> yaml(Path dir, String suffix) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(f -> f.toString().endsWith(suffix)).sorted().toList();
    }
  }

  static List<JsonNode> events(LogType type, List<Rule> rules) throws IOException {
    List<JsonNode> tests = new ArrayList<>();
    rules.forEach(r -> tests.addAll(r.tests()));
    List<JsonNode> out = new ArrayList<>(asWritten(type, tests));
    out.addAll(mutants(tests.isEmpty() ? out : tests, named(rules, type), new Random(16)));
    if (type == LogType.CLOUDTRAIL) {
      // Texts a case-insensitive test lower-cases into ASCII it did not hold (the Kelvin sign
      // becomes 'k', 'İ' becomes "i̇"), and literals beyond ASCII: what the substring index must
      // not miss.
      for (String agent :
          List.of(
              "\u212Aali/2024",
              "KAL\u0130",
              "aws-cli/2 \u212Aali",
              "S3 Browser \u00e9",
              "Pacu\u00e9")) {
        ObjectNode copy = out.get(out.size() - 1).deepCopy();
        copy.put("userAgent", agent);
        out.add(copy);
      }
    }
    return out;
  }

  /**
   * Events as their writers wrote them: the rules' tests, the shared real logs and synthetic
   * CloudTrail (no mutants, whose dotted keys and arrays where AWS writes text are meant to take
   * the fallback).
   */
  private static List<JsonNode> asWritten(LogType type, List<JsonNode> tests) throws IOException {
    List<JsonNode> out = new ArrayList<>(tests);
    for (String log : sharedLogs(type)) {
      out.addAll(
          CollectingSink.parse(
                  TestData.bytes(log), ObjectRef.file(Path.of(log).getFileName().toString()), type)
              .sources());
    }
    if (type == LogType.CLOUDTRAIL) {
      byte[] synthetic =
          SyntheticCloudTrail.object(1000, 7, Instant.parse("2026-11-27T10:00:00Z")).readAllBytes();
      out.addAll(CollectingSink.parse(synthetic, ObjectRef.file("synthetic.json"), type).sources());
    }
    return out;
  }

  private static List<String> sharedLogs(LogType type) {
    return switch (type) {
      case CLOUDTRAIL ->
          List.of(
              "centralized-logging-with-opensearch/cloudtrail/cloudtrail.log",
              "otrf-security-datasets/cloudtrail/ec2_proxy_s3_exfiltration_2020-09-14011940.json");
      case VPCFLOW ->
          List.of(
              "centralized-logging-with-opensearch/vpcflow/vpcflow.log",
              "awsdocs-vpc-user-guide/vpcflow/v2-default.log",
              "awsdocs-vpc-user-guide/vpcflow/v3-tcp-flag-sequence.log",
              "awsdocs-vpc-user-guide/vpcflow/v5-traffic-path-flow-direction.log");
      case WAF ->
          List.of(
              "opensearch-catalog/waf/raw.log", "centralized-logging-with-opensearch/waf/waf.log");
      default -> List.of();
    };
  }

  /** (field, value) pairs the rules' queries name: what mutants are steered towards. */
  private static List<String[]> named(List<Rule> rules, LogType type) {
    Set<List<String>> pairs = new LinkedHashSet<>();
    FieldTypes types = FieldTypes.of(type);
    for (Rule rule : rules) {
      collect(rule.compiled().query(), types, pairs);
      if (rule.compiled().postFilter() != null) {
        collect(rule.compiled().postFilter(), types, pairs);
      }
    }
    return pairs.stream().map(p -> p.toArray(String[]::new)).toList();
  }

  private static void collect(JsonNode query, FieldTypes types, Set<List<String>> pairs) {
    if (query.isArray()) {
      query.forEach(q -> collect(q, types, pairs));
      return;
    }
    if (!query.isObject()) {
      return;
    }
    Iterator<Map.Entry<String, JsonNode>> it = query.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode body = e.getValue();
      switch (e.getKey()) {
        case "query_string" -> {
          try {
            collect(LuceneQuery.parse(body.path("query").asText()).toDsl(types), types, pairs);
          } catch (RuleException ignored) {
            // the rule fails in both engines; nothing to steer towards
          }
        }
        case "term", "match", "match_phrase", "prefix", "wildcard", "regexp" ->
            body.fields()
                .forEachRemaining(
                    f -> {
                      JsonNode spec = f.getValue();
                      String v =
                          spec.isObject()
                              ? spec.path(spec.has("query") ? "query" : "value").asText()
                              : spec.asText();
                      pairs.add(List.of(f.getKey(), v.replace("*", "x").replace("?", "y")));
                    });
        case "terms" ->
            body.fields()
                .forEachRemaining(
                    f -> f.getValue().forEach(v -> pairs.add(List.of(f.getKey(), v.asText()))));
        default -> collect(body, types, pairs);
      }
    }
  }

  /**
   * Each base event several times, with one to three fields set to values some rule names, and
   * crossovers of two base events: frequent matches, and near misses one field away from one.
   */
  private static List<JsonNode> mutants(List<JsonNode> bases, List<String[]> named, Random random) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode base : bases) {
      for (int n = 0; n < 8; n++) {
        ObjectNode copy = base.deepCopy();
        for (int k = 1 + random.nextInt(3); k > 0; k--) {
          String[] pair = named.get(random.nextInt(named.size()));
          set(copy, pair[0], pair[1], random);
        }
        out.add(copy);
      }
    }
    for (int n = 0; n < 500; n++) {
      ObjectNode copy = bases.get(random.nextInt(bases.size())).deepCopy();
      JsonNode other = bases.get(random.nextInt(bases.size()));
      other
          .fields()
          .forEachRemaining(
              f -> {
                if (random.nextBoolean()) {
                  copy.set(f.getKey(), f.getValue().deepCopy());
                }
              });
      out.add(copy);
    }
    return out;
  }

  /** Sets a dotted path, sometimes as one dotted key, sometimes inside an array, or as a number. */
  private static void set(ObjectNode doc, String path, String value, Random random) {
    String[] parts = path.split("\\.");
    ObjectNode node = doc;
    for (int i = 0; i < parts.length - 1; i++) {
      JsonNode child = node.get(parts[i]);
      if (!(child instanceof ObjectNode)) {
        child = node.putObject(parts[i]);
      }
      node = (ObjectNode) child;
    }
    String leaf = parts[parts.length - 1];
    switch (random.nextInt(6)) {
      case 0 -> node.putArray(leaf).add("other").add(value);
      case 1 -> {
        try {
          node.put(leaf, new java.math.BigDecimal(value));
        } catch (NumberFormatException e) {
          node.put(leaf, value);
        }
      }
      case 2 -> doc.put(path, value);
      default -> node.put(leaf, value);
    }
  }
}

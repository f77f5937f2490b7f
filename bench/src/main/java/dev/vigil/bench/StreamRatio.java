package dev.vigil.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.vigil.bench.StreamDetectionBenchmark.Input;
import dev.vigil.core.LogType;
import dev.vigil.core.alerts.StreamDetector;
import dev.vigil.core.alerts.StreamDetector.StreamRule;
import dev.vigil.core.parse.DocumentSink;
import dev.vigil.core.parse.Members;
import dev.vigil.core.parse.ObjectParser;
import dev.vigil.core.parse.ParsedDocument;
import dev.vigil.core.parse.Rejection;
import dev.vigil.core.rules.CompiledRule;
import dev.vigil.core.rules.FieldTypes;
import dev.vigil.core.rules.LuceneQuery;
import dev.vigil.core.rules.QueryEvaluator;
import dev.vigil.core.rules.RuleMatcher;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Streaming detection's ratios, measured in one run on one thread by CPU time: per log type, parse
 * + detect (every shipped every-match rule) against parse alone, alternating the two op for op so
 * both see the same load (target: at most 2×); the reference evaluator's cost on the same events
 * (what the stream paid before the matcher); how detection cost grows from 10 to 1,000 to 10,000
 * CloudTrail rules (variants of the shipped rules on other API calls); and the heap the compiled
 * rules take. Arguments: measured pairs per log type (default 40).
 */
public final class StreamRatio {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private StreamRatio() {}

  public static void main(String[] args) throws Exception {
    int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 40;
    System.out.printf("load average before: %s", Files.readString(Path.of("/proc/loadavg")));
    StreamDetectionBenchmark bench = new StreamDetectionBenchmark();
    bench.generate();
    StreamDetector.Selection shipped = StreamDetectionBenchmark.shippedRules();
    for (Input input : List.of(bench.cloudTrail, bench.vpcFlow, bench.waf)) {
      ratio(bench, input, shipped, pairs);
    }
    reference(shipped, bench.cloudTrail);
    scaling(shipped, bench.cloudTrail);
    System.out.printf("load average after: %s", Files.readString(Path.of("/proc/loadavg")));
  }

  private static void ratio(
      StreamDetectionBenchmark bench, Input input, StreamDetector.Selection shipped, int pairs)
      throws IOException {
    long rules =
        shipped.rules().stream().filter(r -> r.compiled().logType() == input.type()).count();
    long sink = 0;
    for (int i = 0; i < pairs / 4 + 2; i++) {
      sink += bench.parse(input, false) + bench.parse(input, true);
    }
    // Three modes, rotated op for op so that each sees the same load.
    StreamDetectionBenchmark.Mode[] modes = StreamDetectionBenchmark.Mode.values();
    long[][] cpu = new long[modes.length][pairs];
    for (int i = 0; i < pairs; i++) {
      for (int k = 0; k < modes.length; k++) {
        int m = (i + k) % modes.length;
        long start = THREADS.getCurrentThreadCpuTime();
        sink += bench.parse(input, modes[m]);
        cpu[m][i] = THREADS.getCurrentThreadCpuTime() - start;
      }
    }
    StreamDetectionBenchmark.DetectingSink count =
        new StreamDetectionBenchmark.DetectingSink(input.detector());
    ObjectParser.standard()
        .parse(new ByteArrayInputStream(input.raw()), input.key(), input.type(), count);
    StreamDetectionBenchmark.DetectingSink matched =
        new StreamDetectionBenchmark.DetectingSink(input.detector());
    matched.alertsToo = false;
    ObjectParser.standard()
        .parse(new ByteArrayInputStream(input.raw()), input.key(), input.type(), matched);
    double p = median(cpu[0]);
    double m = median(cpu[1]);
    double d = median(cpu[2]);
    int n = (int) count.documents;
    System.out.printf(
        Locale.ROOT,
        "%-10s %3d rules, %6d events, %6d matches and %5d alerts per op: parse %.2f µs/event;"
            + " parse+match %.2f µs/event, RATIO %.2f;"
            + " parse+match+alerts %.2f µs/event, RATIO %.2f (target <= 2.00) [%d]%n",
        input.type().id(),
        rules,
        n,
        matched.matches,
        count.alerts,
        p / 1e3 / n,
        m / 1e3 / n,
        m / p,
        d / 1e3 / n,
        d / p,
        sink);
  }

  /** A document's source and where its top-level members start, as the hook sees them. */
  private record Doc(byte[] source, Members members) {}

  /** The normalized documents, as the hook of {@code detector} sees them. */
  private static List<Doc> documents(Input input, StreamDetector detector) throws IOException {
    List<Doc> out = new ArrayList<>();
    ObjectParser.standard()
        .parse(
            new ByteArrayInputStream(input.raw()),
            input.key(),
            input.type(),
            new DocumentSink() {
              @Override
              public void document(ParsedDocument document) {
                out.add(new Doc(document.source(), document.members()));
              }

              @Override
              public String[] memberNames(LogType type) {
                return detector.memberNames(type);
              }

              @Override
              public void rejected(Rejection rejection) {
                throw new IllegalStateException(rejection.toString());
              }
            });
    return out;
  }

  /** What the stream paid before: a tree per document and QueryEvaluator for every rule. */
  private static void reference(StreamDetector.Selection shipped, Input input) throws IOException {
    List<CompiledRule> rules =
        shipped.rules().stream()
            .map(StreamRule::compiled)
            .filter(r -> r.logType() == LogType.CLOUDTRAIL)
            .toList();
    QueryEvaluator evaluator = new QueryEvaluator(FieldTypes.of(LogType.CLOUDTRAIL));
    StreamDetector detector =
        new StreamDetector(
            shipped.rules().stream()
                .filter(r -> r.compiled().logType() == LogType.CLOUDTRAIL)
                .toList());
    List<Doc> documents = documents(input, detector).subList(0, 2000);
    long[] old = new long[5];
    long[] now = new long[5];
    long hits = 0;
    for (int round = 0; round < 5; round++) {
      long cpu = THREADS.getCurrentThreadCpuTime();
      for (Doc doc : documents) {
        JsonNode tree = JSON.readTree(doc.source());
        for (CompiledRule rule : rules) {
          hits += rule.matches(evaluator, tree) ? 1 : 0;
        }
      }
      old[round] = THREADS.getCurrentThreadCpuTime() - cpu;
      cpu = THREADS.getCurrentThreadCpuTime();
      for (Doc doc : documents) {
        hits += matching(detector, doc);
      }
      now[round] = THREADS.getCurrentThreadCpuTime() - cpu;
    }
    System.out.printf(
        Locale.ROOT,
        "cloudtrail matching alone, %d rules: tree + QueryEvaluator per rule (before) %.1f µs/event,"
            + " RuleMatcher on the members the parser noted (now) %.2f µs/event, RATIO before/now %.1f [%d]%n",
        rules.size(),
        median(old) / 1e3 / documents.size(),
        median(now) / 1e3 / documents.size(),
        median(old) / median(now),
        hits);
  }

  /** Detection alone per event, and the compiled rules' heap, for 10, 1,000 and 10,000 rules. */
  private static int matching(StreamDetector detector, Doc doc) {
    return detector
        .matching(LogType.CLOUDTRAIL, doc.source(), doc.source().length, doc.members())
        .size();
  }

  private static void scaling(StreamDetector.Selection shipped, Input input) throws IOException {
    List<StreamRule> base =
        shipped.rules().stream().filter(r -> r.compiled().logType() == LogType.CLOUDTRAIL).toList();
    FieldTypes types = FieldTypes.of(LogType.CLOUDTRAIL);
    for (int size : new int[] {10, base.size(), 1_000, 10_000}) {
      List<StreamRule> rules = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        StreamRule original = base.get(i % base.size());
        int variant = i / base.size();
        rules.add(
            variant == 0
                ? original
                : new StreamRule(variant(original.compiled(), variant, types), original.alerts()));
      }
      RuleMatcher matcher =
          new RuleMatcher(rules.stream().map(StreamRule::compiled).toList(), types);
      long before = usedHeap();
      StreamDetector detector = new StreamDetector(rules);
      long heap = usedHeap() - before;
      List<Doc> documents = documents(input, detector);
      long[] cpu = new long[7];
      long matches = 0;
      for (int round = 0; round < cpu.length; round++) {
        long start = THREADS.getCurrentThreadCpuTime();
        for (Doc doc : documents) {
          matches += matching(detector, doc);
        }
        cpu[round] = THREADS.getCurrentThreadCpuTime() - start;
      }
      Arrays.sort(cpu, 0, cpu.length);
      System.out.printf(
          Locale.ROOT,
          "cloudtrail %6d rules (%d run on every event, %d by literals): matching %.2f µs/event"
              + " (median of %d passes"
              + " over %d events), compiled rules %.1f MB of heap [%d matches]%n",
          size,
          matcher.unindexed(),
          matcher.substringIndexed(),
          median(Arrays.copyOfRange(cpu, 2, cpu.length)) / 1e3 / documents.size(),
          cpu.length - 2,
          documents.size(),
          heap / 1e6,
          matches);
    }
  }

  /**
   * The rule with its eventName values renamed (the same rule about other API calls); a rule naming
   * no eventName gets every exact value renamed instead.
   */
  public static CompiledRule variant(CompiledRule rule, int variant, FieldTypes types) {
    JsonNode query = rule.query();
    if (query.has("query_string")) {
      query = LuceneQuery.parse(query.get("query_string").path("query").asText()).toDsl(types);
    }
    ObjectNode renamed = query.deepCopy();
    String suffix = "V" + variant;
    if (!rename(renamed, "eventName", suffix)) {
      rename(renamed, null, suffix);
    }
    return new CompiledRule(
        rule.name() + "-" + suffix,
        rule.logType(),
        rule.indexPattern(),
        renamed,
        rule.condition(),
        rule.window(),
        rule.attribution(),
        rule.postFilter());
  }

  /** Appends {@code suffix} to the values of term-like queries on {@code field} (null: any). */
  private static boolean rename(JsonNode node, String field, String suffix) {
    boolean changed = false;
    if (node.isArray()) {
      for (JsonNode n : node) {
        changed |= rename(n, field, suffix);
      }
      return changed;
    }
    if (!node.isObject()) {
      return false;
    }
    Iterator<Map.Entry<String, JsonNode>> it = node.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String kind = e.getKey();
      if (List.of("term", "terms", "match", "match_phrase", "prefix", "wildcard").contains(kind)) {
        ObjectNode body = (ObjectNode) e.getValue();
        for (Iterator<Map.Entry<String, JsonNode>> f = body.fields(); f.hasNext(); ) {
          Map.Entry<String, JsonNode> target = f.next();
          if (field != null && !target.getKey().equals(field)) {
            continue;
          }
          JsonNode v = target.getValue();
          if (v.isTextual()) {
            target.setValue(TextNode.valueOf(v.asText() + suffix));
            changed = true;
          } else if (v.isArray()) {
            ArrayNode values = (ArrayNode) v;
            for (int i = 0; i < values.size(); i++) {
              values.set(i, TextNode.valueOf(values.get(i).asText() + suffix));
            }
            changed = true;
          } else if (v.isObject() && v.has("value")) {
            ((ObjectNode) v).put("value", v.get("value").asText() + suffix);
            changed = true;
          }
        }
      } else {
        changed |= rename(e.getValue(), field, suffix);
      }
    }
    return changed;
  }

  private static long usedHeap() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }

  private static double median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
  }
}

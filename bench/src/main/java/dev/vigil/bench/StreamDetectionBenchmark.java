package dev.vigil.bench;

import dev.vigil.core.LogType;
import dev.vigil.core.alerts.RecentAlerts;
import dev.vigil.core.alerts.StreamDetector;
import dev.vigil.core.parse.DocumentSink;
import dev.vigil.core.parse.ObjectParser;
import dev.vigil.core.parse.ObjectRef;
import dev.vigil.core.parse.ParsedDocument;
import dev.vigil.core.parse.Rejection;
import dev.vigil.core.rules.RuleCompiler;
import dev.vigil.core.rules.RuleManifest;
import dev.vigil.testing.SyntheticCloudTrail;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Streaming detection's cost on the parsing thread: parsing an object alone against parsing it with
 * every shipped every-match rule of its log type run on each document, as the ingester's hook does
 * (copy the borrowed source, match on the members the parser noted, build alerts for matches whose
 * key was not raised already). {@link StreamRatio} prints the ratios measured interleaved in one
 * run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(org.openjdk.jmh.annotations.Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
public class StreamDetectionBenchmark {
  static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
  private static final Clock AT_NOW = Clock.fixed(NOW, ZoneOffset.UTC);
  static final int EVENTS = 20_000;
  static final int FLOW_LINES = 50_000;
  static final int WAF_RECORDS = 20_000;
  static final ObjectRef CLOUDTRAIL_KEY =
      new ObjectRef("bench", "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/27/bench.json");
  static final ObjectRef FLOW_KEY =
      new ObjectRef("bench", "AWSLogs/111122223333/vpcflowlogs/us-east-1/2026/11/27/bench.log");
  static final ObjectRef WAF_KEY = new ObjectRef("bench", "aws-waf-logs-bench/2026/11/27/bench");

  /** One log type's object and detector. */
  record Input(LogType type, ObjectRef key, byte[] raw, StreamDetector detector) {}

  Input cloudTrail;
  Input vpcFlow;
  Input waf;
  private final ObjectParser parser = ObjectParser.standard();

  @Setup
  public void generate() throws IOException {
    StreamDetector.Selection shipped = shippedRules();
    StreamDetector detector = new StreamDetector(shipped.rules());
    cloudTrail =
        new Input(
            LogType.CLOUDTRAIL,
            CLOUDTRAIL_KEY,
            SyntheticCloudTrail.object(EVENTS, 42, Instant.parse("2026-11-27T00:00:00Z"))
                .readAllBytes(),
            detector);
    vpcFlow = new Input(LogType.VPCFLOW, FLOW_KEY, SyntheticLines.vpcFlow(FLOW_LINES), detector);
    waf = new Input(LogType.WAF, WAF_KEY, SyntheticLines.waf(WAF_RECORDS), detector);
  }

  /** The every-match rules of every DetectionRule manifest under {@code samples/}. */
  static StreamDetector.Selection shippedRules() throws IOException {
    List<RuleManifest> manifests = new ArrayList<>();
    Path samples = Path.of(System.getProperty("bench.samples", "samples"));
    try (Stream<Path> files = Files.walk(samples)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        manifests.addAll(RuleManifest.read(Files.readString(file), file.toString()));
      }
    }
    return StreamDetector.select(manifests, RuleCompiler.defaults());
  }

  @Benchmark
  public long cloudTrailParse() throws IOException {
    return parse(cloudTrail, false);
  }

  @Benchmark
  public long cloudTrailParseDetect() throws IOException {
    return parse(cloudTrail, true);
  }

  @Benchmark
  public long vpcFlowParse() throws IOException {
    return parse(vpcFlow, false);
  }

  @Benchmark
  public long vpcFlowParseDetect() throws IOException {
    return parse(vpcFlow, true);
  }

  @Benchmark
  public long wafParse() throws IOException {
    return parse(waf, false);
  }

  @Benchmark
  public long wafParseDetect() throws IOException {
    return parse(waf, true);
  }

  @Benchmark
  public long cloudTrailParseMatch() throws IOException {
    return parse(cloudTrail, Mode.MATCH);
  }

  /** What runs on each document: nothing, the matcher only, or the hook's whole detection. */
  enum Mode {
    PARSE,
    MATCH,
    DETECT
  }

  long parse(Input input, boolean detect) throws IOException {
    return parse(input, detect ? Mode.DETECT : Mode.PARSE);
  }

  /** Parses the object, running the detector on each document as {@code mode} says. */
  long parse(Input input, Mode mode) throws IOException {
    DetectingSink sink = new DetectingSink(mode == Mode.PARSE ? null : input.detector());
    sink.alertsToo = mode == Mode.DETECT;
    parser.parse(new ByteArrayInputStream(input.raw()), input.key(), input.type(), sink);
    return sink.bytes + sink.alerts + sink.matches;
  }

  /** Sums source bytes (so parsing is not optimized away) and, if asked, detects. */
  static final class DetectingSink implements DocumentSink {
    private final StreamDetector detector;
    boolean alertsToo = true;

    /** As the ingester's: an alert key raised once is not built again (each op starts afresh). */
    private final RecentAlerts recent = new RecentAlerts(Duration.ofSeconds(60));

    long matches;
    long bytes;
    long alerts;
    long documents;

    DetectingSink(StreamDetector detector) {
      this.detector = detector;
    }

    @Override
    public void document(ParsedDocument document) {
      documents++;
      bytes += document.sourceLength();
      if (detector == null) {
        return;
      }
      if (!alertsToo) {
        matches +=
            detector
                .matching(
                    document.type(),
                    document.sourceBuffer(),
                    document.sourceLength(),
                    document.members())
                .size();
        return;
      }
      alerts += detector.inspect(document, AT_NOW, recent).size();
    }

    @Override
    public boolean readsDocumentsInPlace() {
      return true; // as the ingester's sink
    }

    @Override
    public String[] memberNames(LogType type) {
      return detector == null ? null : detector.memberNames(type);
    }

    @Override
    public void rejected(Rejection rejection) {
      throw new UncheckedIOException(new IOException("benchmark input rejected: " + rejection));
    }
  }
}

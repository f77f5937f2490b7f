package dev.vigil.bench;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.vigil.core.LogType;
import dev.vigil.core.parse.BulkBody;
import dev.vigil.core.parse.DocumentSink;
import dev.vigil.core.parse.ObjectParser;
import dev.vigil.core.parse.ObjectRef;
import dev.vigil.core.parse.ParseContext;
import dev.vigil.core.parse.ParsedDocument;
import dev.vigil.core.parse.Rejection;
import dev.vigil.testing.SyntheticCloudTrail;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The log core's throughput on one core, on the same bytes: the full pipeline (gunzip, parse,
 * normalize, bulk NDJSON) against the ceiling (gunzip and Jackson tokenizing alone). {@link
 * RatioReport} prints their ratio.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
public class LogPipelineBenchmark {
  static final int EVENTS = 20_000;
  static final int FLOW_LINES = 100_000;
  static final int WAF_RECORDS = 20_000;
  private static final ObjectRef CLOUDTRAIL_KEY =
      new ObjectRef("bench", "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/27/bench.json.gz");
  private static final ObjectRef FLOW_KEY =
      new ObjectRef("bench", "AWSLogs/111122223333/vpcflowlogs/us-east-1/2026/11/27/bench.log.gz");
  private static final ObjectRef WAF_KEY =
      new ObjectRef("bench", "aws-waf-logs-bench/2026/11/27/bench.gz");

  byte[] cloudTrailGz;
  byte[] flowGz;
  byte[] wafGz;
  private final ObjectParser parser = ObjectParser.standard();
  // One body for every op, as the ingester's batcher keeps one and resets it after each request.
  private final BulkBody bulk = new BulkBody(6 << 20);

  @Setup
  public void generate() throws IOException {
    cloudTrailGz =
        gzip(SyntheticCloudTrail.object(EVENTS, 42, Instant.parse("2026-11-27T00:00:00Z")));
    flowGz = gzip(new ByteArrayInputStream(SyntheticLines.vpcFlow(FLOW_LINES)));
    wafGz = gzip(new ByteArrayInputStream(SyntheticLines.waf(WAF_RECORDS)));
  }

  /** (a) .json.gz → parse → normalize → bulk NDJSON, as the ingester does. Returns documents. */
  @Benchmark
  public long cloudTrailPipeline() throws IOException {
    return pipeline(cloudTrailGz, CLOUDTRAIL_KEY, LogType.CLOUDTRAIL);
  }

  /** (a') The same without building bulk bodies: what the bulk serialization costs. */
  @Benchmark
  public long cloudTrailParseOnly() throws IOException {
    long[] bytes = {0};
    parser.parse(
        new ByteArrayInputStream(cloudTrailGz),
        CLOUDTRAIL_KEY,
        LogType.CLOUDTRAIL,
        new DocumentSink() {
          @Override
          public void document(ParsedDocument document) {
            bytes[0] += document.sourceLength();
          }

          @Override
          public void rejected(Rejection rejection) {
            throw new IllegalStateException(rejection.toString());
          }
        });
    return bytes[0];
  }

  /**
   * (b) The ceiling: gunzip and tokenize the same bytes with Jackson's streaming parser, nothing
   * else.
   */
  @Benchmark
  public long cloudTrailGunzipTokenize() throws IOException {
    long tokens = 0;
    try (JsonParser json =
        ParseContext.JSON.createParser(
            new GZIPInputStream(new ByteArrayInputStream(cloudTrailGz), 1 << 16))) {
      for (JsonToken t = json.nextToken(); t != null; t = json.nextToken()) {
        if (t == JsonToken.VALUE_STRING) {
          json.getTextLength(); // make the parser decode strings, as any consumer must
        }
        tokens++;
      }
    }
    return tokens;
  }

  /** (c) Gunzip alone, the floor under both (a) and (b): what parsing adds is measured over it. */
  @Benchmark
  public long cloudTrailGunzipOnly() throws IOException {
    byte[] chunk = new byte[64 * 1024];
    long bytes = 0;
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(cloudTrailGz), 1 << 16)) {
      for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
        bytes += n;
      }
    }
    return bytes;
  }

  @Benchmark
  public long vpcFlowPipeline() throws IOException {
    return pipeline(flowGz, FLOW_KEY, LogType.VPCFLOW);
  }

  @Benchmark
  public long wafPipeline() throws IOException {
    return pipeline(wafGz, WAF_KEY, LogType.WAF);
  }

  private long pipeline(byte[] gz, ObjectRef origin, LogType type) throws IOException {
    BulkSink sink = new BulkSink(bulk);
    parser.parse(new ByteArrayInputStream(gz), origin, type, sink);
    return sink.documents;
  }

  /** Builds 5 MB bulk bodies as the ingester's sink does, then drops them. */
  static final class BulkSink implements DocumentSink {
    private final BulkBody bulk;
    long documents;
    long bytes;

    BulkSink(BulkBody bulk) {
      this.bulk = bulk;
      bulk.reset();
    }

    @Override
    public void document(ParsedDocument document) {
      bulk.add(document);
      documents++;
      if (bulk.bytes() >= 5 << 20) {
        bytes += bulk.bytes();
        try {
          bulk.writeTo(OutputStream.nullOutputStream()); // as the ingester streams it to OpenSearch
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
        bulk.reset();
      }
    }

    @Override
    public boolean readsDocumentsInPlace() {
      return true; // as the ingester's sink: the bulk body copies each document
    }

    @Override
    public void rejected(Rejection rejection) {
      throw new IllegalStateException("benchmark input rejected: " + rejection);
    }
  }

  static byte[] gzip(InputStream content) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (content;
        OutputStream out = new GZIPOutputStream(bytes, 1 << 16)) {
      content.transferTo(out);
    }
    return bytes.toByteArray();
  }

  static long uncompressedSize(byte[] gz) throws IOException {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      return in.transferTo(OutputStream.nullOutputStream());
    }
  }
}

package dev.vigil.ingester.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.core.LogType;
import dev.vigil.core.parse.BulkBody;
import dev.vigil.core.parse.DocumentSink;
import dev.vigil.core.parse.IndexNaming;
import dev.vigil.core.parse.IndexTemplates;
import dev.vigil.core.parse.LogParsers;
import dev.vigil.core.parse.ObjectParser;
import dev.vigil.core.parse.ObjectRef;
import dev.vigil.core.parse.ParsedDocument;
import dev.vigil.core.parse.Rejection;
import dev.vigil.ingester.it.IngesterProcess;
import dev.vigil.ingester.support.Objects;
import dev.vigil.parts.MotoServer;
import dev.vigil.parts.OpenSearchNode;
import dev.vigil.parts.RealParts;
import dev.vigil.testing.SyntheticCloudTrail;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Ingester throughput against the node's ceiling, on one local OpenSearch node (not a timed test:
 * run it with {@code make bench-ingester}). Same documents both ways:
 *
 * <ol>
 *   <li>ceiling: the NDJSON of every document, pre-built by {@link ObjectParser} and {@link
 *       BulkBody} into 5000-document requests, POSTed to {@code _bulk} with the ingester's bulk
 *       concurrency, until searchable (refresh);
 *   <li>ingester: the packaged ingester as its own process, the gzipped CloudTrail objects in
 *       moto's S3, one S3 notification per object sent to its queue at t0, until every document is
 *       searchable.
 * </ol>
 *
 * Prints documents/s of both, the ratio and the ingester's peak RSS. Sizes: {@code
 * -Dbench.objects=16 -Dbench.events=25000}. With {@code -Dbench.stream=true} a second ingester runs
 * every shipped DetectionRule of {@code samples/} on the stream (its own queue), interleaved with
 * the first, and the report adds its rate and CPU against streaming off (target: at least 0.9). JVM
 * options for both ingesters: {@code -Dbench.ingesterJvm="..."}; for the streaming one only (e.g.
 * {@code -XX:StartFlightRecording=filename=stream.jfr,settings=profile}): {@code
 * -Dbench.streamJvm="..."}.
 */
public final class IngesterBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int BULK_DOCUMENTS = 5000;
  private static final int BULK_CONCURRENCY = 2;

  public static void main(String[] args) throws Exception {
    int objects = Integer.getInteger("bench.objects", 16);
    int events = Integer.getInteger("bench.events", 25_000);
    Path work = Files.createTempDirectory("vigil-bench-");
    System.out.printf(
        Locale.ROOT, "preparing %d CloudTrail objects of %d events%n", objects, events);
    MotoServer moto = RealParts.moto();
    OpenSearchNode node = RealParts.openSearch();
    S3Client s3 = moto.s3();
    SqsClient sqs = moto.sqs();
    String bucket = "bench-logs";
    s3.createBucket(b -> b.bucket(bucket));
    s3.createBucket(b -> b.bucket("bench-dead-letters"));
    String queue = sqs.createQueue(q -> q.queueName("bench-notifications")).queueUrl();
    boolean stream = Boolean.getBoolean("bench.stream");
    String streamQueue =
        stream ? sqs.createQueue(q -> q.queueName("bench-notifications-stream")).queueUrl() : null;
    System.out.printf("load average before: %s", Files.readString(Path.of("/proc/loadavg")));

    List<String> keys = new ArrayList<>();
    long gzBytes = 0;
    for (int i = 0; i < objects; i++) {
      String key =
          Objects.cloudTrailKey(
              "2026/11/27", String.format(Locale.ROOT, "20261127T%02d00Z_bench%02d", i % 24, i));
      Path file =
          SyntheticCloudTrail.writeGzip(
              work.resolve("o" + i + ".json.gz"),
              events,
              1000 + i,
              Instant.parse("2026-11-27T00:00:00Z"));
      gzBytes += Files.size(file);
      s3.putObject(p -> p.bucket(bucket).key(key), RequestBody.fromFile(file));
      keys.add(key);
    }
    List<Path> bulks = prebuild(work, bucket, keys, "ceiling");
    long total = (long) objects * events;
    System.out.printf(
        Locale.ROOT,
        "%d documents, %.1f MB gzipped, %d bulk requests pre-built%n",
        total,
        gzBytes / 1e6,
        bulks.size());
    installTemplates(node, "ceiling");
    System.out.println("placement: " + pinOpenSearchApart(node.pid(), motoPid()));

    // The warm-up gives each ingester as many events as a measured run (other objects, so the
    // stream's recent alert keys do not carry over): with one small object, the JIT compiler was
    // still compiling the parser and the stream's rules in the first measured round (1-1.5 CPU s
    // of the ingester's 2-3 there, none in the next rounds), which is start-up, not ingest.
    int warmObjects = Integer.getInteger("bench.warmupObjects", objects);
    List<String> warmKeys = new ArrayList<>();
    for (int i = 0; i < warmObjects; i++) {
      String key =
          Objects.cloudTrailKey(
              "2026/11/26", String.format(Locale.ROOT, "20261126T%02d00Z_warmup%02d", i % 24, i));
      Path warm =
          SyntheticCloudTrail.writeGzip(
              work.resolve("warmup" + i + ".json.gz"),
              events,
              2000 + i,
              Instant.parse("2026-11-26T00:00:00Z"));
      s3.putObject(p -> p.bucket(bucket).key(key), RequestBody.fromFile(warm));
      warmKeys.add(key);
    }
    long warmTotal = (long) warmObjects * events;

    System.out.println("warm-up (not counted):");
    ceiling(node, bulks, total, "ceiling");
    IngesterProcess process = startIngester(node, moto, queue, null);
    IngesterProcess streaming =
        stream ? startIngester(node, moto, streamQueue, SHIPPED_RULES.toAbsolutePath()) : null;
    try {
      ingesterRun(node, sqs, queue, bucket, warmKeys, warmTotal, process);
      if (stream) {
        ingesterRun(node, sqs, streamQueue, bucket, warmKeys, warmTotal, streaming);
      }
      System.out.println("interleaved runs:");
      List<Run> ceilings = new ArrayList<>();
      List<Run> ingesters = new ArrayList<>();
      List<Run> streamed = new ArrayList<>();
      int rounds = Integer.getInteger("bench.rounds", 2);
      for (int round = 0; round < rounds; round++) {
        ceilings.add(ceiling(node, bulks, total, "ceiling"));
        // Streaming on goes first every other round, so neither side always follows the other.
        if (stream && round % 2 == 1) {
          streamed.add(ingesterRun(node, sqs, streamQueue, bucket, keys, total, streaming));
        }
        ingesters.add(ingesterRun(node, sqs, queue, bucket, keys, total, process));
        if (stream && round % 2 == 0) {
          streamed.add(ingesterRun(node, sqs, streamQueue, bucket, keys, total, streaming));
        }
      }
      ceilings.add(ceiling(node, bulks, total, "ceiling"));
      report(objects, total, ceilings, ingesters);
      if (stream) {
        reportStreaming(ingesters, streamed, streaming);
      }
      System.out.printf("load average after: %s", Files.readString(Path.of("/proc/loadavg")));
    } finally {
      process.terminate(Duration.ofSeconds(20));
      if (streaming != null) {
        streaming.terminate(Duration.ofSeconds(20));
      }
      RealParts.stopAll();
    }
    System.exit(0);
  }

  /**
   * Other work on the machine only ever slows a run down, so each side's best run is its measure;
   * CPU seconds per document show the same without the noise.
   */
  private static void report(int objects, long total, List<Run> ceilings, List<Run> ingesters) {
    Run ceiling =
        ceilings.stream()
            .max(java.util.Comparator.comparingDouble(Run::docsPerSecond))
            .orElseThrow();
    Run ingester =
        ingesters.stream()
            .max(java.util.Comparator.comparingDouble(Run::docsPerSecond))
            .orElseThrow();
    double openSearchCpu = ceilings.stream().mapToDouble(Run::openSearchCpu).average().orElse(0);
    double ingesterSideCpu =
        ingesters.stream()
            .mapToDouble(r -> r.openSearchCpu + r.ingesterCpu + r.motoCpu)
            .average()
            .orElse(0);
    System.out.println();
    System.out.println("## Ingester benchmark");
    System.out.printf(Locale.ROOT, "placement:            %s%n", placement);
    System.out.printf(
        Locale.ROOT, "documents:            %d (CloudTrail, %d objects)%n", total, objects);
    System.out.printf(
        Locale.ROOT,
        "raw _bulk ceiling:    %.0f docs/s (best of %s)%n",
        ceiling.docsPerSecond,
        rates(ceilings));
    System.out.printf(
        Locale.ROOT,
        "ingester end to end:  %.0f docs/s (best of %s)%n",
        ingester.docsPerSecond,
        rates(ingesters));
    System.out.printf(
        Locale.ROOT,
        "ratio:                %.2f (target >= 0.90)%n",
        ingester.docsPerSecond / ceiling.docsPerSecond);
    System.out.printf(
        Locale.ROOT,
        "CPU s per run:        ceiling: opensearch %.1f; ingester: opensearch %.1f + ingester %.1f + moto %.1f"
            + " (CPU ratio %.2f)%n",
        openSearchCpu,
        ingesters.stream().mapToDouble(Run::openSearchCpu).average().orElse(0),
        ingesters.stream().mapToDouble(Run::ingesterCpu).average().orElse(0),
        ingesters.stream().mapToDouble(Run::motoCpu).average().orElse(0),
        openSearchCpu / ingesterSideCpu);
    System.out.printf(
        Locale.ROOT,
        "ingester peak RSS:    %d MiB (-Xmx512m)%n",
        ingesters.stream().mapToLong(Run::peakRssMiB).max().orElse(0));
  }

  /** Every shipped DetectionRule (the stream takes those of every log type it can run). */
  private static final Path SHIPPED_RULES =
      Files.isDirectory(Path.of("samples")) ? Path.of("samples") : Path.of("../samples");

  /**
   * Streaming on against off: best rate of each (as above), and the ingester's CPU seconds per run,
   * which the machine's other work does not inflate the way it stretches wall time.
   */
  private static void reportStreaming(List<Run> off, List<Run> on, IngesterProcess streaming) {
    Run bestOff = off.stream().max(java.util.Comparator.comparingDouble(Run::docsPerSecond)).get();
    Run bestOn = on.stream().max(java.util.Comparator.comparingDouble(Run::docsPerSecond)).get();
    double cpuOff = off.stream().mapToDouble(Run::ingesterCpu).min().orElse(0);
    double cpuOn = on.stream().mapToDouble(Run::ingesterCpu).min().orElse(0);
    System.out.println();
    System.out.println("## Streaming detection on (every shipped DetectionRule) vs off");
    System.out.printf(
        Locale.ROOT,
        "streaming off:        %.0f docs/s (best of %s)%n",
        bestOff.docsPerSecond,
        rates(off));
    System.out.printf(
        Locale.ROOT,
        "streaming on:         %.0f docs/s (best of %s)%n",
        bestOn.docsPerSecond,
        rates(on));
    System.out.printf(
        Locale.ROOT,
        "rate ratio on/off:    %.2f (target >= 0.90)%n",
        bestOn.docsPerSecond / bestOff.docsPerSecond);
    System.out.printf(
        Locale.ROOT,
        "ingester CPU s/run:   off %.1f, on %.1f (least of each); CPU ratio off/on %.2f%n",
        cpuOff,
        cpuOn,
        cpuOff / cpuOn);
    double ownOff = off.stream().mapToDouble(r -> r.ingesterCpu - r.jitCpu).min().orElse(0);
    double ownOn = on.stream().mapToDouble(r -> r.ingesterCpu - r.jitCpu).min().orElse(0);
    System.out.printf(
        Locale.ROOT,
        "  without JIT threads: off %.1f, on %.1f (least of each); CPU ratio off/on %.2f%n",
        ownOff,
        ownOn,
        ownOff / ownOn);
    System.out.printf(Locale.ROOT, "stream log:           %s%n", alertLines(streaming));
  }

  /** What the streaming ingester logged about its rules and alerts. */
  private static String alertLines(IngesterProcess streaming) {
    try {
      // The log file is kept across benchmark runs: read this process's part (from its last
      // "stream detection:" line on).
      List<String> lines = Files.readAllLines(streaming.log());
      int start = 0;
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).contains("stream detection:")) {
          start = i;
        }
      }
      return lines.subList(start, lines.size()).stream()
          .filter(l -> l.contains("stream detection:") || l.contains("raised by the stream"))
          .limit(3)
          .map(l -> l.length() > 160 ? l.substring(0, 160) : l)
          .collect(java.util.stream.Collectors.joining(" | "));
    } catch (IOException e) {
      return e.toString();
    }
  }

  private static String rates(List<Run> runs) {
    return runs.stream()
        .map(r -> String.format(Locale.ROOT, "%.0f", r.docsPerSecond))
        .collect(java.util.stream.Collectors.joining(", "));
  }

  /** Every document of the objects as bulk bodies of 5000, written to files. */
  private static List<Path> prebuild(Path work, String bucket, List<String> keys, String prefix)
      throws IOException {
    ObjectParser parser =
        new ObjectParser(new IndexNaming(prefix, IndexNaming.Granularity.DAILY), LogParsers.all());
    List<Path> files = new ArrayList<>();
    BulkBody body = new BulkBody(8 << 20);
    for (String key : keys) {
      Path object = work.resolve("o" + keys.indexOf(key) + ".json.gz");
      parser.parse(
          Files.newInputStream(object),
          new ObjectRef(bucket, key),
          LogType.CLOUDTRAIL,
          new DocumentSink() {
            @Override
            public void document(ParsedDocument d) {
              body.add(d);
              if (body.documents() == BULK_DOCUMENTS) {
                files.add(write(work, files.size(), body));
              }
            }

            @Override
            public void rejected(Rejection rejection) {
              throw new IllegalStateException(rejection.toString());
            }
          });
    }
    if (body.documents() > 0) {
      files.add(write(work, files.size(), body));
    }
    return files;
  }

  private static Path write(Path work, int n, BulkBody body) {
    try {
      Path file = Files.write(work.resolve("bulk-" + n + ".ndjson"), body.toByteArray());
      body.reset();
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Run ceiling(OpenSearchNode node, List<Path> bulks, long total, String prefix)
      throws Exception {
    deleteIndices(node, prefix + "-*");
    ExecutorService pool = Executors.newFixedThreadPool(BULK_CONCURRENCY);
    AtomicInteger next = new AtomicInteger();
    AtomicLong errors = new AtomicLong();
    long openSearchCpu = cpuMillis(node.pid());
    long start = System.nanoTime();
    List<Future<?>> senders = new ArrayList<>();
    for (int t = 0; t < BULK_CONCURRENCY; t++) {
      senders.add(
          pool.submit(
              () -> {
                for (int i; (i = next.getAndIncrement()) < bulks.size(); ) {
                  HttpResponse<String> response =
                      node.httpClient()
                          .send(
                              node.request("/_bulk?filter_path=errors")
                                  .header("Content-Type", "application/x-ndjson")
                                  .timeout(Duration.ofMinutes(2))
                                  .POST(HttpRequest.BodyPublishers.ofFile(bulks.get(i)))
                                  .build(),
                              HttpResponse.BodyHandlers.ofString());
                  if (response.statusCode() != 200 || response.body().contains("true")) {
                    errors.incrementAndGet();
                  }
                }
                return null;
              }));
    }
    for (Future<?> sender : senders) {
      sender.get();
    }
    long count = count(node, prefix + "-*");
    double seconds = (System.nanoTime() - start) / 1e9;
    pool.shutdown();
    if (count != total || errors.get() > 0) {
      throw new IllegalStateException(
          "ceiling run indexed " + count + " of " + total + ", errors " + errors);
    }
    System.out.printf(
        Locale.ROOT,
        "ceiling run: %d docs in %.1f s = %.0f docs/s, CPU s: opensearch %.1f%n",
        total,
        seconds,
        total / seconds,
        (cpuMillis(node.pid()) - openSearchCpu) / 1000.0);
    return new Run(total / seconds, (cpuMillis(node.pid()) - openSearchCpu) / 1000.0, 0, 0, 0, 0);
  }

  private record Run(
      double docsPerSecond,
      double openSearchCpu,
      double ingesterCpu,
      double motoCpu,
      long peakRssMiB,
      double jitCpu) {}

  private static IngesterProcess startIngester(
      OpenSearchNode node, MotoServer moto, String queue, Path rules) {
    Map<String, String> props = new HashMap<>();
    if (rules != null) {
      props.put("vigil.ingester.detection.rules", rules.toString());
    }
    props.put("vigil.ingester.queues.logs.url", queue);
    props.put("vigil.ingester.aws.region", MotoServer.REGION.id());
    props.put("vigil.ingester.aws.endpoint-override", moto.endpoint().toString());
    props.put("vigil.ingester.aws.s3-path-style", "true");
    props.put("vigil.ingester.dead-letter.s3-bucket", "bench-dead-letters");
    props.put("vigil.ingester.opensearch.endpoint", node.uri().toString());
    props.put("vigil.ingester.index-prefix", "bench");
    props.put("vigil.ingester.bulk.concurrency", String.valueOf(BULK_CONCURRENCY));
    props.put("vigil.ingester.receive.wait-time", "1s");
    List<String> jvm = new ArrayList<>(List.of("-Xmx512m"));
    // bench.ingesterJvm: both ingesters; bench.streamJvm: only the streaming one (e.g. a profiler).
    for (String option :
        rules == null
            ? List.of("bench.ingesterJvm")
            : List.of("bench.ingesterJvm", "bench.streamJvm")) {
      String extra = System.getProperty(option, "").trim();
      if (!extra.isEmpty()) {
        jvm.addAll(List.of(extra.split("\\s+")));
      }
    }
    return IngesterProcess.start(
            rules == null ? "ingester-bench" : "ingester-bench-stream",
            props,
            jvm.toArray(String[]::new))
        .awaitReady(Duration.ofMinutes(2));
  }

  /**
   * One notification per object at t0; done when every message is deleted — the ingester deletes
   * one only after OpenSearch acknowledged every document of its object — plus one refresh.
   */
  private static Run ingesterRun(
      OpenSearchNode node,
      SqsClient sqs,
      String queue,
      String bucket,
      List<String> keys,
      long total,
      IngesterProcess process)
      throws Exception {
    deleteIndices(node, "bench-*");
    long ingesterCpu = cpuMillis(process.pid());
    Map<String, Long> threadsBefore = threadCpuMillis(process.pid());
    long openSearchCpu = cpuMillis(node.pid());
    long motoCpu = cpuMillis(motoPid());
    Map<String, Double> outcomesBefore = streamOutcomes(process);
    long start = System.nanoTime();
    for (String key : keys) {
      sqs.sendMessage(m -> m.queueUrl(queue).messageBody(Objects.s3Notification(bucket, key)));
    }
    long peak = 0;
    while (messages(sqs, queue) > 0) {
      Thread.sleep(250);
      peak = Math.max(peak, process.rssMiB());
      if (!process.isAlive()) {
        throw new IllegalStateException("the ingester exited; log " + process.log());
      }
    }
    long count = count(node, "bench-*");
    double seconds = (System.nanoTime() - start) / 1e9;
    if (count != total) {
      throw new IllegalStateException("ingester indexed " + count + " of " + total);
    }
    Map<String, Long> threadsAfter = threadCpuMillis(process.pid());
    Run run =
        new Run(
            total / seconds,
            (cpuMillis(node.pid()) - openSearchCpu) / 1000.0,
            (cpuMillis(process.pid()) - ingesterCpu) / 1000.0,
            (cpuMillis(motoPid()) - motoCpu) / 1000.0,
            peak,
            jitMillis(threadsBefore, threadsAfter) / 1000.0);
    System.out.printf(
        Locale.ROOT,
        "ingester run%s: %d docs in %.1f s = %.0f docs/s, peak RSS %d MiB, CPU s: opensearch %.1f,"
            + " ingester %.1f, moto %.1f%n",
        process.log().getFileName().toString().contains("stream") ? " (streaming on)" : "",
        total,
        seconds,
        run.docsPerSecond,
        peak,
        run.openSearchCpu,
        run.ingesterCpu,
        run.motoCpu);
    System.out.printf(
        Locale.ROOT, "  ingester CPU s by thread: %s%n", threadShares(threadsBefore, threadsAfter));
    if (!outcomesBefore.isEmpty()) {
      Map<String, Double> outcomesAfter = streamOutcomes(process);
      System.out.printf(
          Locale.ROOT,
          "  stream alert outcomes: %s%n",
          STREAM_OUTCOMES.stream()
              .map(
                  o ->
                      String.format(
                          Locale.ROOT,
                          "%s %.0f",
                          o,
                          outcomesAfter.getOrDefault(o, 0.0) - outcomesBefore.get(o)))
              .collect(java.util.stream.Collectors.joining(", ")));
    }
    return run;
  }

  /**
   * What the stream did with its matches ({@code vigil_ingester_stream_alerts_total}): suppressed
   * (key raised in the last minute: no alert built), open / raised / duplicate (one store lookup
   * each), dropped, failed. Empty for an ingester without streaming.
   */
  private static final List<String> STREAM_OUTCOMES =
      List.of("suppressed", "open", "raised", "duplicate", "dropped", "failed");

  private static Map<String, Double> streamOutcomes(IngesterProcess process) {
    Map<String, Double> out = new HashMap<>();
    if (!process.log().getFileName().toString().contains("stream")) {
      return out;
    }
    for (String outcome : STREAM_OUTCOMES) {
      out.put(
          outcome,
          process.metric("vigil_ingester_stream_alerts_total", "outcome=\"" + outcome + "\""));
    }
    return out;
  }

  private static String placement = "shared";

  /**
   * Deployed, ingester pods and OpenSearch run on different nodes, so the ingester's CPU never
   * comes out of OpenSearch's share. On one machine the same holds when OpenSearch gets its own
   * CPUs (the first half) and this JVM, moto and the ingester (started later, inheriting this JVM's
   * affinity) the rest — for both sides of the ratio alike. {@code -Dbench.pin=false} shares every
   * CPU.
   */
  private static String pinOpenSearchApart(long openSearch, long moto) throws Exception {
    int cpus = Runtime.getRuntime().availableProcessors();
    if (!Boolean.parseBoolean(System.getProperty("bench.pin", "true")) || cpus < 2) {
      return placement;
    }
    String search = cpus == 2 ? "0" : "0-" + (cpus / 2 - 1);
    String rest = cpus == 2 ? "1" : (cpus / 2) + "-" + (cpus - 1);
    taskset(search, openSearch);
    taskset(rest, ProcessHandle.current().pid());
    if (moto > 0) {
      taskset(rest, moto);
    }
    placement =
        "OpenSearch on CPU " + search + "; ingester, moto and the ceiling's client on CPU " + rest;
    return placement;
  }

  /** Every thread of the process on these CPUs ({@code taskset -a}). */
  private static void taskset(String cpus, long pid) throws Exception {
    Process taskset =
        new ProcessBuilder("taskset", "-a", "-p", "-c", cpus, String.valueOf(pid))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (taskset.waitFor() != 0) {
      throw new IllegalStateException("taskset -a -p -c " + cpus + " " + pid + " failed");
    }
  }

  private static long motoPid() {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().orElse("").contains("moto_server"))
        .mapToLong(ProcessHandle::pid)
        .findFirst()
        .orElse(-1);
  }

  private static int messages(SqsClient sqs, String queue) {
    var attributes =
        sqs.getQueueAttributes(
                a ->
                    a.queueUrl(queue)
                        .attributeNames(
                            software.amazon.awssdk.services.sqs.model.QueueAttributeName
                                .APPROXIMATE_NUMBER_OF_MESSAGES,
                            software.amazon.awssdk.services.sqs.model.QueueAttributeName
                                .APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
            .attributes();
    return attributes.values().stream().mapToInt(Integer::parseInt).sum();
  }

  /** CPU time (user + system) of a process and its threads, from /proc. */
  static long cpuMillis(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
      return ticks * 10; // USER_HZ = 100
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /**
   * CPU time per thread of a process, by thread name with digits dropped (so "C2 CompilerThread0"
   * and "...1" add up, and the JVM's GC and JIT show apart from the ingester's own threads).
   */
  static Map<String, Long> threadCpuMillis(long pid) {
    Map<String, Long> out = new HashMap<>();
    try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
      for (Path task : tasks.toList()) {
        try {
          String stat = Files.readString(task.resolve("stat"));
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          long millis = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10;
          out.merge(name.replaceAll("[0-9]+", "#"), millis, Long::sum);
        } catch (IOException | RuntimeException e) {
          // the thread ended between the listing and the read
        }
      }
    } catch (IOException e) {
      return out;
    }
    return out;
  }

  /** CPU time of the JIT compiler's threads between two readings. */
  private static long jitMillis(Map<String, Long> before, Map<String, Long> after) {
    return after.entrySet().stream()
        .filter(e -> e.getKey().startsWith("C# Compiler"))
        .mapToLong(e -> e.getValue() - before.getOrDefault(e.getKey(), 0L))
        .sum();
  }

  /** The threads that used the most CPU between two readings, most first. */
  private static String threadShares(Map<String, Long> before, Map<String, Long> after) {
    return after.entrySet().stream()
        .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
        .filter(e -> e.getValue() >= 50)
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(8)
        .map(e -> String.format(Locale.ROOT, "%s %.1f", e.getKey(), e.getValue() / 1000.0))
        .collect(java.util.stream.Collectors.joining(", "));
  }

  private static void installTemplates(OpenSearchNode node, String prefix) throws Exception {
    IndexTemplates templates =
        new IndexTemplates(new IndexNaming(prefix, IndexNaming.Granularity.DAILY));
    put(node, "/_component_template/" + templates.componentName(), templates.componentTemplate());
    for (LogType type : LogType.values()) {
      put(node, "/_index_template/" + templates.templateName(type), templates.indexTemplate(type));
    }
  }

  private static void put(OpenSearchNode node, String path, JsonNode body) throws Exception {
    HttpResponse<String> response =
        node.httpClient()
            .send(
                node.request(path)
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(path + ": " + response.body());
    }
  }

  private static long count(OpenSearchNode node, String pattern) throws Exception {
    node.httpClient()
        .send(
            node.request("/" + pattern + "/_refresh?allow_no_indices=true")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.discarding());
    HttpResponse<String> response =
        node.httpClient()
            .send(
                node.request("/" + pattern + "/_count?allow_no_indices=true").GET().build(),
                HttpResponse.BodyHandlers.ofString());
    return response.statusCode() == 200 ? JSON.readTree(response.body()).path("count").asLong() : 0;
  }

  private static void deleteIndices(OpenSearchNode node, String pattern) throws Exception {
    node.httpClient()
        .send(
            node.request("/" + pattern + "?allow_no_indices=true&expand_wildcards=all")
                .DELETE()
                .build(),
            HttpResponse.BodyHandlers.discarding());
  }
}

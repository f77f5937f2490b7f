package dev.vigil.ingester.metrics;

import dev.vigil.core.LogType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Every meter of the ingester, one per failure class (see docs/ingester.md). Hot paths count per
 * batch or per object, never per document, so a label lookup is never on the per-record path.
 */
public final class IngesterMetrics {
  /** One AWS API call (S3, SQS, STS), by outcome: what docs/iam.md's ingester policy must allow. */
  public static final String AWS_CALLS = "vigil.ingester.aws.calls";

  private final MeterRegistry registry;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private final Timer bulkLatency;

  public IngesterMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.bulkLatency =
        Timer.builder("vigil.ingester.bulk.latency")
            .description("Time of one _bulk request, from send to response")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(5))
            .maximumExpectedValue(Duration.ofSeconds(60))
            .register(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** An object finished: indexed, partial, dead_lettered, missing, released. */
  public void object(LogType type, String outcome) {
    counter("vigil.ingester.objects", "Objects by outcome", "type", id(type), "outcome", outcome)
        .increment();
  }

  public void parsed(LogType type, long records) {
    if (records > 0) {
      counter(
              "vigil.ingester.records.parsed",
              "Documents produced by the parsers",
              "type",
              id(type))
          .increment(records);
    }
  }

  public void indexed(LogType type, long records) {
    if (records > 0) {
      counter(
              "vigil.ingester.records.indexed",
              "Documents OpenSearch acknowledged (created or overwritten)",
              "type",
              id(type))
          .increment(records);
    }
  }

  /**
   * Latest-state writes of findings: {@code written}, or {@code stale} (the index already held a
   * newer update of the finding, so this one was refused as intended).
   */
  public void latest(LogType type, String outcome, long writes) {
    if (writes > 0) {
      counter(
              "vigil.ingester.latest.writes",
              "Latest-state writes of findings by outcome",
              "type",
              id(type),
              "outcome",
              outcome)
          .increment(writes);
    }
  }

  /** Records that will never be indexed, by reason (parse, or the OpenSearch error type). */
  public void failed(LogType type, String reason, long records) {
    if (records > 0) {
      counter(
              "vigil.ingester.records.failed",
              "Records that cannot be indexed, sent to the dead-letter destination",
              "type",
              id(type),
              "reason",
              reason)
          .increment(records);
    }
  }

  /**
   * Damaged input skipped to resume at the next readable record: the events that started in it (as
   * far as they can be told) and its bytes.
   */
  public void skipped(LogType type, long events, long bytes) {
    if (events > 0) {
      counter(
              "vigil.ingester.damage.skipped.events",
              "Events lost inside damaged input skipped to resume reading",
              "type",
              id(type))
          .increment(events);
    }
    if (bytes > 0) {
      counter(
              "vigil.ingester.damage.skipped.bytes",
              "Bytes of damaged input skipped to resume reading",
              "type",
              id(type))
          .increment(bytes);
    }
  }

  /** A bulk request (or part of one) is sent again: throttled, server_error, unreachable... */
  public void retry(String reason, long documents) {
    counter("vigil.ingester.bulk.retries", "Bulk requests sent again", "reason", reason)
        .increment();
    counter("vigil.ingester.records.retried", "Documents sent again", "reason", reason)
        .increment(documents);
  }

  public void bulk(Duration took) {
    bulkLatency.record(took);
  }

  /** Dead letters written, by kind: document, record, object, message. */
  public void deadLetters(String kind, long count) {
    if (count > 0) {
      counter(
              "vigil.ingester.dead.letters",
              "Entries written to the dead-letter destination",
              "kind",
              kind)
          .increment(count);
    }
  }

  public void deadLetterWriteFailed() {
    counter(
            "vigil.ingester.dead.letter.write.failures",
            "Failed writes to the dead-letter destination (retried)")
        .increment();
  }

  /** What became of an SQS message: deleted, released, test_event, ignored, dead_lettered. */
  public void message(String queue, String outcome) {
    counter(
            "vigil.ingester.messages",
            "SQS messages by outcome",
            "queue",
            queue,
            "outcome",
            outcome)
        .increment();
  }

  public void hookFailed() {
    counter("vigil.ingester.hook.failures", "Detection hook calls that threw").increment();
  }

  public void replayObject(String outcome) {
    counter("vigil.ingester.replay.objects", "Replay: objects by outcome", "outcome", outcome)
        .increment();
  }

  /** Scan mode: objects listed, ingested (done, whatever the outcome) or failed (retried later). */
  public void scanObjects(String outcome, long count) {
    if (count > 0) {
      counter("vigil.ingester.scan.objects", "Scan: objects by outcome", "outcome", outcome)
          .increment(count);
    }
  }

  /** Scan mode: the time of one listing pass, ingestion of what it found included. */
  public void scanDuration(Duration took) {
    Timer.builder("vigil.ingester.scan.duration")
        .description("Scan: time of one listing pass, ingestion included")
        .register(registry)
        .record(took);
  }

  public <T> void gauge(String name, String description, Supplier<Number> value) {
    io.micrometer.core.instrument.Gauge.builder(name, value)
        .description(description)
        .register(registry);
  }

  private Counter counter(String name, String description, String... tags) {
    String key = name + String.join("\u0000", tags);
    Counter c = counters.get(key);
    if (c == null) {
      c =
          counters.computeIfAbsent(
              key,
              k -> Counter.builder(name).description(description).tags(tags).register(registry));
    }
    return c;
  }

  private static String id(LogType type) {
    return type == null ? "unknown" : type.id();
  }
}

package dev.vigil.ingester.detect;

import dev.vigil.core.LogType;
import dev.vigil.core.alerts.Alert;
import dev.vigil.core.alerts.RecentAlerts;
import dev.vigil.core.alerts.StreamDetector;
import dev.vigil.core.parse.ParsedDocument;
import dev.vigil.core.rules.Durations;
import dev.vigil.core.rules.RuleCompiler;
import dev.vigil.core.rules.RuleDefinition;
import dev.vigil.core.rules.RuleManifest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Streaming detection: every-match rules run on each document as it is parsed, so an alert is
 * written seconds after its object lands instead of at the engine's next run. The parsing thread
 * only evaluates (documents of types no rule reads are not even parsed); one writer thread puts the
 * alerts into {@code vigil-alerts}: skipped when the rule already has an open alert for the key
 * (the engine keeps that one up to date), else created under the deterministic id the scheduled
 * engine would use — so both paths end up with one alert. Notifications stay with the operator's
 * engine, which sends them for alerts it creates.
 */
public final class StreamingDetection implements DetectionHook, AutoCloseable {
  private static final Logger LOG = Logger.getLogger(StreamingDetection.class);

  /** Keys raised recently are not looked up again for this long (a burst costs one lookup). */
  private static final Duration REMEMBER = Duration.ofSeconds(60);

  /**
   * A key whose alert was found open is not looked up again for this long: the scheduled engine
   * keeps that alert current, and should it complete meanwhile, its next run (a rule's default
   * interval) raises the key's next alert. In an alert storm this turns one search per key and
   * minute into one per key and interval.
   */
  private static final Duration OPEN_HOLD =
      Durations.parse(RuleDefinition.DEFAULT_INTERVAL, "interval");

  private final StreamDetector detector;
  private final AlertStore store;
  private final Clock clock;
  private final MeterRegistry metrics;
  // Registered once: a match of a recently raised key (most matches) only increments it, where a
  // registry lookup per match (building the meter's id and tags) was a tenth of the parsing
  // thread's CPU with every shipped rule streaming.
  private final Counter suppressed;
  private final BlockingQueue<Alert> pending = new ArrayBlockingQueue<>(10_000);
  private final RecentAlerts recent;
  private final Thread writer;

  private volatile boolean running = true;

  public StreamingDetection(
      StreamDetector detector, AlertStore store, Clock clock, MeterRegistry metrics) {
    this.detector = detector;
    this.store = store;
    this.clock = clock;
    this.metrics = metrics;
    this.suppressed = counter("suppressed");
    this.recent = new RecentAlerts(REMEMBER, suppressed::increment);
    this.writer = new Thread(this::writeLoop, "vigil-stream-alerts");
    writer.setDaemon(true);
    writer.start();
  }

  /** Reads the DetectionRule manifests (YAML) in a file or directory and keeps the stream rules. */
  public static StreamDetector load(Path rules) {
    List<RuleManifest> manifests = new ArrayList<>();
    try (Stream<Path> files = Files.isDirectory(rules) ? Files.walk(rules) : Stream.of(rules)) {
      for (Path file :
          files
              .filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
              .sorted()
              .toList()) {
        manifests.addAll(RuleManifest.read(Files.readString(file), file.toString()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read detection rules at " + rules, e);
    }
    StreamDetector.Selection selection = StreamDetector.select(manifests, RuleCompiler.defaults());
    selection.skipped().forEach(s -> LOG.infof("stream detection skips %s", s));
    LOG.infof(
        "stream detection: %d of %d rules run per event",
        selection.rules().size(), manifests.size());
    return new StreamDetector(selection.rules());
  }

  @Override
  public void inspect(ParsedDocument document) {
    if (!detector.watches(document.type())) {
      return;
    }
    // Read where the parser wrote it, at the members it noted; matches whose key was raised in the
    // last REMEMBER are not even made into alerts.
    for (Alert alert : detector.inspect(document, clock, recent)) {
      if (!pending.offer(alert)) {
        recent.forget(RecentAlerts.key(alert));
        count("dropped"); // the writer is far behind; the scheduled run will still raise it
      }
    }
  }

  @Override
  public String[] memberNames(LogType type) {
    return detector.memberNames(type);
  }

  private void writeLoop() {
    while (running) {
      Alert alert;
      try {
        alert = pending.poll(200, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (alert != null) {
        write(alert);
      }
    }
  }

  private void write(Alert alert) {
    try {
      if (store.hasOpen(alert)) {
        recent.holdUntil(RecentAlerts.key(alert), clock.instant().plus(OPEN_HOLD));
        count("open");
      } else if (store.create(alert)) {
        count("raised");
        LOG.infof(
            "DetectionRule %s/%s: alert %s raised by the stream: %s",
            alert.rule.namespace, alert.rule.name, alert.id, alert.message);
      } else {
        count("duplicate");
      }
    } catch (IOException e) {
      // Not retried here: the scheduled run raises the same alert (same id) at its next run, and
      // the stream's next match of the key tries again.
      recent.forget(RecentAlerts.key(alert));
      count("failed");
      LOG.warnf("stream alert %s not written: %s", alert.id, e.getMessage());
    }
  }

  private void count(String outcome) {
    counter(outcome).increment();
  }

  private Counter counter(String outcome) {
    return metrics.counter("vigil_ingester_stream_alerts_total", "outcome", outcome);
  }

  @Override
  public void close() {
    running = false;
    writer.interrupt();
  }
}

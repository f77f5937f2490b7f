package dev.vigil.ingester.pipeline;

import dev.vigil.core.parse.ObjectParser;
import dev.vigil.core.retry.Backoff;
import dev.vigil.ingester.config.IngesterConfig;
import dev.vigil.ingester.detect.DetectionHook;
import dev.vigil.ingester.metrics.IngesterMetrics;
import dev.vigil.ingester.opensearch.BulkTransport;
import dev.vigil.ingester.source.ObjectStore;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The shared indexing path of queue and replay mode: one bulk batcher feeding one bulk sender, a
 * timer that flushes what waits too long, and the dead-letter writer, all stopped by one {@link
 * Abort}.
 */
public final class Pipeline implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(Pipeline.class);

  private final Abort abort = new Abort();
  private final IngesterMetrics metrics;
  private final OpenSearchStatus status;
  private final DeadLetterWriter deadLetters;
  private final BulkSender sender;
  private final BulkBatcher batcher;
  private final ScheduledExecutorService flusher;

  public Pipeline(
      IngesterConfig.Bulk bulk,
      BulkTransport transport,
      DeadLetterSink deadLetterSink,
      IngesterMetrics metrics,
      OpenSearchStatus status,
      int deadLetterWaiters) {
    this.metrics = metrics;
    this.status = status;
    Backoff backoff =
        new Backoff(
            bulk.retryInitial(), bulk.retryMax(), Backoff.Jitter.EQUAL, new SplittableRandom());
    this.deadLetters =
        new DeadLetterWriter(deadLetterSink, backoff, abort, metrics, deadLetterWaiters);
    this.sender =
        new BulkSender(transport, deadLetters, backoff, abort, metrics, status, bulk.concurrency());
    this.batcher =
        new BulkBatcher(
            sender,
            abort,
            bulk.maxDocuments(),
            bulk.maxBytes().asLongValue(),
            bulk.flushInterval());
    this.flusher =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "vigil-flush");
              t.setDaemon(true);
              return t;
            });
    long tick = Math.max(10, bulk.flushInterval().toMillis() / 4);
    flusher.scheduleWithFixedDelay(this::flushIfDue, tick, tick, TimeUnit.MILLISECONDS);
  }

  public ObjectIngester ingester(ObjectStore store, ObjectParser parser, DetectionHook hook) {
    return new ObjectIngester(store, parser, hook, batcher, deadLetters, metrics);
  }

  public DeadLetterWriter deadLetters() {
    return deadLetters;
  }

  public IngesterMetrics metrics() {
    return metrics;
  }

  /** Gives up on everything not yet settled: retries stop, gathered documents are dropped. */
  public void abandon() {
    abort.abort();
    status.wakeWaiters();
    batcher.abandon(new Abort.Abandoned("shutting down"));
  }

  private void flushIfDue() {
    try {
      batcher.flushIfDue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.warnf("flush failed: %s", e.toString());
    }
  }

  @Override
  public void close() {
    flusher.shutdownNow();
    sender.close();
  }
}

package dev.vigil.ingester.replay;

import dev.vigil.core.LogType;
import dev.vigil.core.parse.KeyLayouts;
import dev.vigil.core.parse.ObjectRef;
import dev.vigil.core.retry.Backoff;
import dev.vigil.ingester.config.IngesterConfig;
import dev.vigil.ingester.metrics.IngesterMetrics;
import dev.vigil.ingester.pipeline.ObjectIngester;
import dev.vigil.ingester.source.ObjectStore;
import java.io.IOException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * Replay: ingests every object under {@code replay.prefix} whose key date is within {@code
 * replay.from}..{@code replay.to} (both included) into {@code replay.index-prefix}. When the keys
 * right under the prefix start with {@code YYYY/MM/DD/}, only the days of the range are listed;
 * otherwise the whole prefix is listed and filtered. Progress is logged every 10 s, counted in
 * {@code vigil_ingester_replay_objects_total}, and checkpointed (the last key up to which
 * everything is done), so a stopped replay resumes after it. An object that still fails after three
 * attempts holds the checkpoint before it and makes the run end unsuccessful; running again retries
 * it.
 */
public final class ReplayJob {
  private static final Logger LOG = Logger.getLogger(ReplayJob.class);
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy/MM/dd/");
  private static final int ATTEMPTS = 3;
  private static final long PROGRESS_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final IngesterConfig.Replay config;
  private final LogType type;
  private final ObjectStore store;
  private final ObjectIngester ingester;
  private final IngesterMetrics metrics;
  private final int concurrency;
  private final BooleanSupplier prepare;
  private final Checkpoint checkpoint;
  private final String prefix;
  private final Backoff backoff =
      new Backoff(
          Duration.ofSeconds(1),
          Duration.ofSeconds(8),
          Backoff.Jitter.EQUAL,
          new SplittableRandom());

  /** A key in progress (or failed): the key listed just before it, and its selection ordinal. */
  private record Pending(String before, long ordinal) {}

  // Progress: keys in progress (or failed), in listing order.
  private final TreeMap<String, Pending> pending = new TreeMap<>();
  private final List<String> selectedKeys = Collections.synchronizedList(new ArrayList<>());
  private final List<String> failedKeys = Collections.synchronizedList(new ArrayList<>());
  private final AtomicLong listed = new AtomicLong();
  private final AtomicLong selected = new AtomicLong();
  private final AtomicLong done = new AtomicLong();
  private final AtomicLong documents = new AtomicLong();
  private String lastListed;
  private String savedWatermark;
  // Objects done up to the checkpoint a resumed run starts after (0 when starting afresh).
  private long doneBefore;
  private long lastReport = System.nanoTime();

  /** What a run did. */
  public record Summary(
      long listed,
      long selected,
      long done,
      long failed,
      long documents,
      String checkpointKey,
      List<String> selectedKeys) {
    public boolean succeeded() {
      return failed == 0;
    }
  }

  public ReplayJob(
      IngesterConfig.Replay config,
      LogType type,
      ObjectStore store,
      ObjectIngester ingester,
      IngesterMetrics metrics,
      int concurrency,
      BooleanSupplier prepare) {
    this.config = config;
    this.type = type;
    this.store = store;
    this.ingester = ingester;
    this.metrics = metrics;
    this.concurrency = concurrency;
    this.prepare = prepare;
    this.prefix = config.prefix().orElse("");
    this.checkpoint =
        config
            .checkpoint()
            .map(
                location ->
                    new Checkpoint(
                        store,
                        location,
                        String.join(
                            " ",
                            "s3://" + config.bucket().orElseThrow() + "/" + prefix,
                            config.from().orElseThrow().toString(),
                            config.to().orElseThrow().toString(),
                            config.indexPrefix())))
            .orElse(null);
    metrics.gauge(
        "vigil.ingester.replay.objects.selected", "Replay: objects in range so far", selected::get);
    metrics.gauge(
        "vigil.ingester.replay.objects.done",
        "Replay: objects finished so far (by earlier runs up to the checkpoint, too)",
        () -> doneBefore + done.get());
  }

  public Summary run() throws IOException, InterruptedException {
    String bucket = config.bucket().orElseThrow();
    LocalDate from = config.from().orElseThrow();
    LocalDate to = config.to().orElseThrow();
    Optional<String> resume = Optional.empty();
    if (checkpoint != null) {
      Optional<Checkpoint.Resume> stopped = checkpoint.load();
      resume = stopped.map(Checkpoint.Resume::lastCompletedKey);
      doneBefore = stopped.map(Checkpoint.Resume::objectsThrough).orElse(0L);
    }
    if (checkpoint == null) {
      LOG.warn("replay without replay.checkpoint: a stopped run starts over");
    }
    LOG.infof(
        "replay starting bucket=%s prefix=%s from=%s to=%s index_prefix=%s resume_after=%s",
        bucket, prefix, from, to, config.indexPrefix(), resume.orElse("-"));
    if (!prepare.getAsBoolean()) {
      throw new IOException("stopped before the index templates were installed");
    }
    savedWatermark = resume.orElse(null);
    lastListed = resume.orElse(null);
    ExecutorService pool =
        Executors.newFixedThreadPool(
            concurrency,
            r -> {
              Thread t = new Thread(r, "vigil-replay");
              t.setDaemon(true);
              return t;
            });
    Semaphore permits = new Semaphore(concurrency);
    ListingVisitor visitor = new ListingVisitor(bucket, from, to, pool, permits);
    try {
      Optional<String> sample = store.firstKey(bucket, prefix);
      if (sample.isPresent() && KeyLayouts.dayFoldersRightAfter(prefix, sample.get())) {
        for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
          store.list(bucket, prefix + DAY.format(day), resume.orElse(null), visitor);
        }
      } else {
        store.list(bucket, prefix, resume.orElse(null), visitor);
      }
    } finally {
      // Every object finished (progress reported meanwhile); what is done is kept even on failure.
      while (!permits.tryAcquire(concurrency, 1, TimeUnit.SECONDS)) {
        report();
      }
      pool.shutdown();
      saveCheckpoint(watermark(), false);
    }
    Watermark watermark = watermark();
    saveCheckpoint(watermark, true);
    Summary summary =
        new Summary(
            listed.get(),
            selected.get(),
            done.get(),
            failedKeys.size(),
            documents.get(),
            watermark.key(),
            List.copyOf(selectedKeys));
    LOG.infof(
        "replay %s listed=%d selected=%d done=%d failed=%d documents=%d checkpoint=%s",
        summary.succeeded() ? "finished" : "finished with failures",
        summary.listed(),
        summary.selected(),
        summary.done(),
        summary.failed(),
        summary.documents(),
        watermark.key() == null ? "-" : watermark.key());
    if (!failedKeys.isEmpty()) {
      LOG.warnf("replay objects that failed (run again to retry): %s", failedKeys);
    }
    return summary;
  }

  private final class ListingVisitor implements java.util.function.Consumer<String> {
    private final String bucket;
    private final LocalDate from;
    private final LocalDate to;
    private final ExecutorService pool;
    private final Semaphore permits;

    ListingVisitor(
        String bucket, LocalDate from, LocalDate to, ExecutorService pool, Semaphore permits) {
      this.bucket = bucket;
      this.from = from;
      this.to = to;
      this.pool = pool;
      this.permits = permits;
    }

    @Override
    public void accept(String key) {
      listed.incrementAndGet();
      Optional<LocalDate> date = KeyLayouts.date(key);
      boolean inRange = date.isPresent() && !date.get().isBefore(from) && !date.get().isAfter(to);
      if (!inRange) {
        metrics.replayObject("skipped");
        synchronized (ReplayJob.this) {
          lastListed = key;
        }
        report();
        return;
      }
      try {
        permits.acquire();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("replay interrupted", e);
      }
      selectedKeys.add(key);
      metrics.replayObject("selected");
      synchronized (ReplayJob.this) {
        pending.put(
            key, new Pending(lastListed == null ? "" : lastListed, selected.incrementAndGet()));
        lastListed = key;
      }
      pool.execute(
          () -> {
            try {
              ingest(new ObjectRef(bucket, key));
            } finally {
              permits.release();
            }
          });
      report();
    }
  }

  private void ingest(ObjectRef ref) {
    for (int attempt = 1; ; attempt++) {
      try {
        ObjectIngester.Result result = ingester.ingest(ref, type);
        documents.addAndGet(result.documents());
        done.incrementAndGet();
        metrics.replayObject(result.outcome().id());
        synchronized (this) {
          pending.remove(ref.key());
        }
        return;
      } catch (ObjectIngester.RetryLater e) {
        if (attempt == ATTEMPTS) {
          LOG.errorf(
              "replay gives up on bucket=%s key=%s after %d attempts: %s",
              ref.bucket(), ref.key(), attempt, e.getMessage());
          failedKeys.add(ref.key());
          metrics.replayObject("failed");
          return; // stays pending: the checkpoint never passes it
        }
        try {
          Thread.sleep(backoff.delay(attempt).toMillis());
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          failedKeys.add(ref.key());
          return;
        }
      }
    }
  }

  /**
   * The last key such that it and every key listed before it are done (null: none yet), and how
   * many objects that is, earlier runs' included.
   */
  private record Watermark(String key, long doneThrough) {}

  private synchronized Watermark watermark() {
    if (pending.isEmpty()) {
      return new Watermark(lastListed, doneBefore + selected.get());
    }
    Pending first = pending.firstEntry().getValue();
    return new Watermark(
        first.before().isEmpty() ? savedWatermark : first.before(),
        doneBefore + first.ordinal() - 1);
  }

  private void report() {
    long now = System.nanoTime();
    if (now - lastReport < PROGRESS_EVERY_NANOS) {
      return;
    }
    lastReport = now;
    Watermark watermark = watermark();
    LOG.infof(
        "replay progress listed=%d selected=%d done=%d failed=%d documents=%d checkpoint=%s",
        listed.get(),
        selected.get(),
        done.get(),
        failedKeys.size(),
        documents.get(),
        watermark.key() == null ? "-" : watermark.key());
    saveCheckpoint(watermark, false);
  }

  private void saveCheckpoint(Watermark watermark, boolean finished) {
    if (checkpoint == null || watermark.key() == null) {
      return;
    }
    if (!finished && watermark.key().equals(savedWatermark)) {
      return;
    }
    try {
      checkpoint.save(
          watermark.key(),
          doneBefore + done.get(),
          watermark.doneThrough(),
          finished && failedKeys.isEmpty());
      savedWatermark = watermark.key();
    } catch (IOException | RuntimeException e) {
      LOG.warnf("cannot save replay checkpoint %s: %s", checkpoint.location(), e.toString());
    }
  }
}

package dev.vigil.ingester.scan;

import dev.vigil.core.LogType;
import dev.vigil.core.ingest.BucketPrefixes;
import dev.vigil.core.parse.ObjectRef;
import dev.vigil.core.retry.Backoff;
import dev.vigil.ingester.config.IngesterConfig;
import dev.vigil.ingester.metrics.IngesterMetrics;
import dev.vigil.ingester.pipeline.ObjectIngester;
import dev.vigil.ingester.replay.Checkpoint;
import dev.vigil.ingester.source.ObjectStore;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Scan mode: one listing pass ({@link #scanOnce}) ingests the objects under {@code scan.prefix}
 * that were not ingested yet. "New" is decided by S3's last-modified time, not by key order: keys
 * of several accounts and regions interleave, and an object delivered late sorts before keys
 * already seen. A pass lists only the {@code YYYY/MM/DD/} folders from (last pass − look-back) to
 * tomorrow under each date root ({@link DateRoots}); it ingests what was written since the last
 * pass started (minus an overlap for uploads in progress) and not ingested already. The state is
 * checkpointed after every pass (and on stop), so a restarted pod resumes instead of listing and
 * reading everything again. Deterministic document ids make the rare re-read harmless; missing an
 * object is what the design avoids. Only one process may scan a prefix.
 */
public final class ScanJob {
  private static final Logger LOG = Logger.getLogger(ScanJob.class);
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy/MM/dd/");
  private static final int ATTEMPTS = 3;
  private static final List<String> OWN_FOLDERS = BucketPrefixes.OWN;

  private final IngesterConfig.Scan config;
  private final LogType type;
  private final ObjectStore store;
  private final ObjectIngester ingester;
  private final IngesterMetrics metrics;
  private final int concurrency;
  private final Clock clock;
  private final Checkpoint checkpoint;
  private final String bucket;
  private final String prefix;
  private final String checkpointKey;
  private final Backoff backoff =
      new Backoff(
          Duration.ofSeconds(1),
          Duration.ofSeconds(8),
          Backoff.Jitter.EQUAL,
          new SplittableRandom());
  private final AtomicReference<Instant> newest = new AtomicReference<>();
  private final AtomicLong lastCompleted = new AtomicLong();
  private volatile boolean stopping;
  private ScanState state;

  /** What one pass did. */
  public record Pass(
      int roots, int listings, long listed, long ingested, long failed, boolean completed) {}

  public ScanJob(
      IngesterConfig.Scan config,
      LogType type,
      ObjectStore store,
      ObjectIngester ingester,
      IngesterMetrics metrics,
      int concurrency,
      Clock clock) {
    this.config = config;
    this.type = type;
    this.store = store;
    this.ingester = ingester;
    this.metrics = metrics;
    this.concurrency = concurrency;
    this.clock = clock;
    this.bucket = config.bucket().orElseThrow();
    this.prefix = config.prefix().orElse("");
    this.checkpoint =
        config
            .checkpoint()
            .map(location -> new Checkpoint(store, location, "scan s3://" + bucket + "/" + prefix))
            .orElse(null);
    this.checkpointKey =
        config
            .checkpoint()
            .filter(c -> c.startsWith("s3://" + bucket + "/"))
            .map(c -> c.substring(("s3://" + bucket + "/").length()))
            .orElse(null);
    metrics.gauge(
        "vigil.ingester.scan.lag.seconds",
        "Scan: seconds since the newest object listed was written",
        () ->
            newest.get() == null ? 0 : Duration.between(newest.get(), clock.instant()).toSeconds());
    metrics.gauge(
        "vigil.ingester.scan.last.completed.timestamp.seconds",
        "Scan: end of the last completed pass (epoch seconds; 0 before the first)",
        lastCompleted::get);
  }

  /** Ends a pass in progress after the objects in flight; the state is checkpointed. */
  public void stop() {
    stopping = true;
  }

  /** One listing pass; returns when every object it selected is finished. */
  public Pass scanOnce() throws IOException, InterruptedException {
    Instant started = clock.instant();
    long startNanos = System.nanoTime();
    if (state == null) {
      state = load(started);
    }
    LocalDate today = started.atZone(ZoneOffset.UTC).toLocalDate();
    // What was written since (watermark − overlap) lands at most look-back behind in key dates.
    LocalDate from = date(state.watermark.minus(config.overlap()).minus(config.lookBack()));
    List<String> roots = DateRoots.find(store, bucket, prefix, this::own);
    ExecutorService pool =
        Executors.newFixedThreadPool(
            concurrency,
            r -> {
              Thread t = new Thread(r, "vigil-scan-ingest");
              t.setDaemon(true);
              return t;
            });
    Semaphore permits = new Semaphore(concurrency);
    Visitor visitor = new Visitor(pool, permits);
    int listings = 0;
    boolean completed = false;
    try {
      if (roots.isEmpty()) {
        listings++;
        store.listObjects(bucket, prefix, visitor); // no dated layout: the whole prefix
      } else {
        for (String root : roots) {
          for (LocalDate day = from; !day.isAfter(today.plusDays(1)); day = day.plusDays(1)) {
            listings++;
            store.listObjects(bucket, root + DAY.format(day), visitor);
          }
        }
      }
      completed = true;
    } catch (Stopped e) {
      LOG.info("scan stopped during a pass; objects in flight finish");
    } finally {
      permits.acquire(concurrency);
      pool.shutdown();
      if (!completed) {
        save(); // what was done counts even when listing failed
      }
    }
    completed = completed && !stopping;
    if (completed) {
      state.passCompleted(started, config.overlap(), visitor.failedListed);
      lastCompleted.set(clock.instant().getEpochSecond());
    }
    save();
    Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
    metrics.scanDuration(took);
    metrics.scanObjects("listed", visitor.listed.get());
    Pass pass =
        new Pass(
            roots.size(),
            listings,
            visitor.listed.get(),
            visitor.ingested.get(),
            visitor.failed.get(),
            completed);
    LOG.infof(
        "scan pass %s bucket=%s prefix=%s roots=%d listings=%d listed=%d ingested=%d failed=%d"
            + " took=%dms",
        completed ? "completed" : "stopped",
        bucket,
        prefix,
        pass.roots(),
        pass.listings(),
        pass.listed(),
        pass.ingested(),
        pass.failed(),
        took.toMillis());
    return pass;
  }

  private static LocalDate date(Instant instant) {
    return instant.atZone(ZoneOffset.UTC).toLocalDate();
  }

  /** Keys never ingested: Vigil's own objects, and keys without the configured suffix. */
  private boolean skipped(String key) {
    return own(key) || config.suffix().map(suffix -> !key.endsWith(suffix)).orElse(false);
  }

  private boolean own(String key) {
    if (key.equals(checkpointKey)) {
      return true;
    }
    return OWN_FOLDERS.stream().anyMatch(key::startsWith);
  }

  private ScanState load(Instant now) {
    ScanState fresh = new ScanState(now.minus(config.lookBack()));
    if (checkpoint == null) {
      LOG.warn("scan without scan.checkpoint: a restart ingests the look-back window again");
      return fresh;
    }
    try {
      ScanState loaded = checkpoint.loadState().flatMap(ScanState::fromJson).orElse(null);
      if (loaded == null) {
        LOG.infof("scan starting afresh: objects written since %s are ingested", fresh.watermark);
        return fresh;
      }
      LOG.infof(
          "scan resuming from checkpoint %s: watermark=%s recent=%d failed=%d",
          checkpoint.location(), loaded.watermark, loaded.recent.size(), loaded.failed.size());
      return loaded;
    } catch (Checkpoint.OtherScopeException e) {
      LOG.warnf("%s; starting afresh (the prefix changed?)", e.getMessage());
      return fresh;
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot read scan checkpoint " + checkpoint.location() + ": " + e.getMessage(), e);
    }
  }

  private void save() {
    if (checkpoint == null) {
      return;
    }
    try {
      checkpoint.saveState(state.toJson());
    } catch (IOException | RuntimeException e) {
      LOG.warnf("cannot save scan checkpoint %s: %s", checkpoint.location(), e.toString());
    }
  }

  private static final class Stopped extends RuntimeException {
    Stopped() {
      super(null, null, false, false);
    }
  }

  private final class Visitor implements java.util.function.Consumer<ObjectStore.Listed> {
    private final ExecutorService pool;
    private final Semaphore permits;
    final AtomicLong listed = new AtomicLong();
    final AtomicLong ingested = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final Set<String> failedListed = ConcurrentHashMap.newKeySet();

    Visitor(ExecutorService pool, Semaphore permits) {
      this.pool = pool;
      this.permits = permits;
    }

    @Override
    public void accept(ObjectStore.Listed object) {
      if (stopping) {
        throw new Stopped();
      }
      listed.incrementAndGet();
      newest.accumulateAndGet(object.lastModified(), (a, b) -> a == null || b.isAfter(a) ? b : a);
      if (state.hasFailed(object.key())) {
        failedListed.add(object.key());
      }
      if (skipped(object.key())
          || !state.isNew(object.key(), object.lastModified(), config.overlap())) {
        return;
      }
      try {
        permits.acquire();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new Stopped();
      }
      pool.execute(
          () -> {
            try {
              if (ingest(new ObjectRef(bucket, object.key()))) {
                state.done(object.key(), object.lastModified());
                ingested.incrementAndGet();
                metrics.scanObjects("ingested", 1);
              } else {
                state.markFailed(object.key());
                failedListed.add(object.key());
                failed.incrementAndGet();
                metrics.scanObjects("failed", 1);
              }
            } finally {
              permits.release();
            }
          });
    }
  }

  /** True when the object is finished (indexed, dead-lettered or gone), false to try later. */
  private boolean ingest(ObjectRef ref) {
    for (int attempt = 1; ; attempt++) {
      try {
        ingester.ingest(ref, type);
        return true;
      } catch (ObjectIngester.RetryLater e) {
        if (attempt == ATTEMPTS || stopping) {
          LOG.warnf(
              "scan leaves bucket=%s key=%s for the next pass after %d attempts: %s",
              ref.bucket(), ref.key(), attempt, e.getMessage());
          return false;
        }
        try {
          Thread.sleep(backoff.delay(attempt).toMillis());
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
  }
}

package dev.vigil.ingester.pipeline;

import dev.vigil.core.LogType;
import dev.vigil.core.retry.Backoff;
import dev.vigil.ingester.metrics.IngesterMetrics;
import dev.vigil.ingester.opensearch.BulkTransport;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.function.IntUnaryOperator;
import org.jboss.logging.Logger;

/**
 * Sends bulk requests, at most {@code concurrency} at a time (callers block beyond that, which
 * bounds memory), and settles every document: acknowledged items are counted for their object; 429
 * and 5xx items — or the whole request when OpenSearch cannot be reached, throttles or fails — are
 * sent again after a capped, jittered exponential backoff (cut short when OpenSearch becomes
 * reachable again), for as long as the ingester runs; items that can never succeed go to the
 * dead-letter destination with their error — waiting aside, not on a sender thread, while it fails.
 */
public final class BulkSender implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(BulkSender.class);

  private final BulkTransport transport;
  private final DeadLetterWriter deadLetters;
  private final Backoff backoff;
  private final Abort abort;
  private final IngesterMetrics metrics;
  private final OpenSearchStatus status;
  private final Semaphore permits;
  private final ExecutorService pool;

  public BulkSender(
      BulkTransport transport,
      DeadLetterWriter deadLetters,
      Backoff backoff,
      Abort abort,
      IngesterMetrics metrics,
      OpenSearchStatus status,
      int concurrency) {
    this.transport = transport;
    this.deadLetters = deadLetters;
    this.backoff = backoff;
    this.abort = abort;
    this.metrics = metrics;
    this.status = status;
    this.permits = new Semaphore(concurrency);
    this.pool =
        Executors.newFixedThreadPool(
            concurrency,
            r -> {
              Thread t = new Thread(r, "vigil-bulk");
              t.setDaemon(true);
              return t;
            });
  }

  /** Hands a batch to a sender thread, waiting while {@code concurrency} requests are in flight. */
  void submit(Batch batch) throws InterruptedException {
    permits.acquire();
    try {
      pool.execute(
          () -> {
            try {
              deliver(batch, 0);
            } catch (RuntimeException | Error e) {
              if (abort.aborted() || e instanceof Abort.Abandoned) {
                LOG.debugf("bulk delivery of %d documents abandoned: %s", batch.size(), e);
              } else {
                LOG.errorf(e, "bulk delivery of %d documents failed", batch.size());
              }
              failAll(batch, e);
            } finally {
              permits.release();
            }
          });
    } catch (RejectedExecutionException e) {
      permits.release();
      failAll(batch, e);
    }
  }

  /** Sends until every item is settled; throws {@link Abort.Abandoned} when aborted. */
  private void deliver(Batch batch, int depth) {
    Batch pending = batch;
    for (int attempt = 0; pending != null; attempt++) {
      if (abort.aborted()) {
        failAll(pending, new Abort.Abandoned("shutting down"));
        return;
      }
      // Taken before the attempt: a recovery the probe sees while it fails still wakes the retry.
      long recoveries = status.recoveries();
      Outcome outcome = attempt(pending, depth);
      if (outcome.split) {
        int half = pending.size() / 2;
        deliver(pending.range(0, half), depth + 1);
        deliver(pending.range(half, pending.size()), depth + 1);
        return;
      }
      pending = outcome.retry;
      if (pending != null) {
        metrics.retry(outcome.reason, pending.size());
        Duration delay = backoff.delay(attempt);
        LOG.debugf(
            "retrying %d documents in %d ms (%s, attempt %d)",
            pending.size(), delay.toMillis(), outcome.reason, attempt + 1);
        try {
          status.awaitRecovery(recoveries, delay, abort);
        } catch (Abort.Abandoned e) {
          failAll(pending, e);
          return;
        }
      }
    }
  }

  private Outcome attempt(Batch batch, int depth) {
    long start = System.nanoTime();
    BulkTransport.Reply reply;
    try {
      reply = transport.bulk(batch.body());
    } catch (IOException e) {
      status.unreachable(e.toString());
      return Outcome.retry(batch, "unreachable");
    } finally {
      metrics.bulk(Duration.ofNanos(System.nanoTime() - start));
    }
    int code = reply.status();
    if (code == 429) {
      status.answered();
      return Outcome.retry(batch, "throttled");
    }
    if (code >= 500) {
      // A gateway's 502/503/504 says nothing about OpenSearch itself; count it as unreachable for
      // readiness only when it persists (the probe decides).
      return Outcome.retry(batch, "server_error");
    }
    status.answered();
    if (code == 413 || code == 400) {
      if (batch.size() > 1) {
        LOG.warnf(
            "bulk request of %d documents (%d bytes) refused with HTTP %d; splitting it",
            batch.size(), batch.bytes(), code);
        return Outcome.SPLIT;
      }
      String reason = "request refused with HTTP " + code + ": " + BulkItems.excerpt(reply.body());
      deadLetter(batch, List.of(0), i -> code, i -> reason, i -> "http_" + code);
      return Outcome.DONE;
    }
    if (code < 200 || code >= 300) {
      // 401/403 (credentials being rotated), 404 from a proxy...: not the documents' fault.
      LOG.warnf("bulk request answered HTTP %d: %s", code, BulkItems.excerpt(reply.body()));
      return Outcome.retry(batch, "http_" + code);
    }
    BulkItems items;
    try {
      items = BulkItems.parse(reply.body(), batch.size());
    } catch (IOException e) {
      LOG.warnf("unreadable bulk response, sending again: %s", e.getMessage());
      return Outcome.retry(batch, "bad_response");
    }
    return settle(batch, items);
  }

  private Outcome settle(Batch batch, BulkItems items) {
    int n = batch.size();
    if (!items.errors()) {
      acknowledge(batch, null, null);
      return Outcome.DONE;
    }
    boolean[] acked = new boolean[n];
    boolean[] stale = new boolean[n];
    List<Integer> retry = new ArrayList<>();
    List<Integer> dead = new ArrayList<>();
    String retryReason = null;
    for (int i = 0; i < n; i++) {
      int s = items.statuses()[i];
      if (s >= 200 && s < 300) {
        acked[i] = true;
      } else if (s == 409 && batch.isLatest(i)) {
        // The latest-state index holds a newer update of the finding: this one is rightly not
        // written (an object arriving late, or replayed). Done, not a failure.
        stale[i] = true;
      } else if (s == 429 || s >= 500) {
        retry.add(i);
        if (retryReason == null || s == 429) {
          retryReason = s == 429 ? "throttled" : "server_error";
        }
      } else {
        dead.add(i);
      }
    }
    acknowledge(batch, acked, stale);
    if (!dead.isEmpty()) {
      deadLetter(batch, dead, i -> items.statuses()[i], items::errorText, items::errorType);
    }
    if (retry.isEmpty()) {
      return Outcome.DONE;
    }
    return Outcome.retry(
        batch.subset(retry.stream().mapToInt(Integer::intValue).toArray()), retryReason);
  }

  /**
   * Counts acknowledged items (all when {@code which} is null) and latest-state writes refused as
   * stale ({@code stale}, may be null) for their objects and types.
   */
  private void acknowledge(Batch batch, boolean[] which, boolean[] stale) {
    Map<ObjectWork, long[]> perOwner = new IdentityHashMap<>();
    int types = LogType.values().length;
    long[] perType = new long[types];
    long[] written = new long[types];
    long[] refused = new long[types];
    for (int i = 0; i < batch.size(); i++) {
      boolean isStale = stale != null && stale[i];
      if (!isStale && which != null && !which[i]) {
        continue;
      }
      long[] counts = perOwner.computeIfAbsent(batch.owner(i), o -> new long[2]);
      int type = batch.type(i).ordinal();
      if (!batch.isLatest(i)) {
        counts[0]++;
        perType[type]++;
      } else {
        counts[1]++;
        (isStale ? refused : written)[type]++;
      }
    }
    for (LogType type : LogType.values()) {
      metrics.indexed(type, perType[type.ordinal()]);
      metrics.latest(type, "written", written[type.ordinal()]);
      metrics.latest(type, "stale", refused[type.ordinal()]);
    }
    perOwner.forEach((owner, counts) -> owner.settled(counts[0], 0, counts[1]));
  }

  /**
   * Writes the items to the dead letters, then settles them. While the destination fails they wait
   * aside (see {@link DeadLetterWriter#writeAside}), not on this thread: bulk requests of good
   * objects go on meanwhile.
   */
  private void deadLetter(
      Batch batch,
      List<Integer> items,
      IntUnaryOperator status,
      IntFunction<String> reason,
      IntFunction<String> reasonType) {
    List<DeadLetter> letters = new ArrayList<>(items.size());
    ObjectWork[] owners = new ObjectWork[items.size()];
    LogType[] types = new LogType[items.size()];
    String[] reasonTypes = new String[items.size()];
    for (int k = 0; k < items.size(); k++) {
      int i = items.get(k);
      String[] target = batch.target(i);
      letters.add(
          DeadLetter.document(
              batch.owner(i).ref(),
              target[0],
              target[1],
              status.applyAsInt(i),
              reason.apply(i),
              batch.source(i)));
      owners[k] = batch.owner(i);
      types[k] = batch.type(i);
      reasonTypes[k] = reasonType.apply(i);
    }
    Set<ObjectWork> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
    distinct.addAll(Arrays.asList(owners));
    deadLetters.writeAside(
        letters,
        distinct,
        () -> {
          DeadLetter first = letters.get(0);
          LOG.warnf(
              "%d documents dead-lettered to %s; first bucket=%s key=%s id=%s status=%d reason=%s",
              letters.size(),
              deadLetters.describe(),
              first.origin().bucket(),
              first.origin().key(),
              first.id(),
              first.status(),
              first.reason());
          for (int k = 0; k < owners.length; k++) {
            metrics.failed(types[k], reasonTypes[k], 1);
            owners[k].settled(0, 1);
          }
        },
        failure -> distinct.forEach(owner -> owner.fail(failure)));
  }

  private static void failAll(Batch batch, Throwable cause) {
    for (int i = 0; i < batch.size(); i++) {
      batch.owner(i).fail(cause);
    }
  }

  /** Stops the sender threads (after {@link Abort#abort()} they finish quickly). */
  @Override
  public void close() {
    pool.shutdownNow();
    try {
      pool.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private record Outcome(Batch retry, String reason, boolean split) {
    static final Outcome DONE = new Outcome(null, null, false);
    static final Outcome SPLIT = new Outcome(null, null, true);

    static Outcome retry(Batch batch, String reason) {
      return new Outcome(batch, reason, false);
    }
  }
}

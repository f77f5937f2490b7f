package dev.vigil.ingester.pipeline;

import dev.vigil.core.LogType;
import dev.vigil.core.parse.BulkBody;
import dev.vigil.core.parse.ParsedDocument;
import java.time.Duration;
import java.util.Arrays;

/**
 * Gathers the documents of every object being parsed into one bulk request and hands it to the
 * {@link BulkSender} when it holds {@code maxDocuments}, would grow past {@code maxBytes}, has
 * waited {@code flushInterval}, or no parser is running any more (the last objects are done, so
 * nothing else will fill it soon). A full sender blocks {@link #add}, which bounds memory.
 */
public final class BulkBatcher {
  private static final int ACTION_BYTES = 160; // room for an action line, for the size check

  private final BulkSender sender;
  private final Abort abort;
  private final int maxDocuments;
  private final long maxBytes;
  private final long flushIntervalNanos;
  private final Object lock = new Object();

  private final BulkBody body;
  private int[] starts = new int[1024];
  private ObjectWork[] owners = new ObjectWork[1024];
  private LogType[] types = new LogType[1024];
  private boolean[] latest = new boolean[1024];
  private int count;
  private long openedAt;
  private int activeParsers;

  public BulkBatcher(
      BulkSender sender, Abort abort, int maxDocuments, long maxBytes, Duration flushInterval) {
    this.sender = sender;
    this.abort = abort;
    this.maxDocuments = maxDocuments;
    this.maxBytes = maxBytes;
    this.flushIntervalNanos = flushInterval.toNanos();
    this.body = new BulkBody((int) Math.min(maxBytes + 64 * 1024, 8 * 1024 * 1024));
  }

  /**
   * Adds a document of {@code owner}; may wait for a free sender.
   *
   * @throws Abort.Abandoned once shutdown has abandoned in-flight work
   */
  public void add(ParsedDocument document, ObjectWork owner) throws InterruptedException {
    abort.check();
    Batch full = null;
    Batch sealed;
    synchronized (lock) {
      long adding =
          (document.sourceLength() + (long) ACTION_BYTES) * (document.latest() != null ? 2 : 1);
      if (count > 0 && body.bytes() + adding > maxBytes) {
        full = seal();
      }
      if (count == 0) {
        openedAt = System.nanoTime();
      }
      item(owner, document.type(), false);
      body.add(document);
      owner.submitted();
      if (document.latest() != null) {
        // In the same request as the per-update document, for the same object: the object is
        // settled only once both are.
        item(owner, document.type(), true);
        body.addLatest(document);
        owner.submittedLatest();
      }
      sealed = count >= maxDocuments ? seal() : null;
    }
    if (full != null) {
      sender.submit(full);
    }
    if (sealed != null) {
      sender.submit(sealed);
    }
  }

  /** A parser starts on an object. */
  public void parsingStarted() {
    synchronized (lock) {
      activeParsers++;
    }
  }

  /**
   * A parser ended; when it was the last one running, what is gathered is sent now rather than
   * after the flush interval.
   */
  public void parsingFinished() throws InterruptedException {
    Batch sealed = null;
    synchronized (lock) {
      activeParsers--;
      if (activeParsers == 0 && count > 0) {
        sealed = seal();
      }
    }
    if (sealed != null) {
      sender.submit(sealed);
    }
  }

  /** Sends what has waited for the flush interval (called by a timer). */
  public void flushIfDue() throws InterruptedException {
    Batch sealed = null;
    synchronized (lock) {
      if (count > 0 && System.nanoTime() - openedAt >= flushIntervalNanos) {
        sealed = seal();
      }
    }
    if (sealed != null) {
      sender.submit(sealed);
    }
  }

  /** Sends whatever is gathered. */
  public void flush() throws InterruptedException {
    Batch sealed = null;
    synchronized (lock) {
      if (count > 0) {
        sealed = seal();
      }
    }
    if (sealed != null) {
      sender.submit(sealed);
    }
  }

  /** Abandons what is gathered (shutdown): its objects fail and their messages are released. */
  public void abandon(Throwable cause) {
    synchronized (lock) {
      for (int i = 0; i < count; i++) {
        owners[i].fail(cause);
      }
      body.reset();
      Arrays.fill(owners, 0, count, null);
      count = 0;
    }
  }

  /** Notes an item about to be added to the body (under the lock). */
  private void item(ObjectWork owner, LogType type, boolean isLatest) {
    if (count == starts.length - 1) {
      int grown = starts.length * 2;
      starts = Arrays.copyOf(starts, grown);
      owners = Arrays.copyOf(owners, grown);
      types = Arrays.copyOf(types, grown);
      latest = Arrays.copyOf(latest, grown);
    }
    starts[count] = body.bytes();
    owners[count] = owner;
    types[count] = type;
    latest[count] = isLatest;
    count++;
  }

  private Batch seal() {
    int[] itemStarts = Arrays.copyOf(starts, count + 1);
    itemStarts[count] = body.bytes();
    Batch batch =
        new Batch(
            body.toByteArray(),
            itemStarts,
            Arrays.copyOf(owners, count),
            Arrays.copyOf(types, count),
            Arrays.copyOf(latest, count));
    body.reset();
    Arrays.fill(owners, 0, count, null);
    count = 0;
    return batch;
  }
}

package dev.vigil.ingester.pipeline;

import dev.vigil.core.LogType;
import dev.vigil.core.parse.DocumentSink;
import dev.vigil.core.parse.ObjectParser;
import dev.vigil.core.parse.ObjectRef;
import dev.vigil.core.parse.ParseSummary;
import dev.vigil.core.parse.ParsedDocument;
import dev.vigil.core.parse.Rejection;
import dev.vigil.core.parse.UnreadableInputException;
import dev.vigil.ingester.detect.DetectionHook;
import dev.vigil.ingester.metrics.IngesterMetrics;
import dev.vigil.ingester.source.ObjectStore;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Ingests one S3 object: streams it from S3 through the parser (never whole in memory), passes each
 * document through the detection hook into the shared bulk batcher, and returns only when every
 * document is settled — indexed, or dead-lettered with its error. Records the parser rejects, and
 * objects that cannot be read at all, are dead-lettered too. A failure that may pass (S3 or the
 * network, shutdown) is thrown as {@link RetryLater}, so the message is released instead.
 */
public final class ObjectIngester {
  private static final Logger LOG = Logger.getLogger(ObjectIngester.class);

  /** Rejected records of one object kept with their reasons; the rest are counted. */
  private static final int MAX_REJECTIONS_KEPT = 1000;

  private final ObjectStore store;
  private final ObjectParser parser;
  private final DetectionHook hook;
  private final BulkBatcher batcher;
  private final DeadLetterWriter deadLetters;
  private final IngesterMetrics metrics;

  public ObjectIngester(
      ObjectStore store,
      ObjectParser parser,
      DetectionHook hook,
      BulkBatcher batcher,
      DeadLetterWriter deadLetters,
      IngesterMetrics metrics) {
    this.store = store;
    this.parser = parser;
    this.hook = hook;
    this.batcher = batcher;
    this.deadLetters = deadLetters;
    this.metrics = metrics;
  }

  /** What became of an object. */
  public record Result(
      ObjectRef ref,
      LogType type,
      Outcome outcome,
      long documents,
      long indexed,
      long deadLettered,
      long rejected,
      Duration took) {}

  public enum Outcome {
    /** Every document indexed. */
    INDEXED,
    /** Indexed, but some records or documents went to the dead letters. */
    PARTIAL,
    /** Nothing could be read; the object itself is dead-lettered. */
    DEAD_LETTERED,
    /** The object no longer exists: nothing to do. */
    MISSING,
    /** A dead letter this ingester wrote, announced by the bucket: never ingested. */
    OWN_DEAD_LETTER;

    public String id() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** The object could not be finished now but may be later: release its message. */
  public static final class RetryLater extends Exception {
    public RetryLater(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * @param type the queue's log type, or null to detect it
   */
  public Result ingest(ObjectRef ref, LogType type) throws RetryLater {
    long start = System.nanoTime();
    MDC.put("bucket", ref.bucket());
    MDC.put("key", ref.key());
    try {
      return run(ref, type, start);
    } finally {
      MDC.remove("bucket");
      MDC.remove("key");
    }
  }

  private Result run(ObjectRef ref, LogType type, long start) throws RetryLater {
    if (deadLetters.wrote(ref)) {
      LOG.debugf("own dead letter, not ingested bucket=%s key=%s", ref.bucket(), ref.key());
      metrics.object(type, Outcome.OWN_DEAD_LETTER.id());
      return new Result(ref, type, Outcome.OWN_DEAD_LETTER, 0, 0, 0, 0, since(start));
    }
    ObjectWork work = new ObjectWork(ref);
    work.leaveSlotWith(deadLetters.slotLeaver());
    Sink sink = new Sink(work);
    SourceStream source = null;
    ParseSummary summary = null;
    String unreadable = null;
    batcher.parsingStarted();
    try {
      try (InputStream raw = store.open(ref.bucket(), ref.key())) {
        source = new SourceStream(raw);
        summary = parser.parse(source, ref, type, sink);
      }
    } catch (ObjectStore.NoSuchObjectException e) {
      LOG.infof("object missing, nothing to ingest bucket=%s key=%s", ref.bucket(), ref.key());
      metrics.object(type, Outcome.MISSING.id());
      return new Result(ref, type, Outcome.MISSING, 0, 0, 0, 0, since(start));
    } catch (Abort.Abandoned e) {
      throw new RetryLater("abandoned while parsing: " + e.getMessage(), e);
    } catch (UnreadableInputException e) {
      if (source != null && source.failure != null) {
        throw retry(ref, source.failure);
      }
      unreadable = e.getMessage();
    } catch (IOException e) {
      throw retry(ref, source != null && source.failure != null ? source.failure : e);
    } catch (RuntimeException e) {
      if (source != null && source.failure != null) {
        throw retry(ref, source.failure);
      }
      if (source == null) {
        // S3 refused the GET (an SDK exception: throttling, permissions): maybe later.
        throw retry(ref, e);
      }
      LOG.errorf(e, "parser failed bucket=%s key=%s", ref.bucket(), ref.key());
      unreadable = "the parser failed: " + e;
    } finally {
      try {
        batcher.parsingFinished();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      work.parsingFinished();
    }
    if (source != null && source.failure != null) {
      // The parser may have taken a broken download for damaged data; only S3 can tell.
      throw retry(ref, source.failure);
    }
    try {
      work.await();
    } catch (ExecutionException e) {
      throw new RetryLater("documents not settled: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RetryLater("interrupted", e);
    }
    LogType resolved = summary != null ? summary.type() : type;
    List<DeadLetter> letters = new ArrayList<>();
    if (unreadable != null) {
      letters.add(DeadLetter.object(ref, unreadable));
    }
    for (Rejection rejection : sink.rejections) {
      letters.add(
          rejection.record() == 0
              ? DeadLetter.object(ref, rejection.reason())
              : DeadLetter.record(rejection));
    }
    if (sink.rejected > sink.rejections.size()) {
      letters.add(
          DeadLetter.object(
              ref,
              (sink.rejected - sink.rejections.size())
                  + " more records rejected; the first "
                  + MAX_REJECTIONS_KEPT
                  + " are listed"));
    }
    try {
      deadLetters.write(letters);
    } catch (Abort.Abandoned e) {
      throw new RetryLater("dead letters not written: " + e.getMessage(), e);
    }
    long documents = work.submittedCount();
    metrics.parsed(resolved, documents);
    metrics.failed(resolved, "parse", sink.rejected);
    metrics.skipped(resolved, sink.skippedEvents, sink.skippedBytes);
    Outcome outcome;
    if (unreadable != null && documents == 0) {
      outcome = Outcome.DEAD_LETTERED;
      metrics.failed(resolved, "unreadable", 1);
    } else if (unreadable != null || sink.rejected > 0 || work.deadLetteredCount() > 0) {
      outcome = Outcome.PARTIAL;
    } else {
      outcome = Outcome.INDEXED;
    }
    metrics.object(resolved, outcome.id());
    Result result =
        new Result(
            ref,
            resolved,
            outcome,
            documents,
            work.indexedCount(),
            work.deadLetteredCount(),
            sink.rejected,
            since(start));
    if (outcome == Outcome.DEAD_LETTERED) {
      LOG.warnf(
          "object dead-lettered bucket=%s key=%s reason=%s destination=%s",
          ref.bucket(), ref.key(), unreadable, deadLetters.describe());
    } else {
      LOG.infof(
          "object %s bucket=%s key=%s type=%s documents=%d indexed=%d dead_lettered=%d"
              + " rejected=%d ms=%d",
          outcome.id(),
          ref.bucket(),
          ref.key(),
          resolved == null ? "unknown" : resolved.id(),
          documents,
          result.indexed(),
          result.deadLettered(),
          result.rejected(),
          result.took().toMillis());
    }
    return result;
  }

  private static RetryLater retry(ObjectRef ref, Throwable cause) {
    return new RetryLater("cannot read " + ref + " now: " + cause, cause);
  }

  private static Duration since(long start) {
    return Duration.ofNanos(System.nanoTime() - start);
  }

  private final class Sink implements DocumentSink {
    private final ObjectWork work;
    private final List<Rejection> rejections = new ArrayList<>();
    private long rejected;
    private long skippedEvents;
    private long skippedBytes;
    private boolean hookFailureLogged;

    Sink(ObjectWork work) {
      this.work = work;
    }

    @Override
    public void document(ParsedDocument document) {
      try {
        hook.inspect(document);
      } catch (RuntimeException e) {
        metrics.hookFailed();
        if (!hookFailureLogged) {
          hookFailureLogged = true;
          LOG.warnf(
              e,
              "detection hook failed bucket=%s key=%s id=%s (document indexed anyway)",
              work.ref().bucket(),
              work.ref().key(),
              document.id());
        }
      }
      try {
        batcher.add(document, work);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new Abort.Abandoned("interrupted");
      }
    }

    // The hook and the batcher are done with a document when they return (the batcher copies it
    // into the bulk body), so parsers need not copy each source out of their buffer first.
    @Override
    public boolean readsDocumentsInPlace() {
      return true;
    }

    @Override
    public String[] memberNames(LogType type) {
      return hook.memberNames(type);
    }

    @Override
    public void rejected(Rejection rejection) {
      rejected++;
      if (rejection.isSkippedRange()) {
        skippedEvents += rejection.skippedEvents();
        skippedBytes += rejection.skippedBytes();
      }
      if (rejections.size() < MAX_REJECTIONS_KEPT) {
        rejections.add(rejection);
      }
    }
  }

  /** Remembers a failure of the S3 download, which the parser might otherwise take for data. */
  private static final class SourceStream extends FilterInputStream {
    private volatile Throwable failure;

    SourceStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      try {
        return super.read();
      } catch (IOException | RuntimeException e) {
        failure = e;
        throw e instanceof IOException io ? io : new IOException(e);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return super.read(b, off, len);
      } catch (IOException | RuntimeException e) {
        failure = e;
        throw e instanceof IOException io ? io : new IOException(e);
      }
    }

    @Override
    public long skip(long n) throws IOException {
      try {
        return super.skip(n);
      } catch (IOException | RuntimeException e) {
        failure = e;
        throw e instanceof IOException io ? io : new IOException(e);
      }
    }
  }
}

package dev.vigil.ingester.pipeline;

import dev.vigil.core.retry.Backoff;
import dev.vigil.ingester.metrics.IngesterMetrics;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Writes dead letters, retrying with backoff until the destination takes them: a document counts as
 * settled only once its dead letter is stored, so a failing destination holds messages back instead
 * of losing data.
 *
 * <p>Waiting for the destination must not take every object slot (poison objects would then stall
 * good ones behind them): a message's worker that finds the destination failing gives up its slot
 * (see {@link #leavingSlot}) and waits outside it, at most {@code waiters} at once; beyond that the
 * write throws {@link Unavailable} and the message is left to come back after its visibility
 * timeout. Memory stays bounded: at most {@code waiters} lists of letters wait.
 *
 * <p>Documents OpenSearch refuses for good are dead-lettered by a bulk sender thread, which must
 * not wait either (good objects' bulk requests would queue behind it): {@link #writeAside} tries
 * once and, when the destination fails, lets the letters wait on this writer's own thread — their
 * messages leaving their object slots under the same bound — or has the messages come back later.
 */
public final class DeadLetterWriter {
  private static final Logger LOG = Logger.getLogger(DeadLetterWriter.class);

  private final DeadLetterSink sink;
  private final Backoff backoff;
  private final Abort abort;
  private final IngesterMetrics metrics;
  private final Semaphore waiters;
  private final ThreadLocal<Runnable> slot = new ThreadLocal<>();
  private final Semaphore asideLists;
  private final ExecutorService aside =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "vigil-dead-letters-aside");
            t.setDaemon(true);
            return t;
          });

  /**
   * @param waiters how many messages may wait for a failing destination outside their slot
   */
  public DeadLetterWriter(
      DeadLetterSink sink, Backoff backoff, Abort abort, IngesterMetrics metrics, int waiters) {
    this.sink = sink;
    this.backoff = backoff;
    this.abort = abort;
    this.metrics = metrics;
    this.waiters = new Semaphore(waiters);
    this.asideLists = new Semaphore(Math.max(1, waiters));
  }

  /**
   * What the calling worker runs to give up its object slot (see {@link #leavingSlot}), or null:
   * kept with an object's documents, whose dead letters a bulk sender may write later.
   */
  public Runnable slotLeaver() {
    return slot.get();
  }

  /**
   * Writes the dead letters of documents of {@code owners} without holding the calling (bulk
   * sender) thread while the destination fails: one attempt here; if it fails, the letters wait on
   * this writer's own thread, their owners' messages leaving their object slots, and {@code stored}
   * runs once they are stored, {@code failed} on shutdown. When enough lists or messages wait
   * already, nothing waits: {@code failed} gets {@link Unavailable} at once (the messages come back
   * after their visibility timeout). Memory stays bounded: at most {@code waiters} lists wait.
   */
  void writeAside(
      List<DeadLetter> letters,
      Collection<ObjectWork> owners,
      Runnable stored,
      Consumer<RuntimeException> failed) {
    try {
      abort.check();
      sink.write(letters);
      counted(letters);
      stored.run();
      return;
    } catch (IOException | RuntimeException e) {
      if (e instanceof Abort.Abandoned abandoned) {
        failed.accept(abandoned);
        return;
      }
      metrics.deadLetterWriteFailed();
      LOG.warnf(
          "cannot write %d dead letters to %s (retrying aside): %s",
          letters.size(), sink.describe(), e.toString());
      boolean placed = asideLists.tryAcquire();
      if (!placed || !leaveSlots(owners)) {
        if (placed) {
          asideLists.release();
        }
        failed.accept(
            new Unavailable(
                "dead-letter destination "
                    + sink.describe()
                    + " failing ("
                    + e
                    + ") and other documents already wait for it"));
        return;
      }
    }
    aside.execute(
        () -> {
          try {
            write(letters);
            stored.run();
          } catch (RuntimeException e) {
            failed.accept(e);
          } finally {
            asideLists.release();
          }
        });
  }

  /** Lets the owners' messages wait outside their object slots; false when too many wait. */
  private boolean leaveSlots(Collection<ObjectWork> owners) {
    for (ObjectWork owner : owners) {
      if (!owner.leaveSlot(waiters::tryAcquire, waiters::release)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Runs {@code work} on this thread such that, should a write wait for a failing destination, it
   * first calls {@code leaveSlot} (once) and waits outside the slot.
   */
  public <T extends Exception> void leavingSlot(Runnable leaveSlot, Work<T> work) throws T {
    slot.set(leaveSlot);
    try {
      work.run();
    } finally {
      slot.remove();
    }
  }

  /** Work that may throw {@code T}. */
  @FunctionalInterface
  public interface Work<T extends Exception> {
    void run() throws T;
  }

  /** The destination fails and enough messages already wait for it: come back later. */
  public static final class Unavailable extends Abort.Abandoned {
    Unavailable(String message) {
      super(message);
    }
  }

  /**
   * @throws Abort.Abandoned when shutdown comes before the destination took them
   */
  public void write(List<DeadLetter> letters) {
    if (letters.isEmpty()) {
      return;
    }
    boolean outside = false;
    try {
      for (int attempt = 0; ; attempt++) {
        abort.check();
        try {
          sink.write(letters);
          counted(letters);
          return;
        } catch (IOException | RuntimeException e) {
          metrics.deadLetterWriteFailed();
          LOG.warnf(
              "cannot write %d dead letters to %s (attempt %d, retrying): %s",
              letters.size(), sink.describe(), attempt + 1, e.toString());
          if (!outside) {
            outside = leaveSlot(e);
          }
          abort.sleep(backoff.delay(attempt));
        }
      }
    } finally {
      if (outside) {
        waiters.release();
      }
    }
  }

  private void counted(List<DeadLetter> letters) {
    letters.stream()
        .map(DeadLetter::kind)
        .distinct()
        .forEach(
            kind ->
                metrics.deadLetters(
                    kind.id(), letters.stream().filter(l -> l.kind() == kind).count()));
  }

  /**
   * Before a wait: gives up the caller's slot (true), or throws {@link Unavailable} when too many
   * wait already; a caller without a slot (a bulk sender) just waits (false).
   */
  private boolean leaveSlot(Exception failure) {
    Runnable leave = slot.get();
    if (leave == null) {
      return false;
    }
    if (!waiters.tryAcquire()) {
      throw new Unavailable(
          "dead-letter destination "
              + sink.describe()
              + " failing ("
              + failure
              + ") and other messages already wait for it");
    }
    leave.run();
    return true;
  }

  /** True for an object the dead-letter destination itself wrote. */
  public boolean wrote(dev.vigil.core.parse.ObjectRef ref) {
    return sink.wrote(ref);
  }

  public String describe() {
    return sink.describe();
  }
}

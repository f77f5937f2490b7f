package dev.vigil.ingester.pipeline;

import dev.vigil.core.LogType;
import dev.vigil.core.parse.ObjectRef;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The documents of one object in flight: done when the parser has finished and every document it
 * produced is settled — acknowledged by OpenSearch or written to the dead-letter destination. Only
 * then may the SQS message naming the object be deleted.
 */
public final class ObjectWork {
  private final ObjectRef ref;
  private final AtomicLong outstanding = new AtomicLong();
  private final AtomicLong submitted = new AtomicLong();
  private final AtomicLong indexed = new AtomicLong();
  private final AtomicLong deadLettered = new AtomicLong();
  private final CompletableFuture<Void> done = new CompletableFuture<>();
  private volatile boolean parsed;
  private volatile LogType type;
  // What the message's worker runs to give up its object slot (null: it holds none).
  private volatile Runnable leaveSlot;
  private final java.util.concurrent.atomic.AtomicBoolean outside =
      new java.util.concurrent.atomic.AtomicBoolean();

  public ObjectWork(ObjectRef ref) {
    this.ref = ref;
  }

  public ObjectRef ref() {
    return ref;
  }

  public LogType type() {
    return type;
  }

  void type(LogType type) {
    this.type = type;
  }

  /** How the message's worker gives up its object slot while the documents wait elsewhere. */
  void leaveSlotWith(Runnable leaveSlot) {
    this.leaveSlot = leaveSlot;
  }

  /**
   * Before its documents wait for a failing dead-letter destination: gives up the message's object
   * slot the first time (true), taking a waiter's place with {@code takePlace}; false when it holds
   * no slot or left it already. The place is given back with {@code givePlace} once the work ends.
   */
  boolean leaveSlot(java.util.function.BooleanSupplier takePlace, Runnable givePlace) {
    Runnable leave = leaveSlot;
    if (leave == null || outside.get()) {
      return true;
    }
    if (!takePlace.getAsBoolean()) {
      return false;
    }
    if (!outside.compareAndSet(false, true)) {
      givePlace.run();
      return true;
    }
    done.whenComplete((ignored, failure) -> givePlace.run());
    leave.run();
    return true;
  }

  /** A document of this object entered a bulk request. */
  void submitted() {
    submitted.incrementAndGet();
    outstanding.incrementAndGet();
  }

  /**
   * A document's latest-state write entered a bulk request: not a document of its own, but the
   * object waits for it too.
   */
  void submittedLatest() {
    outstanding.incrementAndGet();
  }

  /** OpenSearch acknowledged {@code acked} documents and {@code dead} went to the dead letters. */
  void settled(long acked, long dead) {
    settled(acked, dead, 0);
  }

  /**
   * As {@link #settled(long, long)}, with {@code latest} latest-state writes done (written, or
   * refused as older than what the index holds); dead-lettered ones count in {@code dead}.
   */
  void settled(long acked, long dead, long latest) {
    indexed.addAndGet(acked);
    deadLettered.addAndGet(dead);
    if (outstanding.addAndGet(-(acked + dead + latest)) == 0 && parsed) {
      done.complete(null);
    }
  }

  /** The parser delivered its last document. */
  void parsingFinished() {
    parsed = true;
    if (outstanding.get() == 0) {
      done.complete(null);
    }
  }

  /** Its documents will not all be settled (shutdown, abort): the message must be released. */
  void fail(Throwable cause) {
    done.completeExceptionally(cause);
  }

  boolean failed() {
    return done.isCompletedExceptionally();
  }

  /**
   * Waits until every document is settled.
   *
   * @throws ExecutionException when the work was abandoned
   */
  void await() throws InterruptedException, ExecutionException {
    done.get();
  }

  public long submittedCount() {
    return submitted.get();
  }

  public long indexedCount() {
    return indexed.get();
  }

  public long deadLetteredCount() {
    return deadLettered.get();
  }
}

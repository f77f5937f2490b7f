package dev.vigil.ingester.queue;

import dev.vigil.core.LogType;
import dev.vigil.core.retry.Backoff;
import dev.vigil.ingester.metrics.IngesterMetrics;
import dev.vigil.ingester.pipeline.Abort;
import dev.vigil.ingester.pipeline.DeadLetter;
import dev.vigil.ingester.pipeline.DeadLetterWriter;
import dev.vigil.ingester.pipeline.ObjectIngester;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Long-polls the queues and works on at most {@code concurrency} messages at a time. A message is
 * deleted only when every object it names is settled (all documents indexed or dead-lettered); a
 * test event or a notification about something other than a created object is deleted at once; a
 * message that is no S3 notification is dead-lettered and deleted; anything that may pass (S3, the
 * network, shutdown) releases the message — visibility 0 — so it is received again, and after the
 * queue's maxReceiveCount SQS moves it to the queue's own DLQ.
 */
public final class QueueConsumer {
  private static final Logger LOG = Logger.getLogger(QueueConsumer.class);

  /** A queue that cannot be polled is tried again after 1 s, 2 s, ... at most 30 s. */
  private static final Backoff RECEIVE_RETRY =
      new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), Backoff.Jitter.NONE);

  private static final int SQS_MAX_MESSAGES = 10;

  /** A queue and the log type of the objects it announces (null: detect). */
  public record Binding(MessageQueue queue, LogType type) {}

  private final List<Binding> bindings;
  private final ObjectIngester ingester;
  private final DeadLetterWriter deadLetters;
  private final IngesterMetrics metrics;
  private final Duration waitTime;
  private final Duration visibility;
  private final Semaphore permits;
  private final InFlight inFlight;
  private final ExecutorService workers;
  private final ScheduledExecutorService keeper;
  private final List<Thread> pollers = new ArrayList<>();
  private final Runnable endPolls;
  private volatile boolean polling;

  public QueueConsumer(
      List<Binding> bindings,
      ObjectIngester ingester,
      DeadLetterWriter deadLetters,
      IngesterMetrics metrics,
      int concurrency,
      Duration waitTime,
      Duration visibility,
      Runnable endPolls) {
    this.bindings = List.copyOf(bindings);
    this.endPolls = endPolls;
    this.ingester = ingester;
    this.deadLetters = deadLetters;
    this.metrics = metrics;
    this.waitTime = waitTime;
    this.visibility = visibility;
    this.permits = new Semaphore(concurrency);
    this.inFlight = new InFlight(visibility);
    // One thread per slot, and as many for messages waiting for the dead-letter destination
    // outside their slot (DeadLetterWriter: at most `concurrency`).
    this.workers =
        Executors.newFixedThreadPool(
            2 * concurrency,
            r -> {
              Thread t = new Thread(r, "vigil-object");
              t.setDaemon(true);
              return t;
            });
    this.keeper =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "vigil-visibility");
              t.setDaemon(true);
              return t;
            });
    metrics.gauge(
        "vigil.ingester.oldest.in.flight.seconds",
        "Age of the oldest SQS message being worked on",
        () -> inFlight.oldest().toMillis() / 1000.0);
    metrics.gauge(
        "vigil.ingester.messages.in.flight", "SQS messages being worked on", inFlight::size);
  }

  public InFlight inFlight() {
    return inFlight;
  }

  public synchronized void start() {
    if (polling) {
      return;
    }
    polling = true;
    keeper.scheduleWithFixedDelay(this::extendVisibility, 1, 1, TimeUnit.SECONDS);
    for (Binding binding : bindings) {
      Thread poller = new Thread(() -> poll(binding), "vigil-poll-" + binding.queue().name());
      poller.setDaemon(true);
      pollers.add(poller);
      poller.start();
      LOG.infof(
          "polling queue=%s type=%s",
          binding.queue().name(), binding.type() == null ? "auto" : binding.type().id());
    }
  }

  /**
   * Graceful stop: no new messages; in-flight ones get {@code grace} to finish, then {@code
   * abandon} runs (stops retries and bulk sending) and whatever is unfinished is released. A long
   * poll in progress is ended at once ({@code endPolls}), not waited out.
   */
  public void stop(Duration grace, Runnable abandon) {
    synchronized (this) {
      polling = false;
    }
    endPolls.run();
    pollers.forEach(Thread::interrupt);
    for (Thread poller : pollers) {
      join(poller, waitTime.plusSeconds(5));
    }
    workers.shutdown();
    boolean finished = await(workers, grace);
    if (!finished) {
      LOG.infof(
          "%d messages still in flight after the %d ms grace period: releasing them",
          inFlight.size(), grace.toMillis());
      abandon.run();
      workers.shutdownNow();
      await(workers, Duration.ofSeconds(15));
    }
    for (InFlight.Entry left : inFlight.entries()) {
      inFlight.settle(left);
      release(left.queue(), left.message(), "shutdown");
    }
    keeper.shutdownNow();
    LOG.infof("stopped polling; finished=%s", finished);
  }

  private void poll(Binding binding) {
    MessageQueue queue = binding.queue();
    int failures = 0;
    while (polling) {
      int taken;
      try {
        permits.acquire();
        taken = 1;
        int more = Math.min(SQS_MAX_MESSAGES - 1, permits.availablePermits());
        if (more > 0 && permits.tryAcquire(more)) {
          taken += more;
        }
      } catch (InterruptedException e) {
        break;
      }
      List<QueueMessage> messages;
      try {
        messages = queue.receive(taken, waitTime, visibility);
        if (failures > 0) {
          LOG.infof("receiving from queue=%s again", queue.name());
        }
        failures = 0;
      } catch (RuntimeException e) {
        permits.release(taken);
        if (!polling) {
          break;
        }
        if (failures++ == 0) {
          LOG.warnf("cannot receive from queue=%s (retrying): %s", queue.name(), e.toString());
        }
        sleep(RECEIVE_RETRY.delay(failures));
        continue;
      }
      permits.release(taken - messages.size());
      for (QueueMessage message : messages) {
        if (!polling) {
          release(queue, message, "shutdown");
          permits.release();
          continue;
        }
        InFlight.Entry entry = inFlight.add(queue, message);
        try {
          workers.execute(() -> handle(binding, entry));
        } catch (java.util.concurrent.RejectedExecutionException e) {
          inFlight.settle(entry);
          release(queue, message, "shutdown");
          permits.release();
        }
      }
    }
  }

  private void handle(Binding binding, InFlight.Entry entry) {
    MessageQueue queue = binding.queue();
    QueueMessage message = entry.message();
    MDC.put("queue", queue.name());
    MDC.put("messageId", message.messageId());
    AtomicBoolean slotHeld = new AtomicBoolean(true);
    Runnable leaveSlot =
        () -> {
          if (slotHeld.compareAndSet(true, false)) {
            permits.release();
          }
        };
    try {
      deadLetters.leavingSlot(
          () -> {
            LOG.infof(
                "message %s waits for the dead-letter destination outside its slot",
                message.messageId());
            leaveSlot.run();
          },
          () -> work(binding, entry));
    } catch (ObjectIngester.RetryLater | Abort.Abandoned e) {
      inFlight.settle(entry);
      if (e instanceof DeadLetterWriter.Unavailable
          || e.getCause() instanceof DeadLetterWriter.Unavailable) {
        // Neither released nor extended: it comes back after its visibility timeout.
        LOG.warnf("message %s deferred: %s", message.messageId(), e.getMessage());
        metrics.message(queue.name(), "deferred");
      } else {
        LOG.warnf("releasing message %s: %s", message.messageId(), e.getMessage());
        release(queue, message, "released");
      }
    } catch (RuntimeException e) {
      LOG.errorf(e, "releasing message %s after an unexpected failure", message.messageId());
      inFlight.settle(entry);
      release(queue, message, "released");
    } finally {
      inFlight.settle(entry);
      leaveSlot.run();
      MDC.remove("queue");
      MDC.remove("messageId");
    }
  }

  private void work(Binding binding, InFlight.Entry entry) throws ObjectIngester.RetryLater {
    MessageQueue queue = binding.queue();
    QueueMessage message = entry.message();
    if (message.receiveCount() > 1) {
      LOG.infof("message %s received %d times", message.messageId(), message.receiveCount());
    }
    Notification notification = S3Notifications.parse(message.body());
    if (notification instanceof Notification.ObjectsCreated created) {
      for (S3ObjectEvent object : created.objects()) {
        ingester.ingest(object.ref(), binding.type());
      }
      delete(entry, "deleted");
    } else if (notification instanceof Notification.TestEvent) {
      LOG.infof("s3:TestEvent acknowledged queue=%s", queue.name());
      delete(entry, "test_event");
    } else if (notification instanceof Notification.Ignored ignored) {
      LOG.debugf("ignored queue=%s: %s", queue.name(), ignored.reason());
      delete(entry, "ignored");
    } else if (notification instanceof Notification.Unrecognized unrecognized) {
      deadLetters.write(
          List.of(DeadLetter.message(queue.name(), message.body(), unrecognized.reason())));
      LOG.warnf(
          "message %s is no S3 notification, dead-lettered: %s",
          message.messageId(), unrecognized.reason());
      delete(entry, "dead_lettered");
    }
  }

  /** Deletes a settled message; its visibility is no longer extended from here on. */
  private void delete(InFlight.Entry entry, String outcome) {
    MessageQueue queue = entry.queue();
    QueueMessage message = entry.message();
    inFlight.settle(entry);
    try {
      queue.delete(message);
      metrics.message(queue.name(), outcome);
    } catch (RuntimeException e) {
      // Everything is indexed; a redelivery overwrites the same ids.
      LOG.warnf("cannot delete message %s: %s", message.messageId(), e.toString());
      metrics.message(queue.name(), "delete_failed");
    }
  }

  private void release(MessageQueue queue, QueueMessage message, String why) {
    // A worker interrupted by the shutdown must still be able to call SQS.
    boolean interrupted = Thread.interrupted();
    try {
      queue.changeVisibility(message, Duration.ZERO);
    } catch (RuntimeException e) {
      LOG.warnf(
          "cannot release message %s (visible again when its timeout ends): %s",
          message.messageId(), e.toString());
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    metrics.message(queue.name(), "released");
    LOG.debugf("released message %s (%s)", message.messageId(), why);
  }

  private void extendVisibility() {
    try {
      inFlight.extendDue();
    } catch (RuntimeException e) {
      LOG.warnf("visibility extension failed: %s", e.toString());
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void join(Thread thread, Duration timeout) {
    try {
      thread.join(timeout.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static boolean await(ExecutorService pool, Duration timeout) {
    try {
      return pool.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}

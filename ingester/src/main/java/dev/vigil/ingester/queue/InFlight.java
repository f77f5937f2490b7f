package dev.vigil.ingester.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The SQS messages being worked on: their visibility is extended while they are, and their age
 * feeds {@code vigil_ingester_oldest_in_flight_seconds}.
 */
public final class InFlight {
  private static final Logger LOG = Logger.getLogger(InFlight.class);

  private final Set<Entry> entries = ConcurrentHashMap.newKeySet();
  private final Duration visibility;

  public InFlight(Duration visibility) {
    this.visibility = visibility;
  }

  /** A received message; hidden from other consumers for {@code visibility} from now. */
  public static final class Entry {
    final MessageQueue queue;
    final QueueMessage message;
    final Instant received;
    volatile Instant hiddenUntil;
    volatile boolean extensionFailed;

    /** Deleted or released (guarded by the entry): never extended again. */
    private boolean settled;

    Entry(MessageQueue queue, QueueMessage message, Instant received, Instant hiddenUntil) {
      this.queue = queue;
      this.message = message;
      this.received = received;
      this.hiddenUntil = hiddenUntil;
    }

    public QueueMessage message() {
      return message;
    }

    public MessageQueue queue() {
      return queue;
    }
  }

  public Entry add(MessageQueue queue, QueueMessage message) {
    Instant now = Instant.now();
    Entry entry = new Entry(queue, message, now, now.plus(visibility));
    entries.add(entry);
    return entry;
  }

  /**
   * Ends the extension of a message about to be deleted or released: waits for an extension in
   * progress, and none starts afterwards — an extension after the delete would name a receipt
   * handle SQS no longer knows. Idempotent.
   */
  public void settle(Entry entry) {
    synchronized (entry) {
      entry.settled = true;
    }
    entries.remove(entry);
  }

  public int size() {
    return entries.size();
  }

  public Set<Entry> entries() {
    return Set.copyOf(entries);
  }

  /** Age of the oldest message in flight, zero when none. */
  public Duration oldest() {
    Instant now = Instant.now();
    return entries.stream()
        .map(e -> Duration.between(e.received, now))
        .max(Duration::compareTo)
        .orElse(Duration.ZERO);
  }

  /** Extends every message whose visibility is more than half gone (called every second). */
  public void extendDue() {
    Instant now = Instant.now();
    Duration half = visibility.dividedBy(2);
    for (Entry entry : entries) {
      if (Duration.between(now, entry.hiddenUntil).compareTo(half) < 0) {
        extend(entry, now);
      }
    }
  }

  private void extend(Entry entry, Instant now) {
    synchronized (entry) {
      if (!entry.settled) {
        try {
          entry.queue.changeVisibility(entry.message, visibility);
          entry.hiddenUntil = now.plus(visibility);
        } catch (RuntimeException e) {
          // The receipt may have expired (visibility lapsed): another consumer may get the
          // message; its documents then overwrite these with the same ids.
          if (!entry.extensionFailed) {
            entry.extensionFailed = true;
            LOG.warnf(
                "cannot extend visibility of message %s on %s: %s",
                entry.message.messageId(), entry.queue.name(), e.toString());
          }
        }
      }
    }
  }
}

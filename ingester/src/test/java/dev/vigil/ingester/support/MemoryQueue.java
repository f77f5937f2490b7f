package dev.vigil.ingester.support;

import dev.vigil.ingester.queue.MessageQueue;
import dev.vigil.ingester.queue.QueueMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** SQS semantics that matter to the ingester: visibility, receipts, receive counts, deletion. */
public final class MemoryQueue implements MessageQueue {
  private final String name;
  private final Map<String, Entry> messages = new ConcurrentHashMap<>();
  private final AtomicInteger ids = new AtomicInteger();
  public final List<String> deleted = new CopyOnWriteArrayList<>();
  public final List<String> released = new CopyOnWriteArrayList<>();
  public final List<String> extended = new CopyOnWriteArrayList<>();

  private static final class Entry {
    final String id;
    final String body;
    volatile long visibleAt;
    volatile int receives;
    volatile String receipt;

    Entry(String id, String body) {
      this.id = id;
      this.body = body;
    }
  }

  public MemoryQueue(String name) {
    this.name = name;
  }

  public String send(String body) {
    String id = "m" + ids.incrementAndGet();
    messages.put(id, new Entry(id, body));
    return id;
  }

  public int size() {
    return messages.size();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public synchronized List<QueueMessage> receive(int max, Duration wait, Duration visibility) {
    long deadline = System.currentTimeMillis() + Math.min(wait.toMillis(), 200);
    List<QueueMessage> out = new ArrayList<>();
    do {
      long now = System.currentTimeMillis();
      for (Entry e : messages.values()) {
        if (out.size() == max) {
          break;
        }
        if (e.visibleAt <= now) {
          e.visibleAt = now + visibility.toMillis();
          e.receives++;
          e.receipt = e.id + "#" + e.receives;
          out.add(new QueueMessage(e.id, e.receipt, e.body, e.receives));
        }
      }
      if (!out.isEmpty()) {
        return out;
      }
      try {
        wait(20);
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", ex);
      }
    } while (System.currentTimeMillis() < deadline);
    return out;
  }

  @Override
  public void delete(QueueMessage message) {
    Entry e = messages.get(message.messageId());
    if (e == null || !message.receiptHandle().equals(e.receipt)) {
      throw new IllegalStateException("stale receipt " + message.receiptHandle());
    }
    messages.remove(message.messageId());
    deleted.add(message.messageId());
  }

  @Override
  public void changeVisibility(QueueMessage message, Duration visibility) {
    if (Thread.currentThread().isInterrupted()) {
      // As the AWS SDK: an interrupted thread's call is aborted.
      throw new IllegalStateException("AbortedException: Thread was interrupted");
    }
    Entry e = messages.get(message.messageId());
    if (e == null || !message.receiptHandle().equals(e.receipt)) {
      throw new IllegalStateException("stale receipt " + message.receiptHandle());
    }
    e.visibleAt = System.currentTimeMillis() + visibility.toMillis();
    (visibility.isZero() ? released : extended).add(message.messageId());
  }
}

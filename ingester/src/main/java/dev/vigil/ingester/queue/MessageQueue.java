package dev.vigil.ingester.queue;

import java.time.Duration;
import java.util.List;

/** The few SQS operations the ingester needs, so delivery logic is testable without a network. */
public interface MessageQueue {
  /** Short name used in logs and metrics. */
  String name();

  /** Long-polls for up to {@code max} messages, hidden from others for {@code visibility}. */
  List<QueueMessage> receive(int max, Duration wait, Duration visibility);

  void delete(QueueMessage message);

  /** Sets the message's remaining invisibility; zero makes it visible (released) at once. */
  void changeVisibility(QueueMessage message, Duration visibility);
}

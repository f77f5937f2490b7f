package dev.vigil.operator.logsource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Ingester replicas from the queue's backlog, for one LogSource:
 *
 * <pre>
 *   byBacklog = ceil(visible messages / messagesPerReplica)
 *   byLag     = current + 1   when the oldest message is older than targetLag, else 0
 *   wanted    = clamp(max(byBacklog, byLag), min, max)
 * </pre>
 *
 * Scaling out happens at once. Scaling in only to the highest count wanted during the last {@code
 * window} (the stabilization window), so a queue drained between two bursts does not make the
 * Deployment flap. Not thread-safe: one planner per LogSource, used by its reconcile.
 */
public final class ReplicaPlanner {
  /** What the queue looks like now. */
  public record QueueDepth(long visibleMessages, long inFlightMessages, Duration oldestAge) {}

  /** The replica count to run and why. */
  public record Plan(int replicas, String reason) {}

  private record Sample(Instant at, int wanted) {}

  private final Duration window;
  private final Deque<Sample> recent = new ArrayDeque<>();

  public ReplicaPlanner(Duration window) {
    this.window = window;
  }

  public Plan plan(
      QueueDepth depth,
      int current,
      int min,
      int max,
      int messagesPerReplica,
      Duration targetLag,
      Instant now) {
    int byBacklog = (int) Math.min(max, ceilDiv(depth.visibleMessages(), messagesPerReplica));
    boolean lagging = depth.oldestAge() != null && depth.oldestAge().compareTo(targetLag) > 0;
    int byLag = lagging ? current + 1 : 0;
    int wanted = clamp(Math.max(byBacklog, byLag), min, max);
    // Messages being worked on still need their pods: never below what is busy right now.
    if (depth.inFlightMessages() > 0) {
      wanted = Math.max(wanted, clamp(1, min, max));
    }
    if (recent.isEmpty()) {
      // First look (e.g. after an operator restart): what runs now counts as recently wanted, so a
      // restart never scales in before a full window has been observed.
      recent.addLast(new Sample(now, current));
    }
    recent.addLast(new Sample(now, wanted));
    while (!recent.isEmpty() && recent.peekFirst().at().isBefore(now.minus(window))) {
      recent.removeFirst();
    }
    String why =
        depth.visibleMessages()
            + " visible, "
            + depth.inFlightMessages()
            + " in flight, oldest "
            + (depth.oldestAge() == null ? "unknown" : depth.oldestAge().toSeconds() + "s");
    if (wanted >= current) {
      return new Plan(wanted, wanted == current ? "steady: " + why : "scale out: " + why);
    }
    int highestRecent = recent.stream().mapToInt(Sample::wanted).max().orElse(wanted);
    int replicas = Math.min(current, Math.max(wanted, highestRecent));
    return replicas < current
        ? new Plan(replicas, "scale in after " + window.toSeconds() + "s stable: " + why)
        : new Plan(current, "holding " + current + " for the stabilization window: " + why);
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }

  private static int clamp(int value, int min, int max) {
    return Math.max(min, Math.min(max, value));
  }
}

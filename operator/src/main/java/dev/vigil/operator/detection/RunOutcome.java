package dev.vigil.operator.detection;

import java.time.Instant;

/**
 * How one run of a rule went.
 *
 * @param result NoMatch, Triggered, or "Error: …"
 * @param activeAlerts alerts ACTIVE or ACKNOWLEDGED after the run; null when the run could not read
 *     them (OpenSearch unreachable): unknown, never 0
 * @param note what the run left out (a first-seen rule's caps), or null; shown in the Ready message
 */
public record RunOutcome(Instant time, String result, Integer activeAlerts, String note) {
  public RunOutcome(Instant time, String result, Integer activeAlerts) {
    this(time, result, activeAlerts, null);
  }

  public static final String NO_MATCH = "NoMatch";
  public static final String TRIGGERED = "Triggered";

  public boolean failed() {
    return result.startsWith("Error");
  }

  /** Same result and count: nothing a user would want to see in status changed. */
  public boolean sameAs(RunOutcome other) {
    return other != null
        && result.equals(other.result)
        && java.util.Objects.equals(activeAlerts, other.activeAlerts)
        && java.util.Objects.equals(note, other.note);
  }
}

package dev.vigil.operator.common;

import dev.vigil.api.v1alpha1.Condition;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * Sets standard conditions on a status. {@code lastTransitionTime} changes only when the
 * condition's status flips, so a re-reconcile that finds the same state leaves the status
 * byte-for-byte equal (and costs no write).
 */
public final class Conditions {
  public static final String READY = "Ready";
  public static final String TRUE = "True";
  public static final String FALSE = "False";
  public static final String UNKNOWN = "Unknown";

  private final Clock clock;

  public Conditions(Clock clock) {
    this.clock = clock;
  }

  public void set(
      List<Condition> conditions,
      String type,
      boolean status,
      String reason,
      String message,
      Long generation) {
    set(conditions, type, status ? TRUE : FALSE, reason, message, generation);
  }

  public void set(
      List<Condition> conditions,
      String type,
      String status,
      String reason,
      String message,
      Long generation) {
    Condition condition = find(conditions, type).orElse(null);
    if (condition == null) {
      condition = new Condition();
      condition.setType(type);
      conditions.add(condition);
    }
    if (!status.equals(condition.getStatus()) || condition.getLastTransitionTime() == null) {
      condition.setLastTransitionTime(
          Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString());
    }
    condition.setStatus(status);
    condition.setReason(reason);
    condition.setMessage(message);
    condition.setObservedGeneration(generation);
  }

  /**
   * Copies of {@code conditions} to build a new status from: setting a condition must not change
   * the current status too, or the two would compare equal and the change never be written.
   */
  public static List<Condition> copyOf(List<Condition> conditions) {
    List<Condition> copies = new java.util.ArrayList<>();
    for (Condition c : conditions) {
      Condition copy = new Condition();
      copy.setType(c.getType());
      copy.setStatus(c.getStatus());
      copy.setReason(c.getReason());
      copy.setMessage(c.getMessage());
      copy.setLastTransitionTime(c.getLastTransitionTime());
      copy.setObservedGeneration(c.getObservedGeneration());
      copies.add(copy);
    }
    return copies;
  }

  public static Optional<Condition> find(List<Condition> conditions, String type) {
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  public static boolean isTrue(List<Condition> conditions, String type) {
    return find(conditions, type).map(c -> TRUE.equals(c.getStatus())).orElse(false);
  }
}

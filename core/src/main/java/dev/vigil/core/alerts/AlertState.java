package dev.vigil.core.alerts;

/**
 * The seed's alert lifecycle (the same states OpenSearch Alerting uses): ACTIVE when the condition
 * fires, ACKNOWLEDGED when someone takes it, COMPLETED when the condition clears, ERROR while the
 * rule cannot run.
 */
public enum AlertState {
  ACTIVE,
  ACKNOWLEDGED,
  COMPLETED,
  ERROR;

  /** Still needs attention: counted in the rule's {@code status.activeAlerts}. */
  public boolean isOpen() {
    return this == ACTIVE || this == ACKNOWLEDGED;
  }
}

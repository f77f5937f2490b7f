package dev.vigil.operator.alerting;

/** What one sync did to an object in an OpenSearch plugin (a monitor or a channel config). */
public enum SyncAction {
  /** Nothing existed: created. */
  CREATED,
  /** Vigil's object existed with an older desired state: updated. */
  UPDATED,
  /** Vigil's object matches the desired state: nothing written. */
  UNCHANGED,
  /** An object with Vigil's stable name/id but without Vigil's marker existed: taken over. */
  ADOPTED,
  /** Vigil's object was edited or deleted by hand (the desired state did not change): restored. */
  REPAIRED;

  /** True when the sync wrote to OpenSearch. */
  public boolean wrote() {
    return this != UNCHANGED;
  }
}

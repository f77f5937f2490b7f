package dev.vigil.operator;

import jakarta.inject.Singleton;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether this replica holds the lease, and whether its reconcilers are paused: from a lost lease
 * until it leads again, every reconciler returns at once and the built-in engine schedules nothing
 * (see {@link LeaderElection}). A replica without leader election is never paused.
 *
 * <p>Pausing is a check at the top of each reconciler rather than stopping the SDK's event
 * processors: a processor stopped while a reconciliation runs leaves that resource marked as under
 * execution for good, so it would never be reconciled again after the lease comes back.
 */
@Singleton
public class Leadership {
  private final AtomicBoolean leading = new AtomicBoolean();
  private final AtomicBoolean paused = new AtomicBoolean();

  public boolean isLeading() {
    return leading.get();
  }

  public boolean isPaused() {
    return paused.get();
  }

  void started() {
    paused.set(false);
    leading.set(true);
  }

  /** False when this replica was not leading (nothing to pause). */
  boolean lost() {
    if (!leading.getAndSet(false)) {
      return false;
    }
    paused.set(true);
    return true;
  }
}

package dev.vigil.ingester.pipeline;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Whether OpenSearch answered lately — from bulk requests and a periodic probe — for readiness and
 * the {@code vigil_ingester_opensearch_up} gauge. Logs one line per change. Retries waiting out
 * their backoff wait here too, so that they go at once when OpenSearch answers again (recovery
 * within a probe interval, not a backoff of up to {@code bulk.retry-max}).
 */
public final class OpenSearchStatus {
  private static final org.jboss.logging.Logger LOG =
      org.jboss.logging.Logger.getLogger(OpenSearchStatus.class);

  private volatile boolean reachable;
  private volatile boolean templatesInstalled;
  private volatile String problem = "not contacted yet";
  private volatile Instant since = Instant.now();
  private long recoveries;

  public boolean ready() {
    return reachable && templatesInstalled;
  }

  public boolean reachable() {
    return reachable;
  }

  public boolean templatesInstalled() {
    return templatesInstalled;
  }

  public String problem() {
    return reachable ? (templatesInstalled ? null : "index templates not installed yet") : problem;
  }

  public Instant since() {
    return since;
  }

  public void answered() {
    if (!reachable) {
      synchronized (this) {
        if (!reachable) {
          reachable = true;
          since = Instant.now();
          recoveries++;
          notifyAll();
          LOG.infof("opensearch reachable");
        }
      }
    }
  }

  public void unreachable(String why) {
    problem = why;
    if (reachable) {
      synchronized (this) {
        if (reachable) {
          reachable = false;
          since = Instant.now();
          LOG.warnf("opensearch unreachable: %s", why);
        }
      }
    }
  }

  /** Counts the times OpenSearch became reachable: pass it to {@link #awaitRecovery}. */
  public synchronized long recoveries() {
    return recoveries;
  }

  /**
   * Waits up to {@code max}, returning early when OpenSearch became reachable again since {@link
   * #recoveries()} returned {@code seen}, or when {@code abort} is set.
   *
   * @throws Abort.Abandoned when aborted
   */
  public synchronized void awaitRecovery(long seen, Duration max, Abort abort) {
    long deadline = System.nanoTime() + max.toNanos();
    try {
      while (recoveries == seen) {
        abort.check();
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return;
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Abort.Abandoned("interrupted");
    }
  }

  /** Wakes every waiting retry (shutdown), which then looks at its abort. */
  public synchronized void wakeWaiters() {
    notifyAll();
  }

  public void templatesInstalled(boolean installed) {
    templatesInstalled = installed;
  }
}

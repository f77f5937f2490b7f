package dev.vigil.ingester.delivery;

import java.time.Instant;

/**
 * Whether OpenSearch answered lately — from bulk requests and a periodic probe — for readiness and
 * the {@code vigil_ingester_opensearch_up} gauge. Logs one line per change.
 */
public final class OpenSearchStatus {
  private static final org.jboss.logging.Logger LOG =
      org.jboss.logging.Logger.getLogger(OpenSearchStatus.class);

  private volatile boolean reachable;
  private volatile boolean templatesInstalled;
  private volatile String problem = "not contacted yet";
  private volatile Instant since = Instant.now();

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

  public void templatesInstalled(boolean installed) {
    templatesInstalled = installed;
  }
}

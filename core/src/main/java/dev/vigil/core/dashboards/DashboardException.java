package dev.vigil.core.dashboards;

/**
 * A Dashboard that cannot be rendered as written; the message names the field (e.g. {@code
 * spec.panels[2].splitBy}) or the NDJSON line at fault.
 */
public final class DashboardException extends RuntimeException {
  public DashboardException(String message) {
    super(message);
  }
}

package dev.vigil.operator.dashboard;

/**
 * The Dashboards to sync to cannot be determined yet (the OpenSearchConnection is missing or has no
 * {@code spec.dashboards}); {@code reason} is the condition reason. Not an invalid Dashboard: the
 * connection may be created or completed later, so it is looked at again at the resync pace.
 */
final class DashboardsTargetException extends Exception {
  private final String reason;

  DashboardsTargetException(String reason, String message) {
    super(message);
    this.reason = reason;
  }

  String reason() {
    return reason;
  }
}

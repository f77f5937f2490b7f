package dev.vigil.api.v1alpha1;

import java.util.List;

/**
 * API group, version and category of every Vigil kind, and JSON paths shared by their printer
 * columns.
 */
public final class Groups {
  public static final String SIEM = "siem.vigil.dev";
  public static final String VERSION = "v1alpha1";

  /** The apiVersion of every Vigil resource. */
  public static final String API_VERSION = SIEM + "/" + VERSION;

  /** Every Vigil kind, a connection first (the others name one). */
  public static final List<String> KINDS =
      List.of(
          "OpenSearchConnection",
          "LogSource",
          "DetectionRule",
          "NotificationChannel",
          "Dashboard",
          "SnapshotPolicy",
          "LogReplay");

  /** {@code kubectl get vigil} lists every Vigil resource. */
  public static final String CATEGORY = "vigil";

  /** Printer columns replace kubectl's default AGE column, so each kind declares its own. */
  public static final String AGE_PATH = ".metadata.creationTimestamp";

  public static final String READY_PATH = ".status.conditions[?(@.type==\"Ready\")].status";
  public static final String REASON_PATH = ".status.conditions[?(@.type==\"Ready\")].reason";

  private Groups() {}
}

package dev.vigil.api.v1alpha1;

/** API group and version of every Vigil kind, and JSON paths shared by their printer columns. */
public final class Groups {
  public static final String SIEM = "siem.vigil.dev";
  public static final String VERSION = "v1alpha1";
  public static final String READY_PATH = ".status.conditions[?(@.type==\"Ready\")].status";
  public static final String REASON_PATH = ".status.conditions[?(@.type==\"Ready\")].reason";

  private Groups() {}
}

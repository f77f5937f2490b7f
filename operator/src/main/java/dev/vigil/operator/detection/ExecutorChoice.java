package dev.vigil.operator.detection;

import dev.vigil.api.v1alpha1.DetectionRuleSpec.Engine;
import dev.vigil.api.v1alpha1.OpenSearchConnectionStatus;

/** Which executor runs a rule: forced by {@code spec.engine}, else the cluster's capabilities. */
public final class ExecutorChoice {
  public static final String ALERTING = "Alerting";
  public static final String BUILT_IN = "BuiltIn";

  private ExecutorChoice() {}

  /** The executor, or null while Auto cannot decide yet (the connection was never probed). */
  public static String choose(Engine engine, OpenSearchConnectionStatus connection) {
    if (engine == Engine.BuiltIn) {
      return BUILT_IN;
    }
    if (engine == Engine.Alerting) {
      return ALERTING;
    }
    if (connection == null || connection.capabilities == null) {
      return null;
    }
    return connection.capabilities.alerting ? ALERTING : BUILT_IN;
  }
}

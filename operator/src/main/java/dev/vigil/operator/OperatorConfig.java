package dev.vigil.operator;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The operator's settings ({@code vigil.operator.*}), validated at start-up. */
@ConfigMapping(prefix = "vigil.operator")
public interface OperatorConfig {
  /** How often a Ready connection is checked again (version, health, plugins). */
  @WithDefault("60s")
  Duration connectionCheckInterval();

  /** First retry delay after a failure talking to an external system; doubles per failure. */
  @WithDefault("5s")
  Duration retryInitialDelay();

  /**
   * How often a synced Dashboard is compared with what OpenSearch Dashboards holds (objects edited
   * or deleted by hand are restored at this pace).
   */
  @WithDefault("5m")
  Duration dashboardResyncInterval();

  /** Longest retry delay. */
  @WithDefault("5m")
  Duration retryMaxDelay();
}

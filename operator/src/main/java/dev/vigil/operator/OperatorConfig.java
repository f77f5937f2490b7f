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

  /** Longest retry delay. */
  @WithDefault("5m")
  Duration retryMaxDelay();

  /**
   * How often a SnapshotPolicy is looked at between scheduled runs (retention, hot retention,
   * restores, drift of the repository or plugin policies).
   */
  @WithDefault("5m")
  Duration snapshotCheckInterval();

  /** A scheduled snapshot later than this is reported overdue. */
  @WithDefault("1h")
  Duration snapshotOverdueGrace();

  /** How often the Ready state of every Vigil resource is read into metrics. */
  @WithDefault("30s")
  Duration statusMetricsInterval();

  /**
   * Endpoint for AWS API calls instead of the regional one (an emulator or a VPC endpoint); unset
   * in production.
   */
  java.util.Optional<java.net.URI> awsEndpointOverride();
}

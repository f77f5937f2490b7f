package dev.vigil.operator;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

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

  /** Threads running built-in engine rules (each run is a search and a small bulk write). */
  @WithDefault("2")
  int detectionThreads();

  /**
   * A rule's status is written when a run's result or active alert count changes, and otherwise at
   * most this often (to refresh {@code lastRunTime}), so steady rules cost few API writes.
   */
  @WithDefault("15m")
  Duration detectionStatusRefresh();

  /**
   * Every-match rules look back their interval plus this, so events that reach OpenSearch late
   * (CloudTrail delivers within about 15 minutes) still alert; deterministic alert ids keep the
   * overlap from raising anything twice.
   */
  @WithDefault("15m")
  Duration detectionLateArrival();

  /** Attempts per notification delivery (first try included) before it counts as failed. */
  @WithDefault("4")
  int deliveryAttempts();

  /** First delay between delivery attempts; doubles per attempt, capped by retryMaxDelay. */
  @WithDefault("2s")
  Duration deliveryRetryDelay();

  /** AWS endpoint override (e.g. an emulator) for the SNS client of notification channels. */
  Optional<URI> awsEndpointOverride();
}

package dev.vigil.cli.demo;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * How the demo runs Vigil's operator and ingesters: as pods on a real node ({@link NodeRuntime}),
 * or, where no node can run (not root), as local processes ({@link ProcessRuntime}).
 */
interface VigilRuntime extends AutoCloseable {
  /** Operator settings of the demo: short re-checks, so it moves at a watchable pace. */
  Map<String, String> DEMO_SETTINGS =
      Map.of(
          "vigil.operator.connection-check-interval", "10s",
          "vigil.operator.retry-max-delay", "10s",
          "vigil.operator.ingesters.scale-interval", "3s",
          "vigil.operator.snapshot-check-interval", "20s");

  /** Installs the CRDs and starts the operator; returns the kinds it reconciles. */
  List<String> install(String namespace);

  /** The address Vigil's operator and ingesters use for a service listening on loopback here. */
  URI reachable(URI loopback);

  /** Reports what changed since the last call (pods, processes). */
  void poll();

  /** Why the operator is gone for good, or null while it runs. */
  String operatorGone();

  /** Lines for the summary: where things run and how to look at them. */
  List<String> describe(String kubectl);

  @Override
  void close();
}

package dev.vigil.operator.common;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.micrometer.core.instrument.MeterRegistry;
import org.jboss.logging.Logger;

/**
 * Says so when the operator puts back something that was changed outside it (a queue policy, a
 * bucket notification entry, an Alerting monitor, a saved object): a Warning Event {@value #REASON}
 * on the resource naming what was changed, a log line, and {@code
 * vigil_drift_repaired_total{kind,piece}} — a repair should never be silent, since someone or
 * something keeps undoing Vigil's configuration.
 */
public final class DriftRepairs {
  public static final String REASON = "DriftRepaired";
  public static final String METRIC = "vigil_drift_repaired_total";
  private static final Logger LOG = Logger.getLogger(DriftRepairs.class);

  private final KubeEvents events;
  private final MeterRegistry metrics;

  public DriftRepairs(KubeEvents events, MeterRegistry metrics) {
    this.events = events;
    this.metrics = metrics;
  }

  /**
   * @param piece what was repaired, a short stable name used as the metric label (e.g. {@code
   *     queue-policy}, {@code bucket-notification}, {@code monitor})
   * @param detail what differed, for people
   */
  public void repaired(HasMetadata resource, String piece, String detail) {
    String message = piece + " repaired: " + detail;
    LOG.warnf(
        "%s %s/%s: %s",
        resource.getKind(),
        resource.getMetadata().getNamespace(),
        resource.getMetadata().getName(),
        message);
    events.warning(resource, REASON, message);
    metrics.counter(METRIC, "kind", resource.getKind(), "piece", piece).increment();
  }
}

package dev.vigil.operator.common;

import dev.vigil.api.v1alpha1.VigilStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import org.jboss.logging.Logger;

/**
 * Sets a resource's {@code Ready} condition. When readiness flips or its reason changes, the change
 * is logged and recorded as a Kubernetes Event (Warning when not ready), so {@code kubectl
 * describe} tells the story without repeating it on every reconcile.
 */
public final class ReadyCondition {
  private static final Logger LOG = Logger.getLogger(ReadyCondition.class);

  private final Conditions conditions;
  private final KubeEvents events;

  public ReadyCondition(Conditions conditions, KubeEvents events) {
    this.conditions = conditions;
    this.events = events;
  }

  public void set(
      HasMetadata resource, VigilStatus status, boolean ready, String reason, String message) {
    var before = Conditions.find(status.conditions, Conditions.READY);
    boolean changed =
        before.isEmpty()
            || Conditions.TRUE.equals(before.get().getStatus()) != ready
            || !reason.equals(before.get().getReason());
    conditions.set(
        status.conditions, Conditions.READY, ready, reason, message, status.observedGeneration);
    if (changed) {
      LOG.infof(
          "%s %s/%s: Ready=%s (%s) %s",
          resource.getKind(),
          resource.getMetadata().getNamespace(),
          resource.getMetadata().getName(),
          ready,
          reason,
          message);
      if (ready) {
        events.normal(resource, reason, message);
      } else {
        events.warning(resource, reason, message);
      }
    }
  }
}

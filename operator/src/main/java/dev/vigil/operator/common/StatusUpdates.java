package dev.vigil.operator.common;

import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;

/**
 * Patches status only when it changed: an unchanged resource costs zero writes to the API server.
 * Counts the patches it makes ({@code vigil_status_patches_total}) and the ones it saves ({@code
 * vigil_status_unchanged_total}) by kind.
 */
public final class StatusUpdates {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private final MeterRegistry metrics;

  public StatusUpdates(MeterRegistry metrics) {
    this.metrics = metrics;
  }

  /**
   * Sets {@code desired} as the status if it differs from the current one and returns the control
   * that patches it, or one that writes nothing.
   */
  public <S, R extends CustomResource<?, S>> UpdateControl<R> apply(R resource, S desired) {
    String kind = resource.getKind();
    if (Objects.equals(JSON.asJson(resource.getStatus()), JSON.asJson(desired))) {
      metrics.counter("vigil_status_unchanged_total", "kind", kind).increment();
      return UpdateControl.noUpdate();
    }
    resource.setStatus(desired);
    metrics.counter("vigil_status_patches_total", "kind", kind).increment();
    return UpdateControl.patchStatus(resource);
  }
}

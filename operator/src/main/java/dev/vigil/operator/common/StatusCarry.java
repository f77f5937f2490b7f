package dev.vigil.operator.common;

import dev.vigil.api.v1alpha1.VigilStatus;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.function.Supplier;

/**
 * The one way a reconciler starts its next status: a deep copy of the previous one, every field (so
 * a field added to a status class later is carried forward without touching any reconciler), with
 * the generation it now reflects. A reconciler then sets what it computed and clears, by name, what
 * it recomputes every pass. Deep, because the copy is compared with the current status to decide
 * whether to write ({@link StatusUpdates}): a condition set on a shared object would change both
 * and the change never be written.
 */
public final class StatusCarry {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private StatusCarry() {}

  /**
   * @param previous the resource's current status, or null (a new resource)
   * @param fresh makes an empty status when there is none
   * @param generation the {@code metadata.generation} acted on
   */
  public static <S extends VigilStatus> S from(S previous, Supplier<S> fresh, Long generation) {
    S next = previous == null ? fresh.get() : JSON.clone(previous);
    next.observedGeneration = generation;
    return next;
  }
}

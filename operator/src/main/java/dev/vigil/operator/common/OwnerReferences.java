package dev.vigil.operator.common;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;

/** References from what the operator writes to the resources it writes them for. */
public final class OwnerReferences {
  private OwnerReferences() {}

  /**
   * {@code owner} as one of possibly several owners: the garbage collector deletes the object once
   * every owner is gone.
   */
  public static OwnerReference of(HasMetadata owner) {
    return new OwnerReferenceBuilder()
        .withApiVersion(owner.getApiVersion())
        .withKind(owner.getKind())
        .withName(owner.getMetadata().getName())
        .withUid(owner.getMetadata().getUid())
        .build();
  }

  /** {@code owner} as the controller of the object: Kubernetes deletes the object with it. */
  public static OwnerReference controller(HasMetadata owner) {
    return new OwnerReferenceBuilder(of(owner))
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }
}

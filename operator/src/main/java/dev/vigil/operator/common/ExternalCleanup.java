package dev.vigil.operator.common;

import dev.vigil.api.v1alpha1.DeletionPolicy;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;

/**
 * Finalizer logic for external state (AWS resources, OpenSearch objects) under a deletion policy:
 * with {@code Retain} nothing outside Kubernetes is touched; with {@code Delete} the deletion runs,
 * and "already gone" counts as done. A failed deletion throws, so the framework retries with
 * backoff and the finalizer stays.
 */
public final class ExternalCleanup {
  /**
   * Deletes one piece of external state; returns normally when it is gone (including when it never
   * existed).
   */
  @FunctionalInterface
  public interface Deletion {
    void run() throws Exception;
  }

  private ExternalCleanup() {}

  public static DeleteControl apply(DeletionPolicy policy, Deletion deletion) throws Exception {
    if (policy == DeletionPolicy.Retain) {
      return DeleteControl.defaultDelete();
    }
    deletion.run();
    return DeleteControl.defaultDelete();
  }
}

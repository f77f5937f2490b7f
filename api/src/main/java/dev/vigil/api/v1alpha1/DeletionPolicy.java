package dev.vigil.api.v1alpha1;

/**
 * What happens to external objects Vigil created (AWS resources, OpenSearch objects) when the
 * resource is deleted.
 */
public enum DeletionPolicy {
  /** Remove what Vigil created (only that: foreign configuration is never touched). */
  Delete,
  /** Leave everything in place; only Vigil's bookkeeping is removed. */
  Retain
}

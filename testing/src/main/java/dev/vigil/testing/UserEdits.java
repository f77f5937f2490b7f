package dev.vigil.testing;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.util.function.Consumer;

/**
 * A change to a custom resource as a user makes it: read, change, write — and again when the write
 * meets 409 Conflict because the operator wrote the object in between (its finalizer, status, or an
 * annotation it consumed), as {@code kubectl edit} asks the user to do.
 */
public final class UserEdits {
  private static final int ATTEMPTS = 5;

  private UserEdits() {}

  /** Applies {@code change} to the object as it is now; returns the object as written. */
  public static <T extends HasMetadata> T edit(Resource<T> resource, Consumer<T> change) {
    for (int attempt = 1; ; attempt++) {
      try {
        return resource.edit(
            r -> {
              change.accept(r);
              return r;
            });
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == ATTEMPTS) {
          throw e;
        }
      }
    }
  }
}

package dev.vigil.operator.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.operator.opensearch.OpenSearchException;

/** Registers a SnapshotPolicy's repository, and re-registers it when its settings drifted. */
public final class Repositories {
  private Repositories() {}

  /** Returns true when the repository had to be (re-)registered. */
  public static boolean ensure(SnapshotApi api, PolicySettings settings)
      throws OpenSearchException {
    JsonNode actual = api.repository(settings.repository());
    if (actual != null && JsonSubset.contains(actual, settings.repositoryBody())) {
      return false;
    }
    api.putRepository(settings.repository(), settings.repositoryBody());
    return true;
  }
}

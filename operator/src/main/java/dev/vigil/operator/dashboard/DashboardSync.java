package dev.vigil.operator.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.core.dashboards.SavedObject;
import dev.vigil.core.dashboards.SavedObjectDrift;
import dev.vigil.operator.opensearch.OpenSearchException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One sync of a Dashboard's saved objects: compute what differs, write only that.
 *
 * <ul>
 *   <li>rendered objects changed (hash differs from the last sync, or another tenant/URL): import
 *       them all with overwrite;
 *   <li>unchanged and drift repair on: {@code _bulk_get} and re-import only objects that are
 *       missing or were edited by hand — nothing is written when all are intact;
 *   <li>unchanged and drift repair off: no call at all;
 *   <li>objects of the last sync that are no longer rendered are deleted.
 * </ul>
 */
final class DashboardSync {
  record Result(int imported, List<String> drifted, int deleted) {
    boolean wroteAnything() {
      return imported > 0 || deleted > 0;
    }
  }

  private DashboardSync() {}

  static Result apply(
      DashboardsClient client,
      List<SavedObject> desired,
      boolean changed,
      boolean repairDrift,
      List<String> previouslyManaged)
      throws OpenSearchException {
    List<SavedObject> toImport = new ArrayList<>();
    List<String> drifted = new ArrayList<>();
    if (changed) {
      toImport.addAll(desired);
    } else if (repairDrift) {
      Map<String, JsonNode> actual = client.bulkGet(desired);
      for (SavedObject object : desired) {
        String difference = SavedObjectDrift.difference(object, actual.get(object.key()));
        if (difference != null) {
          toImport.add(object);
          drifted.add(object.key() + " (" + difference + ")");
        }
      }
    }
    if (!toImport.isEmpty()) {
      client.importObjects(toImport);
    }
    Set<String> stale = new LinkedHashSet<>(previouslyManaged);
    desired.forEach(o -> stale.remove(o.key()));
    for (String key : stale) {
      client.delete(key);
    }
    return new Result(toImport.size(), drifted, stale.size());
  }
}

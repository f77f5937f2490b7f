package dev.vigil.operator.alerting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.api.v1alpha1.DeletionPolicy;
import dev.vigil.core.alerts.DesiredMonitor;
import dev.vigil.core.alerts.VigilMarker;
import dev.vigil.operator.opensearch.OpenSearchException;
import dev.vigil.operator.opensearch.OpenSearchRest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps one Alerting monitor equal to its {@link DesiredMonitor}, through the Alerting REST API
 * (https://docs.opensearch.org/latest/observing-your-data/alerting/api/):
 *
 * <ol>
 *   <li>find it: by the id from the last sync ({@code GET monitors/<id>}), else by its stable name
 *       ({@code POST monitors/_search}, term on {@code monitor.name.keyword});
 *   <li>none → create; one without Vigil's marker → adopt it (overwrite, so it carries the marker);
 *       extra Vigil copies of the same rule (a race) → delete them;
 *   <li>its stored hash differs from the desired hash → update; same hash but edited by hand (its
 *       version moved since our last write, or a field Vigil set differs) → repair;
 *   <li>otherwise write nothing.
 * </ol>
 *
 * The steady state costs one read and zero writes.
 */
public final class MonitorSync {
  static final String MONITORS = "/_plugins/_alerting/monitors";
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /**
   * What the last sync left, as the caller keeps it in status; {@link #NONE} when unknown.
   *
   * @param monitorId the monitor's id, or null
   * @param version the monitor document's {@code _version} after Vigil's last write, or 0
   */
  public record Known(String monitorId, long version) {
    public static final Known NONE = new Known(null, 0);
  }

  /**
   * @param version the monitor's {@code _version} now: keep it in status and pass it back as {@link
   *     Known} to detect hand edits of fields Vigil cannot compare (the query)
   * @param removedDuplicates extra Vigil monitors for the same rule that were deleted
   */
  public record Result(
      String monitorId, SyncAction action, long version, int removedDuplicates, String detail) {}

  /** A monitor as read back: id, document version and source. */
  record Found(String id, long version, JsonNode monitor) {}

  private MonitorSync() {}

  public static Result sync(OpenSearchRest rest, DesiredMonitor desired)
      throws OpenSearchException {
    return sync(rest, desired, Known.NONE);
  }

  public static Result sync(OpenSearchRest rest, DesiredMonitor desired, Known known)
      throws OpenSearchException {
    Found current = known.monitorId() == null ? null : get(rest, known.monitorId());
    if (current != null
        && !VigilMarker.isOurs(current.monitor(), desired.namespace(), desired.rule())) {
      current = null; // the id now points elsewhere (restored index, foreign monitor): search
    }
    int removed = 0;
    if (current == null) {
      List<Found> named = searchByName(rest, desired.name());
      List<Found> ours = new ArrayList<>();
      for (Found f : named) {
        if (VigilMarker.isOurs(f.monitor(), desired.namespace(), desired.rule())) {
          ours.add(f);
        }
      }
      if (!ours.isEmpty()) {
        current = ours.get(0);
        for (Found extra : ours.subList(1, ours.size())) {
          deleteById(rest, extra.id());
          removed++;
        }
      } else if (!named.isEmpty()) {
        Found unmarked = named.get(0);
        long version = put(rest, unmarked.id(), desired);
        // Vigil's own monitor whose marker was removed by hand, or someone else's: adopted.
        boolean wasOurs = unmarked.id().equals(known.monitorId());
        return new Result(
            unmarked.id(),
            wasOurs ? SyncAction.REPAIRED : SyncAction.ADOPTED,
            version,
            removed,
            wasOurs ? "the Vigil marker was removed by hand" : "adopted an unmarked monitor");
      }
    }
    if (current == null) {
      JsonNode created = rest.post(MONITORS, desired.body());
      SyncAction action = known.monitorId() == null ? SyncAction.CREATED : SyncAction.REPAIRED;
      return new Result(
          created.path("_id").asText(),
          action,
          created.path("_version").asLong(1),
          removed,
          action == SyncAction.REPAIRED ? "monitor " + known.monitorId() + " was deleted" : "");
    }
    String storedHash = VigilMarker.markerOf(current.monitor()).path("hash").asText("");
    SyncAction action;
    String detail;
    if (!storedHash.equals(desired.hash())) {
      action = SyncAction.UPDATED;
      detail = "desired state changed";
    } else {
      List<String> drift = MonitorDrift.differences(desired.body(), current.monitor());
      if (known.version() > 0
          && known.monitorId() != null
          && known.monitorId().equals(current.id())
          && current.version() != known.version()) {
        drift.add(
            "version " + current.version() + " differs from Vigil's last write " + known.version());
      }
      if (drift.isEmpty()) {
        return new Result(current.id(), SyncAction.UNCHANGED, current.version(), removed, "");
      }
      action = SyncAction.REPAIRED;
      detail = "edited by hand: " + String.join("; ", drift);
    }
    long version = put(rest, current.id(), desired);
    return new Result(current.id(), action, version, removed, detail);
  }

  /**
   * Deletes the rule's monitor (the known id, and any Vigil monitor with the rule's stable name)
   * unless the policy is Retain. Monitors without Vigil's marker are never deleted. Returns the
   * number deleted; "already gone" is success.
   */
  public static int delete(
      OpenSearchRest rest, String namespace, String rule, Known known, DeletionPolicy policy)
      throws OpenSearchException {
    if (policy == DeletionPolicy.Retain) {
      return 0;
    }
    int deleted = 0;
    if (known.monitorId() != null) {
      Found f = get(rest, known.monitorId());
      if (f != null && VigilMarker.isOurs(f.monitor(), namespace, rule)) {
        deleted += deleteById(rest, f.id()) ? 1 : 0;
      }
    }
    for (Found f : searchByName(rest, VigilMarker.monitorName(namespace, rule))) {
      if (VigilMarker.isOurs(f.monitor(), namespace, rule)) {
        deleted += deleteById(rest, f.id()) ? 1 : 0;
      }
    }
    return deleted;
  }

  static Found get(OpenSearchRest rest, String id) throws OpenSearchException {
    try {
      JsonNode response = rest.get(MONITORS + "/" + encode(id));
      return new Found(
          response.path("_id").asText(id),
          response.path("_version").asLong(),
          response.path("monitor"));
    } catch (OpenSearchException e) {
      if (e.isNotFound()) {
        return null;
      }
      throw e;
    }
  }

  static List<Found> searchByName(OpenSearchRest rest, String name) throws OpenSearchException {
    ObjectNode search = NODES.objectNode();
    search.put("size", 100);
    search.put("version", true);
    search
        .putObject("query")
        .putObject("bool")
        .putArray("filter")
        .addObject()
        .putObject("term")
        .put("monitor.name.keyword", name);
    JsonNode response;
    try {
      response = rest.post(MONITORS + "/_search", search);
    } catch (OpenSearchException e) {
      if (e.isNotFound()) {
        return List.of(); // no monitor was ever created: the scheduled-jobs index does not exist
      }
      throw e;
    }
    List<Found> out = new ArrayList<>();
    for (JsonNode hit : response.path("hits").path("hits")) {
      JsonNode source = hit.path("_source");
      // The search API returns monitors unwrapped; tolerate the raw {"monitor": {...}} document.
      JsonNode monitor = source.has("monitor") ? source.path("monitor") : source;
      if (name.equals(monitor.path("name").asText())) {
        out.add(new Found(hit.path("_id").asText(), hit.path("_version").asLong(), monitor));
      }
    }
    return out;
  }

  private static long put(OpenSearchRest rest, String id, DesiredMonitor desired)
      throws OpenSearchException {
    JsonNode response = rest.put(MONITORS + "/" + encode(id), desired.body());
    return response.path("_version").asLong();
  }

  private static boolean deleteById(OpenSearchRest rest, String id) throws OpenSearchException {
    try {
      rest.delete(MONITORS + "/" + encode(id));
      return true;
    } catch (OpenSearchException e) {
      if (e.isNotFound()) {
        return false;
      }
      throw e;
    }
  }

  private static String encode(String id) {
    return URLEncoder.encode(id, StandardCharsets.UTF_8);
  }
}

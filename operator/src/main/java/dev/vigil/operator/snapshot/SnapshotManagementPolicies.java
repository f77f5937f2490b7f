package dev.vigil.operator.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.core.snapshot.SnapshotNames;
import dev.vigil.core.snapshot.SnapshotRetention;
import dev.vigil.operator.opensearch.OpenSearchException;
import java.time.Instant;

/**
 * The Snapshot Management plugin as the snapshot scheduler ({@code _plugins/_sm/policies}): one SM
 * policy per SnapshotPolicy, named like its snapshots' prefix, created when missing, updated (with
 * the sequence number the plugin demands) only when what it holds differs from what the spec says.
 */
public final class SnapshotManagementPolicies {
  private static final String BASE = "_plugins/_sm/policies/";

  private SnapshotManagementPolicies() {}

  /** The SM policy document for a SnapshotPolicy. */
  public static ObjectNode desired(PolicySettings settings) {
    ObjectNode body = SnapshotApi.JSON.createObjectNode();
    body.put(
        "description",
        "Vigil SnapshotPolicy " + settings.namespace() + "/" + settings.name() + " (managed)");
    ObjectNode creation = body.putObject("creation");
    cron(creation, settings);
    SnapshotRetention retention = settings.retention();
    if (retention.maxAge() != null || retention.maxCount() != null) {
      ObjectNode deletion = body.putObject("deletion");
      cron(deletion, settings);
      ObjectNode condition = deletion.putObject("condition");
      if (retention.maxAge() != null) {
        condition.put("max_age", retention.maxAge().toHours() + "h");
      }
      if (retention.maxCount() != null) {
        condition.put("max_count", retention.maxCount());
      }
      condition.put("min_count", retention.minCount());
    }
    ObjectNode config = body.putObject("snapshot_config");
    config.put("date_format", SnapshotNames.DATE_FORMAT);
    // Names carry UTC dates whatever the plugin version's default zone is (some used the node's).
    config.put("date_format_timezone", "UTC");
    config.put("indices", String.join(",", settings.indices()));
    config.put("repository", settings.repository());
    config.put("ignore_unavailable", "true");
    config.put("include_global_state", "false");
    config.put("partial", "false");
    ObjectNode metadata = config.putObject("metadata");
    settings.snapshotMetadata().forEach(metadata::put);
    return body;
  }

  /** Creates or updates the SM policy; returns true when it wrote. */
  public static boolean ensure(SnapshotApi api, PolicySettings settings)
      throws OpenSearchException {
    String path = BASE + SnapshotApi.encode(settings.names().policy());
    ObjectNode desired = desired(settings);
    JsonNode actual;
    try {
      actual = api.call("get_sm_policy", () -> api.rest().get(path));
    } catch (OpenSearchException e) {
      if (!e.isNotFound()) {
        throw e;
      }
      api.call("create_sm_policy", () -> api.rest().post(path, desired));
      return true;
    }
    if (JsonSubset.contains(actual.path("sm_policy"), desired)
        && actual.path("sm_policy").path("enabled").asBoolean(true)) {
      return false;
    }
    String update =
        path
            + "?if_seq_no="
            + actual.path("_seq_no").asLong()
            + "&if_primary_term="
            + actual.path("_primary_term").asLong();
    api.call("update_sm_policy", () -> api.rest().put(update, desired));
    if (!actual.path("sm_policy").path("enabled").asBoolean(true)) {
      api.call("start_sm_policy", () -> api.rest().post(path + "/_start", null));
    }
    return true;
  }

  public static void delete(SnapshotApi api, PolicySettings settings) throws OpenSearchException {
    try {
      api.call(
          "delete_sm_policy",
          () -> api.rest().delete(BASE + SnapshotApi.encode(settings.names().policy())));
    } catch (OpenSearchException e) {
      if (!e.isNotFound()) {
        throw e;
      }
    }
  }

  /** What the plugin reports about its latest creation run. */
  public record Explained(Instant nextRun, String lastStatus, Instant lastEnd, String cause) {}

  public static Explained explain(SnapshotApi api, PolicySettings settings)
      throws OpenSearchException {
    JsonNode body =
        api.call(
            "explain_sm_policy",
            () ->
                api.rest().get(BASE + SnapshotApi.encode(settings.names().policy()) + "/_explain"));
    for (JsonNode policy : body.path("policies")) {
      if (!settings.names().policy().equals(policy.path("name").asText())) {
        continue;
      }
      JsonNode creation = policy.path("creation");
      long trigger = creation.path("trigger").path("time").asLong(0);
      JsonNode latest = creation.path("latest_execution");
      long end = latest.path("end_time").asLong(0);
      String cause = latest.path("info").path("cause").asText(null);
      if (cause == null) {
        cause = latest.path("info").path("message").asText(null);
      }
      return new Explained(
          trigger > 0 ? Instant.ofEpochMilli(trigger) : null,
          latest.path("status").asText(null),
          end > 0 ? Instant.ofEpochMilli(end) : null,
          cause);
    }
    return new Explained(null, null, null, null);
  }

  private static void cron(ObjectNode parent, PolicySettings settings) {
    ObjectNode cron = parent.putObject("schedule").putObject("cron");
    cron.put("expression", settings.schedule().expression());
    cron.put("timezone", "UTC");
  }
}

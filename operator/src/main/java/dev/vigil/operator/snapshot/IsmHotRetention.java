package dev.vigil.operator.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.operator.opensearch.OpenSearchException;

/**
 * Hot retention through Index State Management: one ISM policy per rule ({@code
 * <policy>-hot-<logtype>}), {@code hot} until the index is {@code maxAge} old, then (with {@code
 * requireSnapshot}) a snapshot of the index into the policy's repository, then delete. Its ISM
 * template attaches it to new indices of the pattern; existing ones are attached with {@code
 * _plugins/_ism/add} when the policy is created. ISM measures age from the index's creation, which
 * for indices the ingester writes is the start of their day (replayed days are the exception).
 */
public final class IsmHotRetention {
  private static final String BASE = "_plugins/_ism/policies/";

  /** Above ISM templates users create ad hoc (commonly 0-100), so Vigil's rule wins. */
  static final int TEMPLATE_PRIORITY = 150;

  private IsmHotRetention() {}

  public static String policyId(PolicySettings settings, PolicySettings.HotRule rule) {
    return settings.names().policy() + "-hot-" + rule.id();
  }

  public static ObjectNode desired(PolicySettings settings, PolicySettings.HotRule rule) {
    ObjectNode root = SnapshotApi.JSON.createObjectNode();
    ObjectNode policy = root.putObject("policy");
    policy.put(
        "description",
        "Vigil SnapshotPolicy "
            + settings.namespace()
            + "/"
            + settings.name()
            + ": delete "
            + rule.pattern()
            + " after "
            + rule.maxAge().toHours()
            + "h (managed)");
    policy.put("default_state", "hot");
    ArrayNode states = policy.putArray("states");
    ObjectNode hot = states.addObject();
    hot.put("name", "hot");
    hot.putArray("actions");
    ObjectNode toNext = hot.putArray("transitions").addObject();
    toNext.put("state_name", rule.requireSnapshot() ? "snapshot" : "delete");
    toNext.putObject("conditions").put("min_index_age", rule.maxAge().toHours() + "h");
    if (rule.requireSnapshot()) {
      ObjectNode snapshot = states.addObject();
      snapshot.put("name", "snapshot");
      ObjectNode action = snapshot.putArray("actions").addObject().putObject("snapshot");
      action.put("repository", settings.repository());
      action.put("snapshot", policyId(settings, rule));
      snapshot.putArray("transitions").addObject().put("state_name", "delete");
    }
    ObjectNode delete = states.addObject();
    delete.put("name", "delete");
    delete.putArray("actions").addObject().putObject("delete");
    delete.putArray("transitions");
    ObjectNode template = policy.putArray("ism_template").addObject();
    template.putArray("index_patterns").add(rule.pattern());
    template.put("priority", TEMPLATE_PRIORITY);
    return root;
  }

  /** Creates or updates each rule's ISM policy; returns how many it wrote. */
  public static int ensure(SnapshotApi api, PolicySettings settings) throws OpenSearchException {
    int written = 0;
    for (PolicySettings.HotRule rule : settings.hotRules()) {
      String id = policyId(settings, rule);
      String path = BASE + SnapshotApi.encode(id);
      ObjectNode desired = desired(settings, rule);
      JsonNode actual;
      try {
        actual = api.call("get_ism_policy", () -> api.rest().get(path));
      } catch (OpenSearchException e) {
        if (!e.isNotFound()) {
          throw e;
        }
        api.call("create_ism_policy", () -> api.rest().put(path, desired));
        ObjectNode add = SnapshotApi.JSON.createObjectNode().put("policy_id", id);
        api.call(
            "add_ism_policy",
            () -> api.rest().post("_plugins/_ism/add/" + SnapshotApi.encode(rule.pattern()), add));
        written++;
        continue;
      }
      if (JsonSubset.contains(actual.path("policy"), desired.path("policy"))) {
        continue;
      }
      String update =
          path
              + "?if_seq_no="
              + actual.path("_seq_no").asLong()
              + "&if_primary_term="
              + actual.path("_primary_term").asLong();
      api.call("update_ism_policy", () -> api.rest().put(update, desired));
      written++;
    }
    return written;
  }

  public static void delete(SnapshotApi api, PolicySettings settings) throws OpenSearchException {
    for (PolicySettings.HotRule rule : settings.hotRules()) {
      try {
        api.call(
            "delete_ism_policy",
            () -> api.rest().delete(BASE + SnapshotApi.encode(policyId(settings, rule))));
      } catch (OpenSearchException e) {
        if (!e.isNotFound()) {
          throw e;
        }
      }
    }
  }
}

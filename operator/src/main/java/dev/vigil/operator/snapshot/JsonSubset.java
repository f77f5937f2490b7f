package dev.vigil.operator.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Whether what a plugin returns still holds everything Vigil asked for. Plugins add defaults to
 * stored objects (ISM adds a retry block to every action, Snapshot Management adds schedules and
 * timestamps), so equality would see drift on every reconcile; a subset comparison sees only real
 * changes. Scalars compare by text ({@code "true"} equals {@code true}); arrays must have the same
 * length and match element by element.
 */
final class JsonSubset {
  private JsonSubset() {}

  static boolean contains(JsonNode actual, JsonNode desired) {
    if (desired == null || desired.isNull()) {
      return true;
    }
    if (actual == null || actual.isMissingNode() || actual.isNull()) {
      return false;
    }
    if (desired.isObject()) {
      if (!actual.isObject()) {
        return false;
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = desired.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        if (!contains(actual.get(field.getKey()), field.getValue())) {
          return false;
        }
      }
      return true;
    }
    if (desired.isArray()) {
      if (!actual.isArray() || actual.size() != desired.size()) {
        return false;
      }
      for (int i = 0; i < desired.size(); i++) {
        if (!contains(actual.get(i), desired.get(i))) {
          return false;
        }
      }
      return true;
    }
    return !actual.isContainerNode() && actual.asText().equals(desired.asText());
  }
}

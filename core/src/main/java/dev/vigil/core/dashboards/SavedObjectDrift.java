package dev.vigil.core.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Whether a saved object as Dashboards returns it ({@code _bulk_get}) still is what Vigil imported.
 * Only what Vigil sets is compared, at every depth (Dashboards adds its own keys, e.g. an index
 * pattern's {@code fields} after a refresh, or defaults a newer editor writes into {@code
 * visState}); JSON-in-string attributes are compared as JSON, so a re-encoding by Dashboards is not
 * mistaken for an edit; arrays must match element by element; references are compared as a set.
 */
public final class SavedObjectDrift {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SavedObjectDrift() {}

  /**
   * @param actual one entry of the {@code saved_objects} array of a {@code _bulk_get} response
   * @return why the object differs, or null when it is as desired
   */
  public static String difference(SavedObject desired, JsonNode actual) {
    if (actual == null || actual.isMissingNode() || actual.has("error")) {
      return "missing";
    }
    JsonNode attributes = actual.path("attributes");
    Iterator<Map.Entry<String, JsonNode>> fields = desired.attributes().fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      if (!same(field.getValue(), attributes.path(field.getKey()))) {
        return "attribute " + field.getKey() + " changed";
      }
    }
    Set<String> wanted = new HashSet<>();
    desired.references().forEach(r -> wanted.add(r.name() + "|" + r.type() + "|" + r.id()));
    Set<String> found = new HashSet<>();
    actual
        .path("references")
        .forEach(
            r ->
                found.add(
                    r.path("name").asText()
                        + "|"
                        + r.path("type").asText()
                        + "|"
                        + r.path("id").asText()));
    return wanted.equals(found) ? null : "references changed";
  }

  private static boolean same(JsonNode desired, JsonNode actual) {
    if (desired.isObject() && actual.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> fields = desired.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        if (!same(field.getValue(), actual.path(field.getKey()))) {
          return false;
        }
      }
      return true;
    }
    if (desired.isArray() && actual.isArray()) {
      if (desired.size() != actual.size()) {
        return false;
      }
      for (int i = 0; i < desired.size(); i++) {
        if (!same(desired.get(i), actual.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (desired.isTextual() && actual.isTextual()) {
      String a = desired.asText();
      String b = actual.asText();
      if (a.equals(b)) {
        return true;
      }
      JsonNode parsedA = json(a);
      JsonNode parsedB = json(b);
      return parsedA != null && parsedB != null && same(parsedA, parsedB);
    }
    if (desired.isNumber() && actual.isNumber()) {
      return desired.decimalValue().compareTo(actual.decimalValue()) == 0;
    }
    return desired.equals(actual);
  }

  private static JsonNode json(String text) {
    String t = text.strip();
    if (!(t.startsWith("{") || t.startsWith("["))) {
      return null;
    }
    try {
      return JSON.readTree(t);
    } catch (IOException e) {
      return null;
    }
  }
}

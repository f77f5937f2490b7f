package dev.vigil.core.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Saved objects exported from Dashboards (NDJSON, one object per line; a JSON array is accepted
 * too), taken as they are. The export's trailing summary line ({@code exportedCount}) is skipped.
 * Their ids are kept: the export's references point at them.
 */
public final class RawSavedObjects {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RawSavedObjects() {}

  public static List<SavedObject> parse(String text, String field) {
    List<SavedObject> objects = new ArrayList<>();
    String trimmed = text.strip();
    if (trimmed.startsWith("[")) {
      JsonNode array = read(trimmed, field);
      for (int i = 0; i < array.size(); i++) {
        add(objects, array.get(i), field + "[" + i + "]");
      }
      return objects;
    }
    String[] lines = text.split("\r?\n");
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].isBlank()) {
        continue;
      }
      add(objects, read(lines[i], field + " line " + (i + 1)), field + " line " + (i + 1));
    }
    return objects;
  }

  private static void add(List<SavedObject> objects, JsonNode node, String at) {
    if (node.has("exportedCount") && !node.has("type")) {
      return;
    }
    if (!node.isObject()) {
      throw new DashboardException(at + ": a saved object must be a JSON object");
    }
    String type = node.path("type").asText("");
    String id = node.path("id").asText("");
    if (type.isEmpty() || id.isEmpty()) {
      throw new DashboardException(at + ": a saved object needs a type and an id");
    }
    if (!node.path("attributes").isObject()) {
      throw new DashboardException(at + ": " + type + "/" + id + " has no attributes object");
    }
    List<SavedObject.Reference> references = new ArrayList<>();
    for (JsonNode r : node.path("references")) {
      references.add(
          new SavedObject.Reference(
              r.path("name").asText(), r.path("type").asText(), r.path("id").asText()));
    }
    Map<String, String> versions = new LinkedHashMap<>();
    node.path("migrationVersion")
        .fields()
        .forEachRemaining(e -> versions.put(e.getKey(), e.getValue().asText()));
    objects.add(
        new SavedObject(
            type,
            id,
            (ObjectNode) node.get("attributes").deepCopy(),
            List.copyOf(references),
            versions));
  }

  private static JsonNode read(String json, String at) {
    try {
      return JSON.readTree(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new DashboardException(at + ": not JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new DashboardException(at + ": not JSON: " + e.getMessage());
    }
  }
}

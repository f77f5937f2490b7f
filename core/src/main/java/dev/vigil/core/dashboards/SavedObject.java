package dev.vigil.core.dashboards;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * One OpenSearch Dashboards saved object as the saved-objects API exports and imports it: {@code
 * type}, {@code id}, {@code attributes} (with JSON-in-string fields such as {@code visState}),
 * {@code references} and {@code migrationVersion}.
 *
 * @param migrationVersion the migrations the attributes already satisfy (Dashboards runs none newer
 *     than these on import); empty for raw objects that carried none
 */
public record SavedObject(
    String type,
    String id,
    ObjectNode attributes,
    List<Reference> references,
    Map<String, String> migrationVersion) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public static final String INDEX_PATTERN = "index-pattern";
  public static final String SEARCH = "search";
  public static final String VISUALIZATION = "visualization";
  public static final String DASHBOARD = "dashboard";

  /** A named link from this object to another one ({@code indexRefName}, {@code panel_0}, …). */
  public record Reference(String name, String type, String id) {}

  public String title() {
    return attributes.path("title").asText("");
  }

  /** {@code type/id}: how Vigil lists the objects it manages. */
  public String key() {
    return type + "/" + id;
  }

  /** The object as one line of an NDJSON export (also the body of an import). */
  public ObjectNode toJson() {
    ObjectNode json = JSON.createObjectNode();
    json.put("type", type);
    json.put("id", id);
    json.set("attributes", attributes.deepCopy());
    ArrayNode refs = json.putArray("references");
    for (Reference r : references) {
      refs.addObject().put("name", r.name()).put("type", r.type()).put("id", r.id());
    }
    if (!migrationVersion.isEmpty()) {
      ObjectNode versions = json.putObject("migrationVersion");
      migrationVersion.forEach(versions::put);
    }
    return json;
  }

  /** NDJSON of the objects, one per line, in the given order. */
  public static String ndjson(List<SavedObject> objects) {
    StringBuilder out = new StringBuilder();
    for (SavedObject object : objects) {
      out.append(object.toJson().toString()).append('\n');
    }
    return out.toString();
  }
}

package dev.vigil.operator.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.vigil.core.dashboards.SavedObject;
import dev.vigil.operator.opensearch.OpenSearchException;
import dev.vigil.operator.opensearch.OpenSearchRest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The OpenSearch Dashboards saved-objects API, as Vigil uses it: {@code _import?overwrite=true}
 * (multipart NDJSON upload), {@code _bulk_get} and {@code DELETE}. Every request carries {@code
 * osd-xsrf: true} (Dashboards refuses writes without it) and, when a tenant is set, the Security
 * plugin's {@code securitytenant} header.
 */
public final class DashboardsClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String API = "api/saved_objects/";

  private final OpenSearchRest rest;
  private final String tenant;

  /**
   * @param rest HTTP to the Dashboards base URL (ending in '/', paths resolve below it)
   * @param tenant Security plugin tenant, or null for the user's default
   */
  public DashboardsClient(OpenSearchRest rest, String tenant) {
    this.rest = rest;
    this.tenant = tenant;
  }

  /** Imports the objects, overwriting existing ones with the same ids. */
  public void importObjects(List<SavedObject> objects) throws OpenSearchException {
    String boundary = "vigil-" + UUID.randomUUID();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    write(body, "--" + boundary + "\r\n");
    write(body, "Content-Disposition: form-data; name=\"file\"; filename=\"vigil.ndjson\"\r\n");
    write(body, "Content-Type: application/ndjson\r\n\r\n");
    write(body, SavedObject.ndjson(objects));
    write(body, "\r\n--" + boundary + "--\r\n");
    JsonNode response =
        rest.send(
            "POST",
            API + "_import?overwrite=true",
            body.toByteArray(),
            "multipart/form-data; boundary=" + boundary,
            headers());
    if (!response.path("success").asBoolean(false)) {
      List<String> errors = new ArrayList<>();
      response
          .path("errors")
          .forEach(
              e ->
                  errors.add(
                      e.path("type").asText()
                          + "/"
                          + e.path("id").asText()
                          + ": "
                          + e.path("error").path("type").asText("error")
                          + describeMissing(e.path("error"))));
      throw new OpenSearchException(
          "ImportFailed",
          200,
          "Dashboards imported "
              + response.path("successCount").asInt()
              + " of "
              + objects.size()
              + " objects: "
              + String.join("; ", errors),
          null);
    }
  }

  /**
   * The stored state of each object by {@link SavedObject#key()}: the entry of the {@code
   * saved_objects} array, which has an {@code error} (404) for an object that does not exist.
   */
  public Map<String, JsonNode> bulkGet(List<SavedObject> objects) throws OpenSearchException {
    ArrayNode request = JSON.createArrayNode();
    for (SavedObject object : objects) {
      request.addObject().put("type", object.type()).put("id", object.id());
    }
    JsonNode response =
        rest.send(
            "POST",
            API + "_bulk_get",
            request.toString().getBytes(StandardCharsets.UTF_8),
            "application/json",
            headers());
    Map<String, JsonNode> found = new HashMap<>();
    for (JsonNode entry : response.path("saved_objects")) {
      found.put(entry.path("type").asText() + "/" + entry.path("id").asText(), entry);
    }
    return found;
  }

  /** Deletes one object by {@code type/id}; an object that is already gone counts as deleted. */
  public void delete(String key) throws OpenSearchException {
    try {
      rest.send("DELETE", API + key, new byte[0], null, headers());
    } catch (OpenSearchException e) {
      if (!e.isNotFound()) {
        throw e;
      }
    }
  }

  private Map<String, String> headers() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("osd-xsrf", "true");
    if (tenant != null && !tenant.isBlank()) {
      headers.put("securitytenant", tenant);
    }
    return headers;
  }

  private static String describeMissing(JsonNode error) {
    if (!error.has("references")) {
      return "";
    }
    List<String> missing = new ArrayList<>();
    error
        .path("references")
        .forEach(r -> missing.add(r.path("type").asText() + "/" + r.path("id").asText()));
    return " " + missing;
  }

  private static void write(ByteArrayOutputStream out, String text) {
    out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
  }
}

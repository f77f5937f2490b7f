package dev.vigil.core.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The search request OpenSearch Dashboards sends for a saved visualization or saved search: its
 * index pattern, its queries (the saved search's and its own, Lucene) and the aggregations its
 * {@code visState} describes, nested bucket by bucket with the metrics innermost. Lets Vigil run
 * every shipped visualization against a real cluster: an aggregation OpenSearch rejects, or a field
 * it cannot aggregate, shows before any analyst opens the dashboard.
 *
 * <p>The {@code auto} date interval, which Dashboards computes from the time picker, is one hour
 * here.
 */
public final class VisualizationRequests {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String AUTO_INTERVAL = "1h";

  private VisualizationRequests() {}

  /**
   * @param indexPattern the pattern searched (the index-pattern object's title)
   * @param body the body of {@code POST <indexPattern>/_search}
   * @param fields the fields the aggregations read
   */
  public record Request(String indexPattern, ObjectNode body, List<String> fields) {}

  /**
   * @param objects every object of the dashboard by id (the visualization's search and pattern)
   */
  public static Request of(SavedObject object, Map<String, SavedObject> objects) {
    List<String> queries = new ArrayList<>();
    SavedObject pattern = sourcePattern(object, objects, queries);
    ObjectNode body = JSON.createObjectNode();
    body.put("size", 0);
    body.put("track_total_hits", true);
    body.set("query", query(queries));
    Set<String> fields = new LinkedHashSet<>();
    if (SavedObject.VISUALIZATION.equals(object.type())) {
      JsonNode vis = parse(object.attributes().path("visState").asText(), object, "visState");
      ObjectNode aggs = aggregations(vis.path("aggs"), fields);
      if (aggs.size() > 0) {
        body.set("aggs", aggs);
      }
    }
    return new Request(pattern.title(), body, List.copyOf(fields));
  }

  /** Follows savedSearchRefName / indexRefName to the index pattern, collecting the queries. */
  private static SavedObject sourcePattern(
      SavedObject object, Map<String, SavedObject> objects, List<String> queries) {
    JsonNode source =
        parse(
            object.attributes().path("kibanaSavedObjectMeta").path("searchSourceJSON").asText("{}"),
            object,
            "searchSourceJSON");
    String query = source.path("query").path("query").asText("");
    if (!query.isBlank()) {
      queries.add(query);
    }
    String searchRef = object.attributes().path("savedSearchRefName").asText(null);
    if (searchRef != null) {
      return sourcePattern(referenced(object, searchRef, objects), objects, queries);
    }
    String indexRef = source.path("indexRefName").asText(null);
    if (indexRef == null) {
      throw new DashboardException(object.key() + ": reads no index pattern");
    }
    return referenced(object, indexRef, objects);
  }

  private static SavedObject referenced(
      SavedObject object, String refName, Map<String, SavedObject> objects) {
    SavedObject.Reference ref =
        object.references().stream()
            .filter(r -> r.name().equals(refName))
            .findFirst()
            .orElseThrow(
                () -> new DashboardException(object.key() + ": no reference named " + refName));
    SavedObject target = objects.get(ref.id());
    if (target == null) {
      throw new DashboardException(
          object.key() + ": references " + ref.type() + "/" + ref.id() + ", which is missing");
    }
    return target;
  }

  private static JsonNode query(List<String> queries) {
    ObjectNode query = JSON.createObjectNode();
    if (queries.isEmpty()) {
      query.putObject("match_all");
      return query;
    }
    ArrayNode filter = query.putObject("bool").putArray("filter");
    for (String q : queries) {
      filter.addObject().putObject("query_string").put("query", q).put("analyze_wildcard", true);
    }
    return query;
  }

  private static ObjectNode aggregations(JsonNode aggs, Set<String> fields) {
    ObjectNode metrics = JSON.createObjectNode();
    List<JsonNode> buckets = new ArrayList<>();
    boolean countFirst = false;
    for (JsonNode agg : aggs) {
      if (!agg.path("enabled").asBoolean(true)) {
        continue;
      }
      String type = agg.path("type").asText();
      String field = agg.path("params").path("field").asText(null);
      if ("metric".equals(agg.path("schema").asText())) {
        if ("count".equals(type)) {
          countFirst |= "1".equals(agg.path("id").asText());
        } else {
          metrics.putObject(agg.path("id").asText()).putObject(type).put("field", field);
          fields.add(field);
        }
      } else {
        buckets.add(agg);
        if (field != null) {
          fields.add(field);
        }
      }
    }
    ObjectNode inner = metrics;
    for (int i = buckets.size() - 1; i >= 0; i--) {
      JsonNode agg = buckets.get(i);
      ObjectNode level = JSON.createObjectNode();
      ObjectNode bucket = level.putObject(agg.path("id").asText());
      bucket.set(agg.path("type").asText(), bucketBody(agg, countFirst));
      ObjectNode sub = inner.deepCopy();
      if (i < buckets.size() - 1) {
        sub.setAll(metrics); // the ordering metric is needed at every level
      }
      if ("geohash_grid".equals(agg.path("type").asText())) {
        sub.putObject("centroid")
            .putObject("geo_centroid")
            .put("field", agg.path("params").path("field").asText());
      }
      if (sub.size() > 0) {
        bucket.set("aggs", sub);
      }
      inner = level;
    }
    return inner;
  }

  private static ObjectNode bucketBody(JsonNode agg, boolean countFirst) {
    JsonNode params = agg.path("params");
    ObjectNode body = JSON.createObjectNode();
    body.put("field", params.path("field").asText());
    switch (agg.path("type").asText()) {
      case "terms" -> {
        body.put("size", params.path("size").asInt(10));
        String orderBy = params.path("orderBy").asText("1");
        String key = "1".equals(orderBy) && countFirst ? "_count" : orderBy;
        if ("_key".equals(orderBy)) {
          key = "_key";
        }
        body.putObject("order").put(key, params.path("order").asText("desc"));
      }
      case "date_histogram" -> {
        String interval = params.path("interval").asText("auto");
        body.put("fixed_interval", "auto".equals(interval) ? AUTO_INTERVAL : interval);
        body.put("time_zone", "UTC");
        body.put("min_doc_count", params.path("min_doc_count").asInt(1));
      }
      case "geohash_grid" -> body.put("precision", params.path("precision").asInt(2));
      default ->
          throw new DashboardException(
              "bucket aggregation " + agg.path("type").asText() + " is not supported");
    }
    return body;
  }

  private static JsonNode parse(String json, SavedObject object, String attribute) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new DashboardException(object.key() + ": " + attribute + " is not JSON");
    }
  }
}

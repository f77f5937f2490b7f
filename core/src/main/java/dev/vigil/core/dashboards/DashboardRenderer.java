package dev.vigil.core.dashboards;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.core.dashboards.DashboardDefinition.IndexPattern;
import dev.vigil.core.dashboards.DashboardDefinition.Panel;
import dev.vigil.core.dashboards.DashboardDefinition.PanelType;
import dev.vigil.core.dashboards.DashboardDefinition.Search;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders a {@link DashboardDefinition} to the saved objects OpenSearch Dashboards 2.x stores:
 * index patterns, saved searches, one visualization per panel and the dashboard, in that order
 * (what an object references comes before it), followed by the raw objects. JSON-valued attributes
 * ({@code visState}, {@code uiStateJSON}, {@code panelsJSON}, {@code optionsJSON}, {@code
 * kibanaSavedObjectMeta.searchSourceJSON}) are strings, and links between objects are {@code
 * references} ({@code indexRefName}, {@code savedSearchRefName}, {@code panelRefName}) as
 * Dashboards writes them. Queries are Lucene.
 */
public final class DashboardRenderer {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String INDEX_REF = "kibanaSavedObjectMeta.searchSourceJSON.index";
  static final String SEARCH_REF = "search_0";
  static final int GRID_COLUMNS = 48;

  /** Panel version written in panelsJSON (the embeddable format Dashboards 2.x reads). */
  static final String PANEL_VERSION = "7.10.0";

  // The migrations of Dashboards 2.x (inherited from Kibana 7.10) each type already satisfies.
  private static final Map<String, String> MIGRATED =
      Map.of(
          SavedObject.INDEX_PATTERN, "7.6.0",
          SavedObject.SEARCH, "7.9.3",
          SavedObject.VISUALIZATION, "7.10.0",
          SavedObject.DASHBOARD, "7.9.3");

  private final String namespace;
  private final String name;

  /** Renders for the Dashboard resource {@code namespace/name} (the source of stable ids). */
  public DashboardRenderer(String namespace, String name) {
    this.namespace = namespace;
    this.name = name;
  }

  /** The rendered objects, and the id of the dashboard object (null for raw objects only). */
  public record Rendered(List<SavedObject> objects, String dashboardId) {}

  public Rendered render(DashboardDefinition definition) {
    List<SavedObject> objects = new ArrayList<>();
    String dashboardId = null;
    if (definition.hasConcisePart()) {
      Map<String, String> patternIds = new HashMap<>();
      for (IndexPattern pattern : definition.indexPatterns()) {
        SavedObject object = indexPattern(pattern);
        patternIds.put(pattern.name(), object.id());
        objects.add(object);
      }
      Map<String, String> searchIds = new HashMap<>();
      for (Search search : definition.searches()) {
        SavedObject object = search(search, patternIds.get(search.indexPattern()));
        searchIds.put(search.name(), object.id());
        objects.add(object);
      }
      List<SavedObject.Reference> panelRefs = new ArrayList<>();
      Map<String, Integer> titles = new HashMap<>();
      for (Panel panel : definition.panels()) {
        String ref = "panel_" + panelRefs.size();
        if (panel.type() == PanelType.Search) {
          panelRefs.add(
              new SavedObject.Reference(ref, SavedObject.SEARCH, searchIds.get(panel.search())));
          continue;
        }
        String key = SavedObjectIds.slug(panel.title());
        int seen = titles.merge(key, 1, Integer::sum);
        SavedObject vis =
            visualization(
                panel, seen == 1 ? key : key + "-" + seen, definition, patternIds, searchIds);
        objects.add(vis);
        panelRefs.add(new SavedObject.Reference(ref, SavedObject.VISUALIZATION, vis.id()));
      }
      SavedObject dashboard = dashboard(definition, panelRefs);
      objects.add(dashboard);
      dashboardId = dashboard.id();
    }
    if (definition.rawObjects() != null) {
      objects.addAll(RawSavedObjects.parse(definition.rawObjects(), "spec.rawObjects"));
    }
    checkUnique(objects);
    return new Rendered(List.copyOf(objects), dashboardId);
  }

  private SavedObject indexPattern(IndexPattern pattern) {
    ObjectNode attributes = JSON.createObjectNode();
    attributes.put("title", pattern.pattern());
    attributes.put("timeFieldName", pattern.timeField());
    return object(SavedObject.INDEX_PATTERN, pattern.name(), attributes, List.of());
  }

  private SavedObject search(Search search, String patternId) {
    ObjectNode attributes = JSON.createObjectNode();
    attributes.put("title", search.title());
    attributes.put("description", "");
    attributes.put("hits", 0);
    ArrayNode columns = attributes.putArray("columns");
    if (search.columns().isEmpty()) {
      columns.add("_source");
    } else {
      search.columns().forEach(columns::add);
    }
    attributes.putArray("sort").addArray().add("@timestamp").add("desc");
    attributes.put("version", 1);
    ObjectNode source = searchSource(search.query());
    source.put("indexRefName", INDEX_REF);
    meta(attributes, source);
    return object(
        SavedObject.SEARCH,
        search.name(),
        attributes,
        List.of(new SavedObject.Reference(INDEX_REF, SavedObject.INDEX_PATTERN, patternId)));
  }

  private SavedObject visualization(
      Panel panel,
      String key,
      DashboardDefinition definition,
      Map<String, String> patternIds,
      Map<String, String> searchIds) {
    String patternName =
        panel.search() != null
            ? definition.search(panel.search()).indexPattern()
            : panel.indexPattern();
    String timeField = definition.indexPattern(patternName).timeField();
    ObjectNode attributes = JSON.createObjectNode();
    attributes.put("title", panel.title());
    attributes.put("visState", VisStates.of(panel, timeField).toString());
    attributes.put("uiStateJSON", "{}");
    attributes.put("description", "");
    attributes.put("version", 1);
    ObjectNode source = searchSource(panel.query());
    List<SavedObject.Reference> references;
    if (panel.search() != null) {
      attributes.put("savedSearchRefName", SEARCH_REF);
      references =
          List.of(
              new SavedObject.Reference(
                  SEARCH_REF, SavedObject.SEARCH, searchIds.get(panel.search())));
    } else {
      source.put("indexRefName", INDEX_REF);
      references =
          List.of(
              new SavedObject.Reference(
                  INDEX_REF, SavedObject.INDEX_PATTERN, patternIds.get(panel.indexPattern())));
    }
    meta(attributes, source);
    return object(SavedObject.VISUALIZATION, key, attributes, references);
  }

  private SavedObject dashboard(
      DashboardDefinition definition, List<SavedObject.Reference> panelRefs) {
    ArrayNode panels = JSON.createArrayNode();
    int x = 0;
    int y = 0;
    int rowHeight = 0;
    for (int i = 0; i < definition.panels().size(); i++) {
      Panel panel = definition.panels().get(i);
      if (x + panel.width() > GRID_COLUMNS) {
        x = 0;
        y += rowHeight;
        rowHeight = 0;
      }
      String index = String.valueOf(i + 1);
      ObjectNode entry = panels.addObject();
      entry.put("version", PANEL_VERSION);
      entry
          .putObject("gridData")
          .put("x", x)
          .put("y", y)
          .put("w", panel.width())
          .put("h", panel.height())
          .put("i", index);
      entry.put("panelIndex", index);
      entry.putObject("embeddableConfig");
      entry.put("panelRefName", panelRefs.get(i).name());
      x += panel.width();
      rowHeight = Math.max(rowHeight, panel.height());
    }
    ObjectNode attributes = JSON.createObjectNode();
    attributes.put("title", definition.title());
    attributes.put("hits", 0);
    attributes.put("description", definition.description());
    attributes.put("panelsJSON", panels.toString());
    attributes.put("optionsJSON", "{\"hidePanelTitles\":false,\"useMargins\":true}");
    attributes.put("version", 1);
    attributes.put("timeRestore", true);
    attributes.put("timeTo", "now");
    attributes.put("timeFrom", definition.timeFrom());
    attributes.putObject("refreshInterval").put("pause", true).put("value", 0);
    meta(attributes, searchSource(""));
    return object(SavedObject.DASHBOARD, "dashboard", attributes, List.copyOf(panelRefs));
  }

  private static ObjectNode searchSource(String query) {
    ObjectNode source = JSON.createObjectNode();
    source.putObject("query").put("query", query).put("language", "lucene");
    source.putArray("filter");
    return source;
  }

  private static void meta(ObjectNode attributes, ObjectNode searchSource) {
    attributes.putObject("kibanaSavedObjectMeta").put("searchSourceJSON", searchSource.toString());
  }

  private SavedObject object(
      String type, String key, ObjectNode attributes, List<SavedObject.Reference> references) {
    return new SavedObject(
        type,
        SavedObjectIds.of(namespace, name, type, key),
        attributes,
        references,
        Map.of(type, MIGRATED.get(type)));
  }

  private static void checkUnique(List<SavedObject> objects) {
    Map<String, SavedObject> seen = new LinkedHashMap<>();
    for (SavedObject object : objects) {
      if (seen.put(object.key(), object) != null) {
        throw new DashboardException(
            "spec.rawObjects: " + object.key() + " appears twice among the objects");
      }
    }
  }
}

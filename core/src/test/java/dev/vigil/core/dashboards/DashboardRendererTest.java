package dev.vigil.core.dashboards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DashboardRendererTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final YAMLMapper YAML = new YAMLMapper();

  private static final String SPEC =
      """
      title: CloudTrail — main
      description: Who does what
      timeFrom: now-7d
      indexPatterns:
        - {name: cloudtrail, pattern: vigil-cloudtrail-*}
      searches:
        - name: failed
          title: Failed API calls
          indexPattern: cloudtrail
          query: "event.outcome:failure"
          columns: [user.name, eventName]
      panels:
        - {title: Active users, type: Metric, indexPattern: cloudtrail, metric: {type: UniqueCount, field: user.name}, width: 12, height: 8}
        - {title: Top services, type: Pie, indexPattern: cloudtrail, splitBy: eventSource, size: 10, width: 36}
        - {title: Failures over time, type: Bar, search: failed, splitBy: eventName}
        - {title: Failed API calls, type: Search, search: failed, width: 48}
      """;

  private static DashboardDefinition definition(String yaml) throws Exception {
    return DashboardDefinition.fromSpec(YAML.readTree(yaml));
  }

  private static Map<String, SavedObject> byTitle(List<SavedObject> objects) {
    return objects.stream()
        .collect(Collectors.toMap(o -> o.type() + ":" + o.title(), Function.identity()));
  }

  /** Discover shows a column from each hit's _source, which holds an alias's target, not it. */
  @Test
  void aSavedSearchColumnNamingAFieldAliasIsRefusedWithTheFieldThatHoldsIt() throws Exception {
    String spec =
        String.join(
            "\n",
            "title: t",
            "indexPatterns:",
            "  - {name: p, pattern: 'vigil-cloudtrail-*'}",
            "searches:",
            "  - {name: s, title: s, indexPattern: p, columns: [user.name, COLUMN]}",
            "panels:",
            "  - {title: a, type: Pie, search: s, splitBy: event.action}",
            "");
    assertThatThrownBy(
            () ->
                DashboardDefinition.fromSpec(YAML.readTree(spec.replace("COLUMN", "event.action"))))
        .isInstanceOf(DashboardException.class)
        .hasMessageStartingWith(
            "spec.searches[0].columns[1]: event.action is a field alias of eventName in cloudtrail");
    assertThat(
            DashboardDefinition.fromSpec(YAML.readTree(spec.replace("COLUMN", "eventName")))
                .searches())
        .hasSize(1);
  }

  @Test
  void rendersPatternsSearchesVisualizationsAndTheDashboardInDependencyOrder() throws Exception {
    var rendered = new DashboardRenderer("vigil", "main").render(definition(SPEC));
    assertThat(rendered.objects())
        .extracting(SavedObject::type)
        .containsExactly(
            "index-pattern",
            "search",
            "visualization",
            "visualization",
            "visualization",
            "dashboard");
    Map<String, SavedObject> objects = byTitle(rendered.objects());

    SavedObject pattern = objects.get("index-pattern:vigil-cloudtrail-*");
    assertThat(pattern.attributes().path("timeFieldName").asText()).isEqualTo("@timestamp");
    assertThat(pattern.toJson().path("migrationVersion").path("index-pattern").asText())
        .isEqualTo("7.6.0");

    SavedObject search = objects.get("search:Failed API calls");
    JsonNode source =
        JSON.readTree(
            search.attributes().path("kibanaSavedObjectMeta").path("searchSourceJSON").asText());
    assertThat(source.path("query").path("query").asText()).isEqualTo("event.outcome:failure");
    assertThat(source.path("query").path("language").asText()).isEqualTo("lucene");
    assertThat(source.path("indexRefName").asText())
        .isEqualTo("kibanaSavedObjectMeta.searchSourceJSON.index");
    assertThat(search.references())
        .containsExactly(
            new SavedObject.Reference(
                "kibanaSavedObjectMeta.searchSourceJSON.index", "index-pattern", pattern.id()));
    assertThat(search.attributes().path("columns").toString())
        .isEqualTo("[\"user.name\",\"eventName\"]");

    SavedObject users = objects.get("visualization:Active users");
    JsonNode vis = JSON.readTree(users.attributes().path("visState").asText());
    assertThat(vis.path("type").asText()).isEqualTo("metric");
    assertThat(vis.path("aggs").get(0).path("type").asText()).isEqualTo("cardinality");
    assertThat(vis.path("aggs").get(0).path("params").path("field").asText())
        .isEqualTo("user.name");
    assertThat(users.attributes().path("uiStateJSON").asText()).isEqualTo("{}");

    SavedObject bar = objects.get("visualization:Failures over time");
    JsonNode barVis = JSON.readTree(bar.attributes().path("visState").asText());
    assertThat(barVis.path("type").asText()).isEqualTo("histogram");
    assertThat(barVis.path("aggs"))
        .extracting(a -> a.path("type").asText() + "/" + a.path("schema").asText())
        .containsExactly("count/metric", "date_histogram/segment", "terms/group");
    assertThat(bar.attributes().path("savedSearchRefName").asText()).isEqualTo("search_0");
    assertThat(bar.references())
        .containsExactly(new SavedObject.Reference("search_0", "search", search.id()));
    JsonNode barSource =
        JSON.readTree(
            bar.attributes().path("kibanaSavedObjectMeta").path("searchSourceJSON").asText());
    assertThat(barSource.has("indexRefName")).as("the saved search names the index").isFalse();

    SavedObject dashboard = objects.get("dashboard:CloudTrail — main");
    assertThat(rendered.dashboardId()).isEqualTo(dashboard.id());
    assertThat(dashboard.attributes().path("timeFrom").asText()).isEqualTo("now-7d");
    assertThat(dashboard.attributes().path("timeRestore").asBoolean()).isTrue();
    JsonNode panels = JSON.readTree(dashboard.attributes().path("panelsJSON").asText());
    assertThat(panels).hasSize(4);
    // 12 + 36 fill the first row; the bar starts the second row below the taller panel (15).
    assertThat(panels.get(1).path("gridData").path("x").asInt()).isEqualTo(12);
    assertThat(panels.get(2).path("gridData").path("x").asInt()).isZero();
    assertThat(panels.get(2).path("gridData").path("y").asInt()).isEqualTo(15);
    assertThat(panels.get(3).path("gridData").path("y").asInt()).isEqualTo(30);
    assertThat(panels.get(3).path("panelRefName").asText()).isEqualTo("panel_3");
    assertThat(dashboard.references().get(3))
        .isEqualTo(new SavedObject.Reference("panel_3", "search", search.id()));
    assertThat(dashboard.references().get(0))
        .isEqualTo(new SavedObject.Reference("panel_0", "visualization", users.id()));
    assertThat(JSON.readTree(dashboard.attributes().path("optionsJSON").asText()).has("useMargins"))
        .isTrue();
  }

  @Test
  void idsAreStableAndDependOnTheResourceNotTheTitle() throws Exception {
    var first = new DashboardRenderer("vigil", "main").render(definition(SPEC));
    var again = new DashboardRenderer("vigil", "main").render(definition(SPEC));
    var retitled =
        new DashboardRenderer("vigil", "main")
            .render(definition(SPEC.replace("title: CloudTrail — main", "title: Renamed")));
    var other = new DashboardRenderer("other", "main").render(definition(SPEC));
    assertThat(again.objects())
        .extracting(SavedObject::id)
        .containsExactlyElementsOf(first.objects().stream().map(SavedObject::id).toList());
    assertThat(retitled.dashboardId()).isEqualTo(first.dashboardId());
    assertThat(other.dashboardId()).isNotEqualTo(first.dashboardId());
    assertThat(first.dashboardId())
        .matches("[0-9a-f]{8}-[0-9a-f]{4}-3[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}");
    assertThat(SavedObject.ndjson(first.objects())).isEqualTo(SavedObject.ndjson(again.objects()));
  }

  @Test
  void everyPanelTypeRendersTheVisualizationTypeDashboardsKnows() throws Exception {
    String spec =
        """
        title: All
        indexPatterns: [{name: waf, pattern: vigil-waf-*}]
        panels:
          - {title: m, type: Metric, indexPattern: waf}
          - {title: b, type: Bar, indexPattern: waf}
          - {title: l, type: Line, indexPattern: waf, splitBy: aws.waf.action}
          - {title: a, type: Area, indexPattern: waf, metric: {type: Sum, field: network.bytes}}
          - {title: p, type: Pie, indexPattern: waf, splitBy: aws.waf.action}
          - {title: t, type: Table, indexPattern: waf, splitBy: source.ip}
          - {title: c, type: TagCloud, indexPattern: waf, splitBy: aws.waf.terminating_rule_id}
          - {title: r, type: RegionMap, indexPattern: waf, splitBy: source.geo.country_iso_code}
          - {title: g, type: CoordinateMap, indexPattern: waf, splitBy: source.geo.location}
        """;
    var rendered = new DashboardRenderer("ns", "all").render(definition(spec));
    List<String> types =
        rendered.objects().stream()
            .filter(o -> o.type().equals("visualization"))
            .map(o -> readUnchecked(o.attributes().path("visState").asText()).path("type").asText())
            .toList();
    assertThat(types)
        .containsExactly(
            "metric",
            "histogram",
            "line",
            "area",
            "pie",
            "table",
            "tagcloud",
            "region_map",
            "tile_map");
    JsonNode tile =
        readUnchecked(
            rendered.objects().stream()
                .filter(o -> o.title().equals("g"))
                .findFirst()
                .orElseThrow()
                .attributes()
                .path("visState")
                .asText());
    assertThat(tile.path("aggs").get(1).path("type").asText()).isEqualTo("geohash_grid");
  }

  @Test
  void rawObjectsPassThroughWithTheirIdsAndTheExportSummaryIsSkipped() throws Exception {
    String raw =
        "{\"type\":\"index-pattern\",\"id\":\"my-pattern\",\"attributes\":{\"title\":\"vigil-waf-*\"},\"references\":[],\"migrationVersion\":{\"index-pattern\":\"7.6.0\"}}\n"
            + "{\"exportedCount\":1,\"missingRefCount\":0,\"missingReferences\":[]}\n";
    var definition = DashboardDefinition.fromSpec(JSON.createObjectNode().put("rawObjects", raw));
    var rendered = new DashboardRenderer("ns", "raw").render(definition);
    assertThat(rendered.dashboardId()).isNull();
    assertThat(rendered.objects())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.id()).isEqualTo("my-pattern");
              assertThat(o.toJson().path("migrationVersion").path("index-pattern").asText())
                  .isEqualTo("7.6.0");
            });
  }

  @Test
  void mistakesNameTheFieldAtFault() {
    assertThatThrownBy(
            () -> definition(SPEC.replace("search: failed, splitBy", "search: nope, splitBy")))
        .isInstanceOf(DashboardException.class)
        .hasMessage("spec.panels[2].search: no entry named 'nope' in spec.searches");
    assertThatThrownBy(() -> definition(SPEC.replace("splitBy: eventSource, ", "")))
        .hasMessageStartingWith("spec.panels[1].splitBy: a Pie panel needs a field");
    assertThatThrownBy(() -> definition(SPEC.replace("field: user.name", "other: x")))
        .hasMessage("spec.panels[0].metric.field: required for uniquecount");
    assertThatThrownBy(
            () ->
                DashboardDefinition.fromSpec(
                    JSON.createObjectNode().put("rawObjects", "{\"type\":\"search\"}\nnot json")))
        .hasMessageStartingWith("spec.rawObjects line 1: a saved object needs a type and an id");
    assertThatThrownBy(
            () ->
                new DashboardRenderer("a", "b")
                    .render(
                        DashboardDefinition.fromSpec(
                            JSON.createObjectNode()
                                .put(
                                    "rawObjects",
                                    "{\"type\":\"search\",\"id\":\"x\",\"attributes\":{}}\nnot json"))))
        .hasMessageStartingWith("spec.rawObjects line 2: not JSON");
  }

  private static JsonNode readUnchecked(String json) {
    try {
      return JSON.readTree(json);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}

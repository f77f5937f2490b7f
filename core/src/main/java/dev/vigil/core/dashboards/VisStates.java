package dev.vigil.core.dashboards;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.core.dashboards.DashboardDefinition.Metric;
import dev.vigil.core.dashboards.DashboardDefinition.Panel;

/**
 * The {@code visState} of a panel as the standard (aggregation-based) visualizations of OpenSearch
 * Dashboards 2.x store it: {@code title}, {@code type} ({@code metric}, {@code histogram}, {@code
 * line}, {@code area}, {@code pie}, {@code table}, {@code tagcloud}, {@code region_map}, {@code
 * tile_map}), {@code params} with the editor's defaults, and {@code aggs} — metric "1", then the
 * buckets ({@code segment}, {@code group}, {@code bucket} schemas).
 */
final class VisStates {
  private static final ObjectMapper JSON = new ObjectMapper();

  private VisStates() {}

  static ObjectNode of(Panel panel, String timeField) {
    ObjectNode vis = JSON.createObjectNode();
    vis.put("title", panel.title());
    vis.put("type", visType(panel));
    ArrayNode aggs = vis.putArray("aggs");
    aggs.add(metricAgg(panel.metric()));
    ObjectNode params;
    switch (panel.type()) {
      case Metric -> params = metricParams();
      case Bar, Line, Area -> {
        params = chartParams(panel);
        aggs.add(dateHistogram("2", timeField));
        if (panel.splitBy() != null) {
          aggs.add(terms("3", "group", panel.splitBy(), panel.size()));
        }
      }
      case Pie -> {
        params = pieParams();
        aggs.add(terms("2", "segment", panel.splitBy(), panel.size()));
      }
      case Table -> {
        params = tableParams();
        aggs.add(terms("2", "bucket", panel.splitBy(), panel.size()));
      }
      case TagCloud -> {
        params = tagCloudParams();
        aggs.add(terms("2", "segment", panel.splitBy(), panel.size()));
      }
      case RegionMap -> {
        params = regionMapParams();
        aggs.add(terms("2", "segment", panel.splitBy(), panel.size()));
      }
      case CoordinateMap -> {
        params = tileMapParams();
        aggs.add(geohashGrid("2", panel.splitBy()));
      }
      default -> throw new IllegalArgumentException("no visualization for " + panel.type());
    }
    vis.set("params", params);
    return vis;
  }

  static String visType(Panel panel) {
    return switch (panel.type()) {
      case Metric -> "metric";
      case Bar -> "histogram";
      case Line -> "line";
      case Area -> "area";
      case Pie -> "pie";
      case Table -> "table";
      case TagCloud -> "tagcloud";
      case RegionMap -> "region_map";
      case CoordinateMap -> "tile_map";
      case Search -> "search";
    };
  }

  static String aggType(DashboardDefinition.MetricType type) {
    return switch (type) {
      case Count -> "count";
      case Sum -> "sum";
      case Avg -> "avg";
      case Min -> "min";
      case Max -> "max";
      case UniqueCount -> "cardinality";
    };
  }

  private static ObjectNode metricAgg(Metric metric) {
    ObjectNode agg = agg("1", aggType(metric.type()), "metric");
    if (metric.field() != null) {
      agg.with("params").put("field", metric.field());
    }
    return agg;
  }

  private static ObjectNode terms(String id, String schema, String field, int size) {
    ObjectNode agg = agg(id, "terms", schema);
    agg.with("params")
        .put("field", field)
        .put("orderBy", "1")
        .put("order", "desc")
        .put("size", size)
        .put("otherBucket", false)
        .put("otherBucketLabel", "Other")
        .put("missingBucket", false)
        .put("missingBucketLabel", "Missing");
    return agg;
  }

  private static ObjectNode dateHistogram(String id, String field) {
    ObjectNode agg = agg(id, "date_histogram", "segment");
    ObjectNode params = agg.with("params");
    params
        .put("field", field)
        .put("useNormalizedOpenSearchInterval", true)
        .put("scaleMetricValues", false)
        .put("interval", "auto")
        .put("drop_partials", false)
        .put("min_doc_count", 1);
    params.putObject("extended_bounds");
    return agg;
  }

  private static ObjectNode geohashGrid(String id, String field) {
    ObjectNode agg = agg(id, "geohash_grid", "segment");
    agg.with("params")
        .put("field", field)
        .put("autoPrecision", true)
        .put("precision", 2)
        .put("useGeocentroid", true)
        .put("isFilteredByCollar", true);
    return agg;
  }

  private static ObjectNode agg(String id, String type, String schema) {
    ObjectNode agg = JSON.createObjectNode();
    agg.put("id", id).put("enabled", true).put("type", type).put("schema", schema);
    agg.putObject("params");
    return agg;
  }

  private static ObjectNode metricParams() {
    ObjectNode params = JSON.createObjectNode();
    params.put("addTooltip", true).put("addLegend", false).put("type", "metric");
    ObjectNode metric = params.putObject("metric");
    metric
        .put("percentageMode", false)
        .put("useRanges", false)
        .put("colorSchema", "Green to Red")
        .put("metricColorMode", "None")
        .put("invertColors", false);
    metric.putArray("colorsRange").addObject().put("from", 0).put("to", 10000);
    metric.putObject("labels").put("show", true);
    metric
        .putObject("style")
        .put("bgFill", "#000")
        .put("bgColor", false)
        .put("labelColor", false)
        .put("subText", "")
        .put("fontSize", 60);
    return params;
  }

  private static ObjectNode chartParams(Panel panel) {
    String seriesType =
        switch (panel.type()) {
          case Line -> "line";
          case Area -> "area";
          default -> "histogram";
        };
    ObjectNode params = JSON.createObjectNode();
    params.put("type", seriesType);
    params.putObject("grid").put("categoryLines", false);
    ObjectNode category = params.putArray("categoryAxes").addObject();
    category
        .put("id", "CategoryAxis-1")
        .put("type", "category")
        .put("position", "bottom")
        .put("show", true);
    category.putObject("style");
    category.putObject("scale").put("type", "linear");
    category.putObject("labels").put("show", true).put("filter", true).put("truncate", 100);
    category.putObject("title");
    ObjectNode value = params.putArray("valueAxes").addObject();
    value
        .put("id", "ValueAxis-1")
        .put("name", "LeftAxis-1")
        .put("type", "value")
        .put("position", "left")
        .put("show", true);
    value.putObject("style");
    value.putObject("scale").put("type", "linear").put("mode", "normal");
    value
        .putObject("labels")
        .put("show", true)
        .put("rotate", 0)
        .put("filter", false)
        .put("truncate", 100);
    value.putObject("title").put("text", metricLabel(panel.metric()));
    ObjectNode series = params.putArray("seriesParams").addObject();
    series.put("show", true).put("type", seriesType).put("mode", "stacked");
    series.putObject("data").put("label", metricLabel(panel.metric())).put("id", "1");
    series
        .put("valueAxis", "ValueAxis-1")
        .put("drawLinesBetweenPoints", true)
        .put("lineWidth", 2)
        .put("interpolate", "linear")
        .put("showCircles", true);
    params
        .put("addTooltip", true)
        .put("addLegend", true)
        .put("legendPosition", "right")
        .put("addTimeMarker", false);
    params.putArray("times");
    params.putObject("labels").put("show", false);
    params
        .putObject("thresholdLine")
        .put("show", false)
        .put("value", 10)
        .put("width", 1)
        .put("style", "full")
        .put("color", "#E7664C");
    return params;
  }

  private static ObjectNode pieParams() {
    ObjectNode params = JSON.createObjectNode();
    params
        .put("type", "pie")
        .put("addTooltip", true)
        .put("addLegend", true)
        .put("legendPosition", "right")
        .put("isDonut", true);
    params
        .putObject("labels")
        .put("show", false)
        .put("values", true)
        .put("last_level", true)
        .put("truncate", 100);
    return params;
  }

  private static ObjectNode tableParams() {
    ObjectNode params = JSON.createObjectNode();
    params
        .put("perPage", 10)
        .put("showPartialRows", false)
        .put("showMetricsAtAllLevels", false)
        .put("showTotal", false)
        .put("totalFunc", "sum")
        .put("percentageCol", "");
    params.putObject("sort").putNull("columnIndex").putNull("direction");
    return params;
  }

  private static ObjectNode tagCloudParams() {
    ObjectNode params = JSON.createObjectNode();
    params
        .put("scale", "linear")
        .put("orientation", "single")
        .put("minFontSize", 18)
        .put("maxFontSize", 72)
        .put("showLabel", true);
    return params;
  }

  // No selectedLayer: Dashboards picks its first vector layer (World Countries, joined on the ISO
  // 3166-1 alpha-2 code) when the visualization is first loaded.
  private static ObjectNode regionMapParams() {
    ObjectNode params = JSON.createObjectNode();
    params
        .put("legendPosition", "bottomright")
        .put("addTooltip", true)
        .put("colorSchema", "Yellow to Red")
        .put("emsHotLink", "")
        .put("isDisplayWarning", true)
        .put("mapZoom", 2)
        .put("outlineWeight", 1)
        .put("showAllShapes", true);
    params.putArray("mapCenter").add(0).add(0);
    params.set("wms", wmsDisabled());
    return params;
  }

  private static ObjectNode tileMapParams() {
    ObjectNode params = JSON.createObjectNode();
    params
        .put("colorSchema", "Yellow to Red")
        .put("mapType", "Scaled Circle Markers")
        .put("isDesaturated", true)
        .put("addTooltip", true)
        .put("heatClusterSize", 1.5)
        .put("legendPosition", "bottomright")
        .put("mapZoom", 2);
    params.putArray("mapCenter").add(0).add(0);
    params.set("wms", wmsDisabled());
    return params;
  }

  private static ObjectNode wmsDisabled() {
    ObjectNode wms = JSON.createObjectNode();
    wms.put("enabled", false);
    wms.putObject("options").put("format", "image/png").put("transparent", true);
    return wms;
  }

  private static String metricLabel(Metric metric) {
    return switch (metric.type()) {
      case Count -> "Count";
      case UniqueCount -> "Unique count of " + metric.field();
      default -> metric.type().name() + " of " + metric.field();
    };
  }
}

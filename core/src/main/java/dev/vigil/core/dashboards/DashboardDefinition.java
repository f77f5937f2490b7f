package dev.vigil.core.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.core.LogType;
import dev.vigil.core.parse.PromotedFields;
import dev.vigil.core.rules.FieldTypes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The concise, hand-written form of a Dashboard ({@code spec} of the Dashboard resource), read from
 * its JSON tree with the operator's defaults applied and every cross-reference checked. Kept apart
 * from the CRD classes so {@code core} stays free of Kubernetes.
 *
 * @param timeFrom default time range start, e.g. {@code now-24h}
 * @param rawObjects exported saved objects (NDJSON) imported as they are, or null
 */
public record DashboardDefinition(
    String title,
    String description,
    String timeFrom,
    List<IndexPattern> indexPatterns,
    List<Search> searches,
    List<Panel> panels,
    String rawObjects) {
  /** The manifest kind this is read from (core names it; api's Dashboard is held to it). */
  public static final String KIND = "Dashboard";

  public record IndexPattern(String name, String pattern, String timeField) {}

  /**
   * @param query Lucene query, empty for all documents
   */
  public record Search(
      String name, String title, String indexPattern, String query, List<String> columns) {}

  /**
   * @param splitBy the terms field (Pie, Table, TagCloud, RegionMap), the series of a chart over
   *     time, or the geo_point field of a CoordinateMap; null for none
   */
  public record Panel(
      String title,
      PanelType type,
      String indexPattern,
      String search,
      String query,
      Metric metric,
      String splitBy,
      int size,
      int width,
      int height) {}

  public record Metric(MetricType type, String field) {
    public static final Metric COUNT = new Metric(MetricType.Count, null);
  }

  public enum PanelType {
    Metric,
    Bar,
    Line,
    Area,
    Pie,
    Table,
    TagCloud,
    RegionMap,
    CoordinateMap,
    Search;

    boolean overTime() {
      return this == Bar || this == Line || this == Area;
    }
  }

  public enum MetricType {
    Count,
    Sum,
    Avg,
    Min,
    Max,
    UniqueCount
  }

  public boolean hasConcisePart() {
    return title != null;
  }

  public IndexPattern indexPattern(String name) {
    return indexPatterns.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
  }

  public Search search(String name) {
    return searches.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }

  /**
   * Reads a Dashboard {@code spec}; problems throw a {@link DashboardException} naming the field.
   */
  public static DashboardDefinition fromSpec(JsonNode spec) {
    if (spec == null || !spec.isObject()) {
      throw new DashboardException("spec: must be an object");
    }
    String title = text(spec, "title");
    String raw = text(spec, "rawObjects");
    if (title == null && raw == null) {
      throw new DashboardException("spec: set title (and panels) or rawObjects");
    }
    List<IndexPattern> patterns = new ArrayList<>();
    Set<String> patternNames = new HashSet<>();
    JsonNode list = spec.path("indexPatterns");
    for (int i = 0; i < list.size(); i++) {
      JsonNode p = list.get(i);
      String at = "spec.indexPatterns[" + i + "]";
      String name = required(p, "name", at);
      if (!patternNames.add(name)) {
        throw new DashboardException(at + ".name: '" + name + "' is used twice");
      }
      patterns.add(
          new IndexPattern(
              name, required(p, "pattern", at), orDefault(text(p, "timeField"), "@timestamp")));
    }
    List<Search> searches = new ArrayList<>();
    Set<String> searchNames = new HashSet<>();
    list = spec.path("searches");
    for (int i = 0; i < list.size(); i++) {
      JsonNode s = list.get(i);
      String at = "spec.searches[" + i + "]";
      String name = required(s, "name", at);
      if (!searchNames.add(name)) {
        throw new DashboardException(at + ".name: '" + name + "' is used twice");
      }
      String pattern = required(s, "indexPattern", at);
      known(patternNames, pattern, at + ".indexPattern", "spec.indexPatterns");
      List<String> columns = new ArrayList<>();
      s.path("columns").forEach(c -> columns.add(c.asText()));
      String patternText =
          patterns.stream()
              .filter(p -> p.name().equals(pattern))
              .findFirst()
              .orElseThrow()
              .pattern();
      for (int c = 0; c < columns.size(); c++) {
        checkShown(columns.get(c), at + ".columns[" + c + "]", patternText);
      }
      searches.add(
          new Search(
              name,
              required(s, "title", at),
              pattern,
              orDefault(text(s, "query"), ""),
              List.copyOf(columns)));
    }
    List<Panel> panels = new ArrayList<>();
    list = spec.path("panels");
    for (int i = 0; i < list.size(); i++) {
      panels.add(panel(list.get(i), "spec.panels[" + i + "]", patternNames, searchNames));
    }
    for (int i = 0; i < panels.size(); i++) {
      checkAggregatable(panels.get(i), "spec.panels[" + i + "]", patterns, searches);
    }
    if (raw != null) {
      RawSavedObjects.parse(raw, "spec.rawObjects"); // fails early, naming the line
    }
    if (title != null && panels.isEmpty() && raw == null) {
      throw new DashboardException("spec.panels: a dashboard needs at least one panel");
    }
    return new DashboardDefinition(
        title,
        orDefault(text(spec, "description"), ""),
        orDefault(text(spec, "timeFrom"), "now-24h"),
        List.copyOf(patterns),
        List.copyOf(searches),
        List.copyOf(panels),
        raw);
  }

  private static Panel panel(
      JsonNode p, String at, Set<String> patternNames, Set<String> searchNames) {
    String title = required(p, "title", at);
    String typeText = required(p, "type", at);
    PanelType type;
    try {
      type = PanelType.valueOf(typeText);
    } catch (IllegalArgumentException e) {
      throw new DashboardException(at + ".type: unknown panel type '" + typeText + "'");
    }
    String pattern = text(p, "indexPattern");
    String search = text(p, "search");
    if (pattern == null && search == null) {
      throw new DashboardException(at + ": a panel reads an indexPattern or a search");
    }
    if (pattern != null && search != null) {
      throw new DashboardException(at + ": set indexPattern or search, not both");
    }
    if (pattern != null) {
      known(patternNames, pattern, at + ".indexPattern", "spec.indexPatterns");
    } else {
      known(searchNames, search, at + ".search", "spec.searches");
    }
    if (type == PanelType.Search && search == null) {
      throw new DashboardException(at + ".search: a Search panel shows a saved search");
    }
    Metric metric = Metric.COUNT;
    JsonNode m = p.get("metric");
    if (m != null && !m.isNull()) {
      String metricType = orDefault(text(m, "type"), "Count");
      MetricType mt;
      try {
        mt = MetricType.valueOf(metricType);
      } catch (IllegalArgumentException e) {
        throw new DashboardException(at + ".metric.type: unknown metric '" + metricType + "'");
      }
      String field = text(m, "field");
      if (mt != MetricType.Count && field == null) {
        throw new DashboardException(
            at + ".metric.field: required for " + mt.name().toLowerCase(Locale.ROOT));
      }
      metric = new Metric(mt, mt == MetricType.Count ? null : field);
    }
    String splitBy = text(p, "splitBy");
    boolean needsSplit =
        switch (type) {
          case Pie, Table, TagCloud, RegionMap, CoordinateMap -> true;
          default -> false;
        };
    if (needsSplit && splitBy == null) {
      throw new DashboardException(
          at
              + ".splitBy: a "
              + type
              + " panel needs a field ("
              + (type == PanelType.CoordinateMap ? "a geo_point" : "its terms")
              + ")");
    }
    if ((type == PanelType.Metric || type == PanelType.Search) && splitBy != null) {
      throw new DashboardException(at + ".splitBy: a " + type + " panel does not split");
    }
    int size = p.path("size").asInt(10);
    int width = p.path("width").asInt(24);
    int height = p.path("height").asInt(15);
    if (size < 1 || size > 500) {
      throw new DashboardException(at + ".size: must be 1 to 500, not " + size);
    }
    if (width < 1 || width > 48) {
      throw new DashboardException(at + ".width: must be 1 to 48, not " + width);
    }
    if (height < 1) {
      throw new DashboardException(at + ".height: must be at least 1, not " + height);
    }
    return new Panel(
        title,
        type,
        pattern,
        search,
        orDefault(text(p, "query"), ""),
        metric,
        splitBy,
        size,
        width,
        height);
  }

  /**
   * Refuses a split or metric on a {@code flat_object} field or sub-path of any Vigil log type the
   * panel's index pattern covers: Dashboards would draw an empty chart without an error.
   */
  private static void checkAggregatable(
      Panel panel, String at, List<IndexPattern> patterns, List<Search> searches) {
    String patternName =
        panel.indexPattern() != null
            ? panel.indexPattern()
            : searches.stream()
                .filter(s -> s.name().equals(panel.search()))
                .findFirst()
                .orElseThrow()
                .indexPattern();
    String pattern =
        patterns.stream()
            .filter(p -> p.name().equals(patternName))
            .findFirst()
            .orElseThrow()
            .pattern();
    check(panel.splitBy(), at + ".splitBy", pattern);
    check(panel.metric().field(), at + ".metric.field", pattern);
  }

  private static void check(String field, String at, String pattern) {
    if (field == null) {
      return;
    }
    for (LogType type : LogType.values()) {
      if (!covers(pattern, type)) {
        continue;
      }
      FieldTypes.FieldType mapped = FieldTypes.of(type).type(field);
      if (mapped.kind() == FieldTypes.Kind.FLAT_SUBPATH
          || mapped.kind() == FieldTypes.Kind.FLAT_OBJECT) {
        throw new DashboardException(
            at + ": " + PromotedFields.refusal(type, field, mapped.flatRoot()));
      }
      if (!FieldTypes.of(type).searchable(field)) {
        throw new DashboardException(
            at
                + ": "
                + field
                + " is stored only in "
                + type.id()
                + " indices, which OpenSearch cannot aggregate (docs/performance.md, stored-only"
                + " fields)");
      }
      if (!FieldTypes.of(type).hasDocValues(field)) {
        throw new DashboardException(at + ": " + FieldTypes.noDocValues(field, type));
      }
    }
  }

  /**
   * Refuses a saved-search column that is a field alias in a Vigil log type the search's index
   * pattern covers: Discover shows columns from each hit's {@code _source}, which holds the alias's
   * target, not the alias, so the column would be empty.
   */
  private static void checkShown(String field, String at, String pattern) {
    for (LogType type : LogType.values()) {
      String holder = covers(pattern, type) ? FieldTypes.of(type).resolve(field) : field;
      if (!holder.equals(field)) {
        throw new DashboardException(
            at
                + ": "
                + field
                + " is a field alias of "
                + holder
                + " in "
                + type.id()
                + " indices (not in a document's _source, so Discover shows it empty); name "
                + holder);
      }
    }
  }

  /** Whether an index pattern (comma-separated globs) can match indices of {@code type}. */
  private static boolean covers(String pattern, LogType type) {
    for (String glob : pattern.split(",")) {
      String regex = glob.trim().replace(".", "\\.").replace("*", ".*");
      if (("vigil-" + type.id() + "-2026.01.01").matches(regex)
          || (type.id() + "-2026.01.01").matches(regex)
          || glob.contains("-" + type.id())) {
        return true;
      }
    }
    return false;
  }

  private static void known(Set<String> names, String name, String at, String list) {
    if (!names.contains(name)) {
      throw new DashboardException(at + ": no entry named '" + name + "' in " + list);
    }
  }

  private static String required(JsonNode node, String field, String at) {
    String value = text(node, field);
    if (value == null) {
      throw new DashboardException(at + "." + field + ": required");
    }
    return value;
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull() || value.asText().isBlank()) {
      return null;
    }
    return value.asText();
  }

  private static String orDefault(String value, String fallback) {
    return value == null ? fallback : value;
  }
}

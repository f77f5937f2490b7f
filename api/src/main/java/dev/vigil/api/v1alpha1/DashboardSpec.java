package dev.vigil.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

@JsonClassDescription(
    "A dashboard in a concise hand-written form (plus raw exported saved objects for anything it lacks).")
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.title) || has(self.rawObjects)",
    message = "set title (and panels) or rawObjects")
public class DashboardSpec {
  @JsonPropertyDescription(
      "OpenSearchConnection whose Dashboards URL receives the objects. Default: 'default'.")
  public ConnectionRef connectionRef;

  @JsonPropertyDescription(
      "Dashboards tenant (Security plugin multi-tenancy). Default: the connection's tenant.")
  public String tenant;

  @JsonPropertyDescription(
      "Dashboard title. Saved-object ids are derived from the resource, so renames are safe.")
  public String title;

  @JsonPropertyDescription("Dashboard description.")
  public String description;

  @Pattern("^now-[0-9]+[smhdwMy]$")
  @JsonPropertyDescription("Default time range of the dashboard, e.g. now-24h. Default: now-24h.")
  public String timeFrom = "now-24h";

  @JsonPropertyDescription("Index patterns to create (e.g. vigil-cloudtrail-*).")
  public List<IndexPattern> indexPatterns;

  @JsonPropertyDescription(
      "Saved searches (Discover), also usable as the source of visualizations.")
  public List<SavedSearch> searches;

  @JsonPropertyDescription("Panels of the dashboard, in layout order.")
  public List<Panel> panels;

  @JsonPropertyDescription("Saved objects exported from Dashboards (NDJSON), imported as they are.")
  public String rawObjects;

  @JsonPropertyDescription(
      "Restore objects edited by hand in Dashboards on the next sync. Default: true; false lets analysts tinker.")
  public Boolean repairDrift = true;

  @JsonPropertyDescription(
      "What happens to the saved objects when this resource is deleted. Default: Delete.")
  public DeletionPolicy deletionPolicy = DeletionPolicy.Delete;

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class IndexPattern {
    @Required
    @Pattern("^[a-z0-9][-a-z0-9]*$")
    @JsonPropertyDescription("Short name, referenced by searches and panels.")
    public String name;

    @Required
    @JsonPropertyDescription("The pattern, e.g. vigil-cloudtrail-*.")
    public String pattern;

    @JsonPropertyDescription("Time field. Default: @timestamp.")
    public String timeField = "@timestamp";
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class SavedSearch {
    @Required
    @Pattern("^[a-z0-9][-a-z0-9]*$")
    @JsonPropertyDescription("Short name, referenced by panels.")
    public String name;

    @Required
    @JsonPropertyDescription("Title shown in Discover.")
    public String title;

    @Required
    @JsonPropertyDescription("Name of an index pattern of this Dashboard.")
    public String indexPattern;

    @JsonPropertyDescription("Lucene query, e.g. eventName:StopLogging.")
    public String query;

    @JsonPropertyDescription("Columns shown.")
    public List<String> columns;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value = "has(self.indexPattern) || has(self.search)",
      message = "a panel reads an indexPattern or a search")
  public static class Panel {
    @Required
    @JsonPropertyDescription("Panel title.")
    public String title;

    @Required
    @JsonPropertyDescription(
        "Metric, Bar, Line, Area (over time), Pie, Table, TagCloud, RegionMap, CoordinateMap, or Search (embeds the"
            + " saved search named by search).")
    public PanelType type;

    @JsonPropertyDescription("Name of an index pattern of this Dashboard.")
    public String indexPattern;

    @JsonPropertyDescription(
        "Name of a saved search of this Dashboard (its query filters the panel).")
    public String search;

    @JsonPropertyDescription("Extra Lucene query for this panel.")
    public String query;

    @JsonPropertyDescription("What is measured. Default: count of documents.")
    public Metric metric;

    @JsonPropertyDescription(
        "Field to split by (terms), e.g. event.provider; required for Pie, Table, TagCloud and RegionMap (ISO 3166-1"
            + " alpha-2 country codes, e.g. source.geo.country_iso_code). Bar/Line/Area are over time; splitBy makes"
            + " their series. CoordinateMap: a geo_point field. Must be an aggregatable (mapped, not flat_object) field.")
    public String splitBy;

    @Min(1)
    @Max(500)
    @JsonPropertyDescription("How many terms to show. Default: 10.")
    public Integer size = 10;

    @Min(1)
    @Max(48)
    @JsonPropertyDescription("Width in grid columns (48 = full width). Default: 24.")
    public Integer width = 24;

    @Min(1)
    @JsonPropertyDescription("Height in grid rows. Default: 15.")
    public Integer height = 15;
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
    Search
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Metric {
    @Required
    @JsonPropertyDescription("Count, Sum, Avg, Min, Max or UniqueCount.")
    public MetricType type = MetricType.Count;

    @JsonPropertyDescription("Field for every type but Count.")
    public String field;
  }

  public enum MetricType {
    Count,
    Sum,
    Avg,
    Min,
    Max,
    UniqueCount
  }
}

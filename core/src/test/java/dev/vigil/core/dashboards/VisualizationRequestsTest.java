package dev.vigil.core.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class VisualizationRequestsTest {
  private static final String SPEC =
      """
      title: t
      indexPatterns: [{name: vpc, pattern: vigil-vpcflow-*}]
      searches: [{name: rejected, title: Rejected, indexPattern: vpc, query: "action:REJECT"}]
      panels:
        - {title: Talkers, type: Table, indexPattern: vpc, splitBy: source.ip, metric: {type: Sum, field: network.bytes}, size: 20}
        - {title: Over time, type: Bar, search: rejected, splitBy: action, size: 3, query: "network.transport:tcp"}
        - {title: Points, type: CoordinateMap, indexPattern: vpc, splitBy: source.geo.location}
      """;

  private static Map<String, VisualizationRequests.Request> requests() throws Exception {
    var rendered =
        new DashboardRenderer("ns", "n")
            .render(DashboardDefinition.fromSpec(new YAMLMapper().readTree(SPEC)));
    Map<String, SavedObject> byId =
        rendered.objects().stream().collect(Collectors.toMap(SavedObject::id, Function.identity()));
    return rendered.objects().stream()
        .filter(o -> o.type().equals("visualization") || o.type().equals("search"))
        .collect(Collectors.toMap(SavedObject::title, o -> VisualizationRequests.of(o, byId)));
  }

  @Test
  void termsOrderedByANonCountMetricCarryThatMetricBelowThem() throws Exception {
    var request = requests().get("Talkers");
    assertThat(request.indexPattern()).isEqualTo("vigil-vpcflow-*");
    JsonNode terms = request.body().path("aggs").path("2");
    assertThat(terms.path("terms").path("field").asText()).isEqualTo("source.ip");
    assertThat(terms.path("terms").path("size").asInt()).isEqualTo(20);
    assertThat(terms.path("terms").path("order").path("1").asText()).isEqualTo("desc");
    assertThat(terms.path("aggs").path("1").path("sum").path("field").asText())
        .isEqualTo("network.bytes");
    assertThat(request.body().path("query").has("match_all")).isTrue();
    assertThat(request.fields()).containsExactly("network.bytes", "source.ip");
  }

  @Test
  void aChartOverASavedSearchNestsSeriesInsideTimeAndAndsBothQueries() throws Exception {
    var request = requests().get("Over time");
    assertThat(request.indexPattern()).isEqualTo("vigil-vpcflow-*");
    JsonNode filter = request.body().path("query").path("bool").path("filter");
    assertThat(filter)
        .extracting(f -> f.path("query_string").path("query").asText())
        .containsExactly("network.transport:tcp", "action:REJECT");
    JsonNode histogram = request.body().path("aggs").path("2").path("date_histogram");
    assertThat(histogram.path("field").asText()).isEqualTo("@timestamp");
    assertThat(histogram.path("fixed_interval").asText()).isEqualTo("1h");
    JsonNode series = request.body().path("aggs").path("2").path("aggs").path("3").path("terms");
    assertThat(series.path("field").asText()).isEqualTo("action");
    assertThat(series.path("order").path("_count").asText()).isEqualTo("desc");
  }

  @Test
  void aCoordinateMapIsAGeohashGridWithItsCentroidAndASearchIsJustItsQuery() throws Exception {
    var map = requests().get("Points").body().path("aggs").path("2");
    assertThat(map.path("geohash_grid").path("field").asText()).isEqualTo("source.geo.location");
    assertThat(map.path("aggs").path("centroid").path("geo_centroid").path("field").asText())
        .isEqualTo("source.geo.location");
    var search = requests().get("Rejected");
    assertThat(search.body().has("aggs")).isFalse();
    assertThat(search.body().path("track_total_hits").asBoolean()).isTrue();
  }
}

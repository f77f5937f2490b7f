package dev.vigil.core.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;

class SavedObjectDriftTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static SavedObject visualization() throws Exception {
    var definition =
        DashboardDefinition.fromSpec(
            new YAMLMapper()
                .readTree(
                    """
                    title: t
                    indexPatterns: [{name: ct, pattern: vigil-cloudtrail-*}]
                    panels: [{title: Top, type: Pie, indexPattern: ct, splitBy: event.provider}]
                    """));
    return new DashboardRenderer("ns", "n")
        .render(definition).objects().stream()
            .filter(o -> o.type().equals("visualization"))
            .findFirst()
            .orElseThrow();
  }

  @Test
  void whatDashboardsReturnsUnchangedIsNoDrift() throws Exception {
    SavedObject desired = visualization();
    ObjectNode actual = desired.toJson();
    actual.put("version", "WzEsMV0=").put("updated_at", "2026-11-27T10:00:00Z");
    ((ObjectNode) actual.get("attributes")).put("somethingDashboardsAdds", "x");
    // Re-encoded JSON string with another key order is the same visState.
    String visState = desired.attributes().path("visState").asText();
    ObjectNode reordered = JSON.createObjectNode();
    var tree = JSON.readTree(visState);
    reordered.set("params", tree.get("params"));
    reordered.set("aggs", tree.get("aggs"));
    reordered.set("type", tree.get("type"));
    reordered.set("title", tree.get("title"));
    ((ObjectNode) reordered.get("params")).put("aDefaultANewerEditorAdds", true);
    ((ObjectNode) actual.get("attributes")).put("visState", reordered.toString());
    assertThat(SavedObjectDrift.difference(desired, actual)).isNull();
  }

  @Test
  void anEditedTitleVisStateOrReferenceIsDrift() throws Exception {
    SavedObject desired = visualization();
    ObjectNode retitled = desired.toJson();
    ((ObjectNode) retitled.get("attributes")).put("title", "mine now");
    assertThat(SavedObjectDrift.difference(desired, retitled)).isEqualTo("attribute title changed");

    ObjectNode edited = desired.toJson();
    ((ObjectNode) edited.get("attributes"))
        .put(
            "visState",
            desired.attributes().path("visState").asText().replace("\"size\":10", "\"size\":5"));
    assertThat(SavedObjectDrift.difference(desired, edited))
        .isEqualTo("attribute visState changed");

    ObjectNode lessAggs = desired.toJson();
    var vis = (ObjectNode) JSON.readTree(desired.attributes().path("visState").asText());
    ((com.fasterxml.jackson.databind.node.ArrayNode) vis.get("aggs")).remove(1);
    ((ObjectNode) lessAggs.get("attributes")).put("visState", vis.toString());
    assertThat(SavedObjectDrift.difference(desired, lessAggs))
        .isEqualTo("attribute visState changed");

    ObjectNode relinked = desired.toJson();
    ((ObjectNode) relinked.get("references").get(0)).put("id", "another-pattern");
    assertThat(SavedObjectDrift.difference(desired, relinked)).isEqualTo("references changed");

    ObjectNode missing = JSON.createObjectNode();
    missing.putObject("error").put("statusCode", 404);
    assertThat(SavedObjectDrift.difference(desired, missing)).isEqualTo("missing");
  }
}

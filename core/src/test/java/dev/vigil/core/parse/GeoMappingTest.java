package dev.vigil.core.parse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.core.LogType;
import org.junit.jupiter.api.Test;

/** Every log type's template maps the GeoIP fields, so maps and geo queries work on any index. */
class GeoMappingTest {
  private final IndexTemplates templates = new IndexTemplates(IndexNaming.defaults());

  @Test
  void sourceAndDestinationLocationsAreGeoPointsForEveryLogType() {
    JsonNode ecs = templates.componentTemplate().at("/template/mappings/properties");
    for (String endpoint : new String[] {"source", "destination"}) {
      JsonNode geo = ecs.at("/" + endpoint + "/properties/geo/properties");
      assertThat(geo.at("/location/type").asText()).as(endpoint).isEqualTo("geo_point");
      for (String keyword :
          new String[] {"country_iso_code", "country_name", "region_name", "city_name"}) {
        assertThat(geo.at("/" + keyword + "/type").asText())
            .as(endpoint + "." + keyword)
            .isEqualTo("keyword");
      }
    }
    for (LogType type : LogType.values()) {
      JsonNode template = templates.indexTemplate(type);
      assertThat(template.at("/composed_of/0").asText()).isEqualTo(templates.componentName());
      // A type's own mappings must not redefine the endpoints (that would override the geo_point).
      JsonNode own = template.at("/template/mappings/properties");
      assertThat(own.has("source") || own.has("destination")).as(type.id()).isFalse();
    }
  }
}

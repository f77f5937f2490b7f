package dev.vigil.core.parse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.core.LogType;
import dev.vigil.core.geo.GeoEnrichment;
import dev.vigil.core.geo.GeoLocation;
import dev.vigil.core.geo.GeoLookup;
import dev.vigil.core.parse.types.CloudTrailParser;
import dev.vigil.testing.SyntheticCloudTrail;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Parsers given a GeoIP database add {@code source.geo} / {@code destination.geo}. */
class GeoEnrichedDocumentsTest {
  private static final GeoLocation SHANGHAI =
      new GeoLocation("CN", "China", "Shanghai", "Shanghai", 31.2222, 121.4581);
  private static final GeoLocation LOCATION_ONLY =
      new GeoLocation(null, null, null, null, 52.52, 13.405);
  private static final Map<String, GeoLocation> DATABASE =
      Map.of("101.93.195.253", SHANGHAI, "13.248.48.3", LOCATION_ONLY, "203.0.113.5", SHANGHAI);
  private static final GeoLookup LOOKUP = a -> DATABASE.get(a.getHostAddress());

  private static List<JsonNode> parse(String content, String key, LogType type, GeoLookup lookup)
      throws Exception {
    CollectingSink sink = new CollectingSink();
    GeoEnrichment geo = lookup == null ? null : new GeoEnrichment(lookup, 1000);
    new ObjectParser(IndexNaming.defaults(), LogParsers.all(), geo)
        .parse(
            new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)),
            new ObjectRef("logs", key),
            type,
            sink);
    assertThat(sink.rejections).isEmpty();
    return sink.sources();
  }

  private static String waf(String clientIp, String country) {
    return "{\"timestamp\":1679548657700,\"formatVersion\":1,\"webaclId\":"
        + "\"arn:aws:wafv2:us-east-1:347283850106:global/webacl/test-cf/1\","
        + "\"terminatingRuleId\":\"Default_Action\",\"action\":\"ALLOW\",\"httpSourceName\":\"CF\","
        + "\"httpRequest\":{\"clientIp\":\""
        + clientIp
        + "\",\"country\":\""
        + country
        + "\",\"headers\":[],\"uri\":\"/\",\"httpMethod\":\"GET\",\"requestId\":\"r1\"}}\n";
  }

  @Test
  void databaseAnswerReplacesTheRecordsCountryWithAFullPlace() throws Exception {
    JsonNode doc = parse(waf("101.93.195.253", "HK"), "waf/a.log", LogType.WAF, LOOKUP).get(0);

    JsonNode geo = doc.at("/source/geo");
    assertThat(geo.path("country_iso_code").asText()).isEqualTo("CN");
    assertThat(geo.path("country_name").asText()).isEqualTo("China");
    assertThat(geo.path("region_name").asText()).isEqualTo("Shanghai");
    assertThat(geo.path("city_name").asText()).isEqualTo("Shanghai");
    assertThat(geo.at("/location/lat").asDouble()).isEqualTo(31.2222);
    assertThat(geo.at("/location/lon").asDouble()).isEqualTo(121.4581);
  }

  @Test
  void recordsOwnCountryIsKeptWhenTheDatabaseHasNone() throws Exception {
    JsonNode doc = parse(waf("13.248.48.3", "HK"), "waf/a.log", LogType.WAF, LOOKUP).get(0);

    assertThat(doc.at("/source/geo/country_iso_code").asText()).isEqualTo("HK");
    assertThat(doc.at("/source/geo/location/lat").asDouble()).isEqualTo(52.52);
  }

  @Test
  void unknownAddressesAndNoDatabaseLeaveTheRecordsOwnFields() throws Exception {
    JsonNode miss = parse(waf("8.8.4.4", "US"), "waf/a.log", LogType.WAF, LOOKUP).get(0);
    JsonNode none = parse(waf("101.93.195.253", "HK"), "waf/a.log", LogType.WAF, null).get(0);

    for (JsonNode doc : List.of(miss, none)) {
      assertThat(doc.at("/source/geo").size()).isEqualTo(1);
      assertThat(doc.at("/source/geo/country_iso_code").asText()).isIn("US", "HK");
    }
  }

  @Test
  void vpcFlowGetsDestinationGeoOnlyForPublicAddresses() throws Exception {
    String flows =
        "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes"
            + " start end action log-status\n"
            + "2 123456789010 eni-1 10.0.0.220 203.0.113.5 443 49152 6 20 4249 1418530010"
            + " 1418530070 ACCEPT OK\n"
            + "2 123456789010 eni-1 203.0.113.5 10.0.0.220 49152 443 6 20 4249 1418530010"
            + " 1418530070 ACCEPT OK\n";
    List<JsonNode> docs =
        parse(
            flows,
            "AWSLogs/123456789010/vpcflowlogs/us-east-1/2014/12/14/a.log",
            LogType.VPCFLOW,
            LOOKUP);

    assertThat(docs.get(0).at("/source/geo").isMissingNode()).isTrue();
    assertThat(docs.get(0).at("/destination/geo/city_name").asText()).isEqualTo("Shanghai");
    assertThat(docs.get(1).at("/source/geo/country_iso_code").asText()).isEqualTo("CN");
    assertThat(docs.get(1).at("/destination/geo").isMissingNode()).isTrue();
  }

  @Test
  void cloudTrailFastPathWritesTheSameGeoAsTheCopyingPath() throws Exception {
    byte[] input =
        SyntheticCloudTrail.object(200, 7, Instant.parse("2026-11-27T00:00:00Z")).readAllBytes();
    GeoLookup everywhere =
        a -> new GeoLocation("DE", "Germany \"quoted\"", null, "Köln", 50.9, 6.9);

    List<JsonNode> fast = cloudTrail(new CloudTrailParser(), input, everywhere);
    List<JsonNode> slow = cloudTrail(CloudTrailParser.copyingEveryEvent(), input, everywhere);

    assertThat(fast).isEqualTo(slow);
    assertThat(fast)
        .filteredOn(d -> d.at("/source/geo/city_name").asText().equals("Köln"))
        .isNotEmpty();
  }

  private static List<JsonNode> cloudTrail(CloudTrailParser parser, byte[] input, GeoLookup lookup)
      throws Exception {
    CollectingSink sink = new CollectingSink();
    new ObjectParser(IndexNaming.defaults(), List.of(parser), new GeoEnrichment(lookup, 100))
        .parse(
            new ByteArrayInputStream(input),
            new ObjectRef("logs", "AWSLogs/1/CloudTrail/us-east-1/2026/11/27/a.json"),
            LogType.CLOUDTRAIL,
            sink);
    assertThat(sink.rejections).isEmpty();
    return sink.sources();
  }
}

package dev.vigil.ingester.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.ingester.support.SharedTestData;
import dev.vigil.parts.MotoServer;
import dev.vigil.parts.OpenSearchNode;
import dev.vigil.parts.RealParts;
import dev.vigil.testing.MmdbTestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged ingester with a MaxMind DB (written by {@link MmdbTestDatabase}): WAF requests
 * arrive in OpenSearch with {@code source.geo.location} mapped as a geo_point, so a map query finds
 * them; and a database that is not one stops start-up.
 */
class GeoIpIT {
  private static final String PREFIX = "geo";
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final Path DIR = Path.of("target", "geoip-it");

  private static AwsSetup aws;
  private static OpenSearchNode openSearch;
  private static IngesterProcess ingester;

  private static Map<String, String> properties(String prefix, Path database) {
    Map<String, String> props = new HashMap<>(aws.ingesterProperties());
    props.put("vigil.ingester.opensearch.endpoint", openSearch.uri().toString());
    props.put("vigil.ingester.index-prefix", prefix);
    props.put("vigil.ingester.receive.wait-time", "1s");
    props.put("vigil.ingester.bulk.flush-interval", "200ms");
    props.put("vigil.ingester.geoip.database", database.toAbsolutePath().toString());
    return props;
  }

  @BeforeAll
  static void start() {
    MotoServer moto = RealParts.moto();
    openSearch = RealParts.openSearch();
    aws = new AwsSetup(moto, "geoip", Duration.ofSeconds(30));
    Path database =
        MmdbTestDatabase.ofType("GeoLite2-City")
            .city("101.93.0.0/16", "CN", "China", "Shanghai", "Shanghai", 31.2222, 121.4581)
            .city("2a00:1450::/32", "DE", "Germany", "Hesse", "Frankfurt", 50.1109, 8.6821)
            .writeTo(DIR.resolve("GeoLite2-City.mmdb"));
    ingester =
        IngesterProcess.start("ingester-geoip", properties(PREFIX, database), "-Xmx256m")
            .awaitReady(TIMEOUT);
  }

  @AfterAll
  static void stop() {
    if (ingester != null) {
      ingester.terminate(Duration.ofSeconds(20));
    }
  }

  @Test
  void wafClientsAreFoundByAMapQueryOnTheirLocation() {
    List<String> lines =
        new String(
                SharedTestData.bytes("centralized-logging-with-opensearch/waf/waf.log"),
                StandardCharsets.UTF_8)
            .lines()
            .filter(l -> !l.isBlank())
            .collect(Collectors.toCollection(ArrayList::new));
    // The sample's two requests come from Shanghai; add one from Frankfurt (IPv6), one the
    // database does not know (WAF's own country stays) and one from a private address.
    String first = lines.get(0);
    lines.add(variant(first, "2a00:1450:4001:81b::200e", "DE", "geo-ipv6"));
    lines.add(variant(first, "8.8.8.8", "US", "geo-miss"));
    lines.add(variant(first, "10.1.2.3", "ZZ", "geo-private"));
    String key =
        "firehose/waf/2026/11/27/10/aws-waf-logs-vigil-1-2026-11-27-10-00-00-0b3c7e1a-geo.gz";

    aws.put(key, EndToEndIT.gzip(String.join("", lines).getBytes(StandardCharsets.UTF_8)));

    await()
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(500))
        .until(() -> Documents.count(openSearch, PREFIX + "-waf-*") == 5);
    JsonNode shanghai =
        Documents.search(
            openSearch,
            PREFIX + "-waf-*",
            "{\"query\":{\"geo_bounding_box\":{\"source.geo.location\":{"
                + "\"top_left\":{\"lat\":32.0,\"lon\":121.0},"
                + "\"bottom_right\":{\"lat\":31.0,\"lon\":122.0}}}}}");
    assertThat(ips(shanghai)).containsExactly("101.93.195.253", "101.93.195.253");
    JsonNode hit = shanghai.at("/hits/hits/0/_source/source/geo");
    assertThat(hit.path("country_iso_code").asText()).isEqualTo("CN");
    assertThat(hit.path("city_name").asText()).isEqualTo("Shanghai");
    assertThat(hit.path("region_name").asText()).isEqualTo("Shanghai");

    JsonNode frankfurt =
        Documents.search(
            openSearch,
            PREFIX + "-waf-*",
            "{\"query\":{\"geo_distance\":{\"distance\":\"50km\","
                + "\"source.geo.location\":{\"lat\":50.0,\"lon\":8.5}}}}");
    assertThat(ips(frankfurt)).containsExactly("2a00:1450:4001:81b::200e");

    JsonNode located =
        Documents.search(
            openSearch,
            PREFIX + "-waf-*",
            "{\"size\":10,\"query\":{\"exists\":{\"field\":\"source.geo.location\"}}}");
    assertThat(located.at("/hits/total/value").asInt()).isEqualTo(3);
    JsonNode unknown =
        Documents.search(
            openSearch,
            PREFIX + "-waf-*",
            "{\"query\":{\"terms\":{\"source.ip\":[\"8.8.8.8\",\"10.1.2.3\"]}}}");
    assertThat(unknown.at("/hits/total/value").asInt()).isEqualTo(2);
    for (JsonNode h : unknown.at("/hits/hits")) {
      JsonNode geo = h.at("/_source/source/geo");
      assertThat(geo.size()).as("only WAF's own country: %s", geo).isEqualTo(1);
      assertThat(geo.path("country_iso_code").asText()).isIn("US", "ZZ");
    }
    assertThat(ingester.metric("vigil_ingester_geoip_lookups_total", "source=\"database\""))
        .isEqualTo(3); // 101.93.195.253 once, the IPv6 address, 8.8.8.8; never 10.1.2.3
    assertThat(ingester.metric("vigil_ingester_geoip_lookups_total", "source=\"cache\""))
        .isEqualTo(1);
  }

  @Test
  void aFileThatIsNoMaxMindDatabaseStopsStartUpNamingIt() throws IOException {
    Path corrupt = Files.writeString(DIR.resolve("corrupt.mmdb"), "<html>Not Found</html>");

    IngesterProcess process =
        IngesterProcess.start("ingester-geoip-corrupt", properties("geo-corrupt", corrupt));

    await().atMost(Duration.ofSeconds(60)).until(() -> !process.isAlive());
    assertThat(process.logText())
        .contains(
            "vigil.ingester.geoip.database: "
                + corrupt.toAbsolutePath()
                + ": not a readable MaxMind DB file");
  }

  private static String variant(String line, String ip, String country, String requestId) {
    return line.replace("\"clientIp\":\"101.93.195.253\"", "\"clientIp\":\"" + ip + "\"")
        .replace("\"country\":\"CN\"", "\"country\":\"" + country + "\"")
        .replaceFirst("\"requestId\":\"[^\"]*\"", "\"requestId\":\"" + requestId + "\"");
  }

  private static List<String> ips(JsonNode answer) {
    return StreamSupport.stream(answer.at("/hits/hits").spliterator(), false)
        .map(h -> h.at("/_source/source/ip").asText())
        .toList();
  }
}

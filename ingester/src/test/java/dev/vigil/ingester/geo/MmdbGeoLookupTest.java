package dev.vigil.ingester.geo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.geo.GeoEnrichment;
import dev.vigil.core.geo.GeoLocation;
import dev.vigil.ingester.config.InvalidConfigException;
import dev.vigil.ingester.support.TestConfigs;
import dev.vigil.testing.MmdbTestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MmdbGeoLookupTest {
  @TempDir Path dir;

  private Path database() {
    return MmdbTestDatabase.ofType("GeoLite2-City")
        .city("101.93.0.0/16", "CN", "China", "Shanghai", "Shanghai", 31.2222, 121.4581)
        .city("2a00:1450::/32", "DE", "Germany", null, null, 51.2993, 9.491)
        .city("81.2.69.0/24", "GB", "United Kingdom", null, null, null, null)
        .writeTo(dir.resolve("GeoLite2-City.mmdb"));
  }

  @Test
  void cityRecordsBecomeEcsGeoFields() throws Exception {
    try (MmdbGeoLookup lookup = MmdbGeoLookup.open(database().toString())) {
      assertThat(lookup.locate(InetAddress.getByName("101.93.195.253")))
          .isEqualTo(new GeoLocation("CN", "China", "Shanghai", "Shanghai", 31.2222, 121.4581));
      assertThat(lookup.locate(InetAddress.getByName("2a00:1450:4001::1")))
          .isEqualTo(new GeoLocation("DE", "Germany", null, null, 51.2993, 9.491));
      assertThat(lookup.locate(InetAddress.getByName("81.2.69.160")))
          .isEqualTo(new GeoLocation("GB", "United Kingdom", null, null, null, null));
      assertThat(lookup.locate(InetAddress.getByName("8.8.8.8"))).isNull();
    }
  }

  @Test
  void flatIpLocationDbRecordsAreReadToo() throws Exception {
    Path flat =
        MmdbTestDatabase.ofType("ip-location-db/dbip-city")
            .ipv4Only()
            .network(
                "1.0.0.0/24",
                Map.of(
                    "country_code", "AU",
                    "state1", "Queensland",
                    "city", "South Brisbane",
                    "latitude", -27.4748,
                    "longitude", 153.017))
            .writeTo(dir.resolve("dbip-city-ipv4.mmdb"));

    try (MmdbGeoLookup lookup = MmdbGeoLookup.open(flat.toString())) {
      assertThat(lookup.locate(InetAddress.getByName("1.0.0.1")))
          .isEqualTo(
              new GeoLocation("AU", null, "Queensland", "South Brisbane", -27.4748, 153.017));
      // The IPv4 half of a database shipped per address family: IPv6 addresses are misses.
      assertThat(lookup.locate(InetAddress.getByName("2a00:1450::1"))).isNull();
    }
  }

  @Test
  void recordsOfAnotherShapeGiveNothing() throws Exception {
    Path asn =
        MmdbTestDatabase.ofType("GeoLite2-ASN")
            .network("8.8.8.0/24", Map.of("autonomous_system_number", 15169))
            .writeTo(dir.resolve("asn.mmdb"));

    try (MmdbGeoLookup lookup = MmdbGeoLookup.open(asn.toString())) {
      GeoLocation found = lookup.locate(InetAddress.getByName("8.8.8.8"));
      assertThat(found.isEmpty()).isTrue();
      assertThat(new GeoEnrichment(lookup, 10).locate("8.8.8.8")).isNull();
    }
  }

  @Test
  void missingAndCorruptFilesAreRefusedNamingThePath() throws IOException {
    Path missing = dir.resolve("nope.mmdb");
    Path corrupt = dir.resolve("corrupt.mmdb");
    byte[] valid = Files.readAllBytes(database());
    Files.write(corrupt, Arrays.copyOf(valid, valid.length - 40)); // metadata cut off

    assertThatThrownBy(() -> MmdbGeoLookup.open(missing.toString()))
        .hasMessageContaining(missing.toString());
    assertThatThrownBy(() -> MmdbGeoLookup.open(corrupt.toString()))
        .hasMessageContaining(corrupt + ": not a readable MaxMind DB file");
  }

  @Test
  void aCorruptDatabaseFailsStartUpNamingKeyAndPath() throws IOException {
    Path corrupt = Files.writeString(dir.resolve("GeoLite2-City.mmdb"), "not a database");

    assertThatThrownBy(
            () ->
                GeoIp.open(
                    TestConfigs.queueMode(
                            Map.of("vigil.ingester.geoip.database", corrupt.toString()))
                        .geoip(),
                    new SimpleMeterRegistry()))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("vigil.ingester.geoip.database: " + corrupt);
  }

  @Test
  void withoutADatabaseThereIsNoEnrichmentAtAll() {
    try (GeoIp geoIp =
        GeoIp.open(TestConfigs.queueMode(Map.of()).geoip(), new SimpleMeterRegistry())) {
      assertThat(geoIp.enrichment()).isNull();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void lookupsAreCountedByWhereTheAnswerCameFrom() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (GeoIp geoIp =
        GeoIp.open(
            TestConfigs.queueMode(Map.of("vigil.ingester.geoip.database", database().toString()))
                .geoip(),
            registry)) {
      for (int i = 0; i < 5; i++) {
        geoIp.enrichment().locate("101.93.195.253");
      }

      assertThat(
              registry
                  .get("vigil.ingester.geoip.lookups")
                  .tag("source", "database")
                  .functionCounter()
                  .count())
          .isEqualTo(1);
      assertThat(
              registry
                  .get("vigil.ingester.geoip.lookups")
                  .tag("source", "cache")
                  .functionCounter()
                  .count())
          .isEqualTo(4);
    }
  }
}

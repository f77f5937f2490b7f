package dev.vigil.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.maxmind.db.Reader;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The test database writer is proven with MaxMind's own reader. */
class MmdbTestDatabaseTest {
  private static final byte[] DATABASE =
      MmdbTestDatabase.ofType("GeoLite2-City")
          .city("101.93.0.0/16", "CN", "China", "Shanghai", "Shanghai", 31.2222, 121.4581)
          .city("101.93.195.0/24", "CN", "China", "Zhejiang", "Hangzhou", 30.2936, 120.1614)
          .city("2a00:1450::/32", "DE", "Germany", null, null, 51.2993, 9.491)
          .city("8.8.8.0/24", "US", "United States", null, null, null, null)
          .network("192.0.2.0/24", Map.of("long", "x".repeat(300), "flag", true, "n", 70000))
          .bytes();

  private static Map<?, ?> lookup(Reader reader, String ip) throws Exception {
    return reader.get(InetAddress.getByName(ip), Map.class);
  }

  @Test
  void maxMindsReaderReadsTheMetadata() throws Exception {
    try (Reader reader = new Reader(new ByteArrayInputStream(DATABASE))) {
      assertThat(reader.getMetadata().getDatabaseType()).isEqualTo("GeoLite2-City");
      assertThat(reader.getMetadata().getIpVersion()).isEqualTo(6);
      assertThat(reader.getMetadata().getBinaryFormatMajorVersion()).isEqualTo(2);
      assertThat(reader.getMetadata().getLanguages()).containsExactly("en");
    }
  }

  @Test
  void cityRecordsAreFoundForTheirNetworksTheMostSpecificWinning() throws Exception {
    try (Reader reader = new Reader(new ByteArrayInputStream(DATABASE))) {
      Map<?, ?> broad = lookup(reader, "101.93.1.1");
      Map<?, ?> specific = lookup(reader, "101.93.195.253");
      Map<?, ?> v6 = lookup(reader, "2a00:1450:4001::1");

      assertThat(((Map<?, ?>) broad.get("city")).get("names")).isEqualTo(Map.of("en", "Shanghai"));
      assertThat(((Map<?, ?>) specific.get("city")).get("names"))
          .isEqualTo(Map.of("en", "Hangzhou"));
      assertThat(((Map<?, ?>) specific.get("location")).get("latitude")).isEqualTo(30.2936);
      assertThat(((List<?>) specific.get("subdivisions"))).hasSize(1);
      assertThat(((Map<?, ?>) v6.get("country")).get("iso_code")).isEqualTo("DE");
      assertThat(((Map<?, ?>) v6.get("location")).get("longitude")).isEqualTo(9.491);
      assertThat(lookup(reader, "8.8.8.8").containsKey("location")).isFalse();
    }
  }

  @Test
  void addressesOutsideEveryNetworkAreMisses() throws Exception {
    try (Reader reader = new Reader(new ByteArrayInputStream(DATABASE))) {
      assertThat(lookup(reader, "101.94.0.1")).isNull();
      assertThat(lookup(reader, "1.1.1.1")).isNull();
      assertThat(lookup(reader, "2a01::1")).isNull();
    }
  }

  @Test
  void longStringsBooleansAndLargerIntegersRoundTrip() throws Exception {
    try (Reader reader = new Reader(new ByteArrayInputStream(DATABASE))) {
      Map<?, ?> record = lookup(reader, "192.0.2.7");

      assertThat(record.get("long")).isEqualTo("x".repeat(300));
      assertThat(record.get("flag")).isEqualTo(true);
      assertThat(((Number) record.get("n")).longValue()).isEqualTo(70000);
    }
  }

  @Test
  void ipv4OnlyDatabasesAreReadToo() throws Exception {
    byte[] v4 =
        MmdbTestDatabase.ofType("dbip-city-ipv4")
            .ipv4Only()
            .network("1.0.0.0/24", Map.of("country_code", "AU", "latitude", -27.4748))
            .bytes();

    try (Reader reader = new Reader(new ByteArrayInputStream(v4))) {
      assertThat(reader.getMetadata().getIpVersion()).isEqualTo(4);
      assertThat(lookup(reader, "1.0.0.200").get("country_code")).isEqualTo("AU");
      assertThat(lookup(reader, "1.0.1.1")).isNull();
    }
  }
}

package dev.vigil.core.geo;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GeoEnrichmentTest {
  private static final GeoLocation PARIS =
      new GeoLocation("FR", "France", "Île-de-France", "Paris", 48.8566, 2.3522);

  private final List<String> asked = new ArrayList<>();

  private GeoLookup database(String known) {
    return address -> {
      asked.add(address.getHostAddress());
      return address.getHostAddress().equals(known) ? PARIS : null;
    };
  }

  @Test
  void repeatedAddressesAreAnsweredFromTheCacheHitsAndMissesAlike() {
    GeoEnrichment geo = new GeoEnrichment(database("8.8.8.8"), 100);

    for (int i = 0; i < 3; i++) {
      assertThat(geo.locate("8.8.8.8")).isEqualTo(PARIS);
      assertThat(geo.locate("9.9.9.9")).isNull();
    }

    assertThat(asked).containsExactly("8.8.8.8", "9.9.9.9");
    assertThat(geo.databaseLookups()).isEqualTo(2);
    assertThat(geo.cacheHits()).isEqualTo(4);
  }

  @Test
  void privateAddressesAndNonAddressesNeverReachTheDatabase() {
    GeoEnrichment geo = new GeoEnrichment(database("8.8.8.8"), 100);

    assertThat(geo.locate("10.0.0.1")).isNull();
    assertThat(geo.locate("fd00::1")).isNull();
    assertThat(geo.locate("ssm.amazonaws.com")).isNull();
    assertThat(geo.locate("")).isNull();
    assertThat(geo.locate(null)).isNull();

    assertThat(asked).isEmpty();
  }

  @Test
  void leastRecentlyUsedEntriesAreEvictedBeyondTheCacheSize() {
    GeoEnrichment geo = new GeoEnrichment(database("none"), 16); // one entry per segment
    List<String> ips = new ArrayList<>();
    for (int i = 1; i <= 200; i++) {
      ips.add("8.8." + (i / 250) + "." + (i % 250));
    }
    ips.forEach(geo::locate);
    asked.clear();

    ips.forEach(geo::locate);

    // Entries do not survive 200 others passing through 16 slots: nearly all are asked again.
    assertThat(asked.size()).isGreaterThan(180);
  }

  @Test
  void aZeroSizedCacheAsksEveryTime() {
    GeoEnrichment geo = new GeoEnrichment(database("8.8.8.8"), 0);

    geo.locate("8.8.8.8");
    geo.locate("8.8.8.8");

    assertThat(asked).hasSize(2);
  }

  @Test
  void anEmptyAnswerCountsAsAMiss() {
    GeoLookup empty = (InetAddress a) -> new GeoLocation(null, null, null, null, null, null);

    assertThat(new GeoEnrichment(empty, 10).locate("8.8.8.8")).isNull();
  }
}

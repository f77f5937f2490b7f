package dev.vigil.ingester.bench;

import dev.vigil.core.LogType;
import dev.vigil.core.geo.GeoEnrichment;
import dev.vigil.core.parse.DocumentSink;
import dev.vigil.core.parse.IndexNaming;
import dev.vigil.core.parse.LogParsers;
import dev.vigil.core.parse.ObjectParser;
import dev.vigil.core.parse.ObjectRef;
import dev.vigil.core.parse.ParsedDocument;
import dev.vigil.core.parse.Rejection;
import dev.vigil.ingester.geo.MmdbGeoLookup;
import dev.vigil.testing.MmdbTestDatabase;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * What GeoIP costs the ingester (not a timed test: run it with {@code make bench-geoip}). A MaxMind
 * DB of 20 000 city networks written by {@link MmdbTestDatabase}; a stream of addresses as logs
 * have them — 90 % from 2 000 recurring clients, 10 % one-off addresses, most unknown. Prints ns
 * per address looked up without and with the cache, the hit rate, and WAF documents/s parsed
 * without a database, and with one.
 */
public final class GeoLookupBenchmark {
  private static final int NETWORKS = 20_000;
  private static final int ADDRESSES = 1_000_000;
  private static final int ROUNDS = 5;

  public static void main(String[] args) throws Exception {
    SplittableRandom random = new SplittableRandom(42);
    MmdbTestDatabase db = MmdbTestDatabase.ofType("GeoLite2-City");
    String[] networks = new String[NETWORKS];
    for (int i = 0; i < NETWORKS; i++) {
      // Distinct public /24s: 11.x.y.0 … 60.x.y.0 (first byte from i keeps them apart).
      networks[i] = (11 + i % 50) + "." + (i / 50 % 256) + "." + (i / 12_800) + ".0";
      db.city(
          networks[i] + "/24",
          "DE",
          "Germany",
          "Hesse",
          "City " + i,
          random.nextDouble(-60, 60),
          random.nextDouble(-180, 180));
    }
    Path file = Files.createTempFile("geoip-bench", ".mmdb");
    db.writeTo(file);
    String[] hot = new String[2_000];
    for (int i = 0; i < hot.length; i++) {
      String net = networks[random.nextInt(NETWORKS)];
      hot[i] = net.substring(0, net.length() - 1) + (1 + random.nextInt(254));
    }
    String[] stream = new String[ADDRESSES];
    for (int i = 0; i < ADDRESSES; i++) {
      stream[i] =
          random.nextInt(10) < 9
              ? hot[random.nextInt(hot.length)]
              : (11 + random.nextInt(150))
                  + "."
                  + random.nextInt(256)
                  + "."
                  + random.nextInt(256)
                  + "."
                  + random.nextInt(256);
    }
    try (MmdbGeoLookup lookup = MmdbGeoLookup.open(file.toString())) {
      System.out.printf(
          Locale.ROOT, "database: %d networks, %d KiB%n", NETWORKS, Files.size(file) / 1024);
      double uncached = perAddress(new GeoEnrichment(lookup, 0), stream);
      GeoEnrichment cachedEnrichment = new GeoEnrichment(lookup, 100_000);
      double cached = perAddress(cachedEnrichment, stream);
      long hits = cachedEnrichment.cacheHits();
      long total = hits + cachedEnrichment.databaseLookups();
      System.out.printf(
          Locale.ROOT,
          "lookup without cache: %.0f ns/address; with cache (100 000): %.0f ns/address;"
              + " hit rate %.1f %%%n",
          uncached,
          cached,
          100.0 * hits / total);

      byte[] waf = wafObject(stream, 200_000);
      double none = documentsPerSecond(null, waf);
      double withDb = documentsPerSecond(new GeoEnrichment(lookup, 100_000), waf);
      System.out.printf(
          Locale.ROOT,
          "WAF parse: %.0f docs/s without a database, %.0f docs/s with one (%.1f %%)%n",
          none,
          withDb,
          100.0 * (withDb - none) / none);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static double perAddress(GeoEnrichment geo, String[] stream) {
    long best = Long.MAX_VALUE;
    for (int round = 0; round < ROUNDS; round++) {
      long start = System.nanoTime();
      int found = 0;
      for (String ip : stream) {
        if (geo.locate(ip) != null) {
          found++;
        }
      }
      best = Math.min(best, System.nanoTime() - start);
      if (found == 0) {
        throw new AssertionError("nothing found: the benchmark measures nothing");
      }
    }
    return (double) best / stream.length;
  }

  private static byte[] wafObject(String[] stream, int records) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < records; i++) {
      out.append("{\"timestamp\":")
          .append(1764288000000L + i)
          .append(",\"formatVersion\":1,\"webaclId\":")
          .append("\"arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/bench/1\",")
          .append("\"terminatingRuleId\":\"Default_Action\",\"action\":\"ALLOW\",")
          .append("\"httpSourceName\":\"ALB\",\"httpRequest\":{\"clientIp\":\"")
          .append(stream[i])
          .append("\",\"country\":\"DE\",\"headers\":[{\"name\":\"host\",\"value\":\"x\"}],")
          .append("\"uri\":\"/\",\"httpMethod\":\"GET\",\"requestId\":\"r")
          .append(i)
          .append("\"}}\n");
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static double documentsPerSecond(GeoEnrichment geo, byte[] waf) throws Exception {
    ObjectParser parser = new ObjectParser(IndexNaming.defaults(), LogParsers.all(), geo);
    long best = Long.MAX_VALUE;
    long[] documents = new long[1];
    for (int round = 0; round < ROUNDS; round++) {
      documents[0] = 0;
      long start = System.nanoTime();
      parser.parse(
          new ByteArrayInputStream(waf),
          new ObjectRef("bench", "waf/bench.log"),
          LogType.WAF,
          new DocumentSink() {
            @Override
            public void document(ParsedDocument document) {
              documents[0]++;
            }

            @Override
            public void rejected(Rejection rejection) {
              throw new AssertionError(rejection.toString());
            }
          });
      best = Math.min(best, System.nanoTime() - start);
    }
    return documents[0] * 1e9 / best;
  }
}

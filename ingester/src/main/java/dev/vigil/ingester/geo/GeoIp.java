package dev.vigil.ingester.geo;

import com.maxmind.db.Metadata;
import dev.vigil.core.geo.GeoEnrichment;
import dev.vigil.core.ingest.IngesterKeys;
import dev.vigil.ingester.config.IngesterConfig;
import dev.vigil.ingester.config.InvalidConfigException;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * GeoIP enrichment as configured by {@code vigil.ingester.geoip.*}: none without a database,
 * otherwise the MaxMind DB behind a cache, with its metrics. A database that cannot be opened fails
 * start-up naming the path — the ingester never runs silently unenriched.
 */
public final class GeoIp implements Closeable {
  private static final Logger LOG = Logger.getLogger(GeoIp.class);

  private final MmdbGeoLookup database;
  private final GeoEnrichment enrichment;

  private GeoIp(MmdbGeoLookup database, GeoEnrichment enrichment) {
    this.database = database;
    this.enrichment = enrichment;
  }

  /**
   * @throws InvalidConfigException naming {@code vigil.ingester.geoip.database} and the path
   */
  public static GeoIp open(IngesterConfig.GeoIp config, MeterRegistry registry) {
    if (config.database().isEmpty()) {
      return new GeoIp(null, null);
    }
    String path = config.database().get();
    MmdbGeoLookup database;
    try {
      database = MmdbGeoLookup.open(path);
    } catch (IOException e) {
      throw new InvalidConfigException(
          List.of(IngesterKeys.GEOIP_DATABASE + ": " + e.getMessage()));
    }
    GeoEnrichment enrichment = new GeoEnrichment(database, config.cacheSize());
    Metadata m = database.metadata();
    LOG.infof(
        "GeoIP database %s loaded: type=%s ip_version=%d built=%s cache=%d",
        path,
        m.getDatabaseType(),
        m.getIpVersion(),
        m.getBuildDate().toInstant(),
        config.cacheSize());
    FunctionCounter.builder("vigil.ingester.geoip.lookups", enrichment, GeoEnrichment::cacheHits)
        .description("GeoIP answers for public addresses, by where they came from")
        .tag("source", "cache")
        .register(registry);
    FunctionCounter.builder(
            "vigil.ingester.geoip.lookups", enrichment, GeoEnrichment::databaseLookups)
        .description("GeoIP answers for public addresses, by where they came from")
        .tag("source", "database")
        .register(registry);
    return new GeoIp(database, enrichment);
  }

  /** The enrichment for the parsers; null without a database (the hot path then skips it). */
  public GeoEnrichment enrichment() {
    return enrichment;
  }

  @Override
  public void close() throws IOException {
    if (database != null) {
      database.close();
    }
  }
}

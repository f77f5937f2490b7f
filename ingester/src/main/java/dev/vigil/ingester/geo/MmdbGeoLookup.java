package dev.vigil.ingester.geo;

import com.maxmind.db.Metadata;
import com.maxmind.db.Reader;
import dev.vigil.core.geo.GeoLocation;
import dev.vigil.core.geo.GeoLookup;
import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * {@link GeoLookup} over a MaxMind DB file: GeoLite2/GeoIP2 City or Country, DB-IP Lite, or any
 * database with records of that shape ({@code country.iso_code}, {@code country.names.en}, {@code
 * subdivisions[0].names.en}, {@code city.names.en}, {@code location.latitude/longitude}) — or of
 * the flat ip-location-db shape. The file is memory-mapped; the reader is thread-safe.
 */
public final class MmdbGeoLookup implements GeoLookup, Closeable {
  private static final Logger LOG = Logger.getLogger(MmdbGeoLookup.class);

  private final Reader reader;
  private final String path;
  private final AtomicBoolean damageLogged = new AtomicBoolean();
  private final boolean ipv4Only;

  private MmdbGeoLookup(Reader reader, String path) {
    this.reader = reader;
    this.path = path;
    this.ipv4Only = reader.getMetadata().getIpVersion() == 4;
  }

  /**
   * Opens {@code path}.
   *
   * @throws IOException naming the path when it is missing or not a MaxMind DB
   */
  public static MmdbGeoLookup open(String path) throws IOException {
    File file = new File(path);
    if (!file.isFile()) {
      throw new IOException(path + ": no such file");
    }
    try {
      return new MmdbGeoLookup(new Reader(file, Reader.FileMode.MEMORY_MAPPED), path);
    } catch (IOException | RuntimeException e) {
      throw new IOException(path + ": not a readable MaxMind DB file: " + e.getMessage(), e);
    }
  }

  public Metadata metadata() {
    return reader.getMetadata();
  }

  @Override
  public GeoLocation locate(InetAddress address) {
    if (ipv4Only && address instanceof Inet6Address) {
      return null; // e.g. the IPv4 half of a database published as two files
    }
    Map<?, ?> record;
    try {
      record = reader.get(address, Map.class);
    } catch (IOException | RuntimeException e) {
      // A damaged region of the file: this address stays unenriched; say so once, loudly.
      if (damageLogged.compareAndSet(false, true)) {
        LOG.errorf("GeoIP database %s could not be read for an address: %s", path, e);
      }
      return null;
    }
    if (record == null) {
      return null;
    }
    if (record.get("country_code") instanceof String) {
      return flat(record);
    }
    Map<?, ?> country = map(record.get("country"));
    Map<?, ?> location = map(record.get("location"));
    Object subdivisions = record.get("subdivisions");
    Map<?, ?> region =
        subdivisions instanceof List<?> list && !list.isEmpty() ? map(list.get(0)) : Map.of();
    return new GeoLocation(
        text(country.get("iso_code")),
        name(country),
        name(region),
        name(map(record.get("city"))),
        number(location.get("latitude")),
        number(location.get("longitude")));
  }

  /**
   * The flat layout of the ip-location-db MMDB files ({@code country_code}, {@code state1}, {@code
   * city}, {@code latitude}, {@code longitude}), e.g. DB-IP Lite City as packaged on npm. They
   * carry no country name.
   */
  private static GeoLocation flat(Map<?, ?> record) {
    return new GeoLocation(
        text(record.get("country_code")),
        null,
        text(record.get("state1")),
        text(record.get("city")),
        number(record.get("latitude")),
        number(record.get("longitude")));
  }

  private static Map<?, ?> map(Object value) {
    return value instanceof Map<?, ?> m ? m : Map.of();
  }

  private static String name(Map<?, ?> place) {
    return text(map(place.get("names")).get("en"));
  }

  private static String text(Object value) {
    return value instanceof String s && !s.isEmpty() ? s : null;
  }

  private static Double number(Object value) {
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    if (value instanceof String s) {
      try {
        return Double.valueOf(s);
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }
}

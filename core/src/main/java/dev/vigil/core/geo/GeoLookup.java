package dev.vigil.core.geo;

import java.net.InetAddress;

/**
 * A GeoIP database: where an address is. Implementations must be thread-safe (parsers of several
 * objects call it at once). The MaxMind DB implementation lives in the ingester, which carries the
 * reader dependency; {@code core} only knows this interface.
 */
@FunctionalInterface
public interface GeoLookup {
  /** The address's location, or null when the database does not know it. */
  GeoLocation locate(InetAddress address);
}

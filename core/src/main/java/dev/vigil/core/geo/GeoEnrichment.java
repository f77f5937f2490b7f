package dev.vigil.core.geo;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The parsers' view of GeoIP: address text in, location (or null) out. Skips what is not a public
 * IP literal, and keeps the last answers — misses included — in an LRU cache, because logs repeat
 * the same clients over and over. The cache is split into segments, each its own lock, so parser
 * threads rarely wait on each other. Thread-safe.
 */
public final class GeoEnrichment {
  private static final int SEGMENTS = 16;
  private static final GeoLocation MISS = new GeoLocation(null, null, null, null, null, null);

  private final GeoLookup lookup;
  private final Segment[] segments = new Segment[SEGMENTS];
  private final LongAdder hits = new LongAdder();
  private final LongAdder lookups = new LongAdder();

  /**
   * @param cacheSize entries kept over all segments; 0 disables the cache
   */
  public GeoEnrichment(GeoLookup lookup, int cacheSize) {
    if (cacheSize < 0) {
      throw new IllegalArgumentException("cacheSize must be >= 0: " + cacheSize);
    }
    this.lookup = lookup;
    int perSegment = (cacheSize + SEGMENTS - 1) / SEGMENTS;
    for (int i = 0; i < SEGMENTS; i++) {
      segments[i] = new Segment(perSegment);
    }
  }

  /** The location of {@code ip}, or null (not an IP literal, not public, or unknown). */
  public GeoLocation locate(String ip) {
    if (ip == null || ip.isEmpty()) {
      return null;
    }
    Segment segment = segments[(ip.hashCode() & 0x7fffffff) % SEGMENTS];
    GeoLocation cached = segment.get(ip);
    if (cached != null) {
      hits.increment();
      return cached == MISS ? null : cached;
    }
    InetAddress address = IpLiterals.parse(ip);
    if (address == null || !IpLiterals.isPublic(address)) {
      return null;
    }
    lookups.increment();
    GeoLocation found = lookup.locate(address);
    if (found != null && found.isEmpty()) {
      found = null;
    }
    segment.put(ip, found == null ? MISS : found);
    return found;
  }

  /** Answers served from the cache. */
  public long cacheHits() {
    return hits.sum();
  }

  /** Addresses looked up in the database. */
  public long databaseLookups() {
    return lookups.sum();
  }

  private static final class Segment {
    private final int capacity;
    private final LinkedHashMap<String, GeoLocation> entries;

    Segment(int capacity) {
      this.capacity = capacity;
      this.entries =
          new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, GeoLocation> eldest) {
              return size() > Segment.this.capacity;
            }
          };
    }

    synchronized GeoLocation get(String ip) {
      return capacity == 0 ? null : entries.get(ip);
    }

    synchronized void put(String ip, GeoLocation location) {
      if (capacity > 0) {
        entries.put(ip, location);
      }
    }
  }
}

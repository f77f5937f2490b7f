package dev.vigil.core.parse;

import dev.vigil.core.geo.GeoLocation;

/**
 * Writes {@code ,"geo":{…}} into a document assembled by {@link RawJsonWriter}, the same fields
 * {@link DocumentBuilder} writes.
 */
public final class RawGeo {
  private RawGeo() {}

  /** Appends the geo object after the endpoint's previous field; nothing when null. */
  public static void write(RawJsonWriter out, GeoLocation g) {
    if (g != null) {
      out.ascii(",\"geo\":").bytes(g.json());
    }
  }
}

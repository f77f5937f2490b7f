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
    if (g == null) {
      return;
    }
    out.ascii(",\"geo\":{");
    boolean first = true;
    first = field(out, first, "country_iso_code", g.countryIsoCode());
    first = field(out, first, "country_name", g.countryName());
    first = field(out, first, "region_name", g.regionName());
    first = field(out, first, "city_name", g.cityName());
    if (g.hasLocation()) {
      out.ascii(first ? "" : ",")
          .ascii("\"location\":{\"lat\":")
          .ascii(Double.toString(g.latitude()))
          .ascii(",\"lon\":")
          .ascii(Double.toString(g.longitude()))
          .ascii("}");
    }
    out.ascii("}");
  }

  private static boolean field(RawJsonWriter out, boolean first, String name, String value) {
    if (value == null) {
      return first;
    }
    out.ascii(first ? "\"" : ",\"").ascii(name).ascii("\":").string(value);
    return false;
  }
}

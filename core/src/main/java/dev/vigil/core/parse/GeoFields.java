package dev.vigil.core.parse;

import dev.vigil.core.geo.GeoLocation;

/** How a GeoIP answer combines with the geo fields a record carries itself. */
final class GeoFields {
  private GeoFields() {}

  /**
   * The database's answer, except that a record's own country (WAF's {@code country}, GuardDuty's
   * country name) is kept when the database has no country for the address. When the database has
   * one, its country wins together with its region, city and location, so the fields always
   * describe one place.
   */
  static GeoLocation merge(GeoLocation located, String countryIso, String countryName) {
    if (located.countryIsoCode() != null || located.countryName() != null) {
      return located;
    }
    if (countryIso == null && countryName == null) {
      return located;
    }
    return new GeoLocation(
        countryIso,
        countryName,
        located.regionName(),
        located.cityName(),
        located.latitude(),
        located.longitude());
  }
}

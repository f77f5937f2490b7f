package dev.vigil.core.geo;

/**
 * What a GeoIP database knows about one address, as the ECS {@code *.geo.*} fields: {@code
 * country_iso_code}, {@code country_name}, {@code region_name}, {@code city_name} and {@code
 * location} ({@code lat}/{@code lon}). Any part may be null; the coordinates are both set or both
 * null.
 */
public record GeoLocation(
    String countryIsoCode,
    String countryName,
    String regionName,
    String cityName,
    Double latitude,
    Double longitude) {

  public GeoLocation {
    if ((latitude == null) != (longitude == null)) {
      latitude = longitude = null;
    }
  }

  public boolean hasLocation() {
    return latitude != null;
  }

  /** True when there is nothing to write. */
  public boolean isEmpty() {
    return countryIsoCode == null
        && countryName == null
        && regionName == null
        && cityName == null
        && latitude == null;
  }
}

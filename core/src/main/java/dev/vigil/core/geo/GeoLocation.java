package dev.vigil.core.geo;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.core.io.SerializedString;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * What a GeoIP database knows about one address, as the ECS {@code *.geo.*} fields: {@code
 * country_iso_code}, {@code country_name}, {@code region_name}, {@code city_name} and {@code
 * location} ({@code lat}/{@code lon}). Any part may be null; the coordinates are both set or both
 * null. Immutable; its JSON is rendered once ({@link #json()}), because cached locations are
 * written into document after document.
 */
public final class GeoLocation {
  private final String countryIsoCode;
  private final String countryName;
  private final String regionName;
  private final String cityName;
  private final Double latitude;
  private final Double longitude;
  private volatile byte[] json;
  private volatile SerializableString jsonValue;

  public GeoLocation(
      String countryIsoCode,
      String countryName,
      String regionName,
      String cityName,
      Double latitude,
      Double longitude) {
    boolean both = latitude != null && longitude != null;
    this.countryIsoCode = countryIsoCode;
    this.countryName = countryName;
    this.regionName = regionName;
    this.cityName = cityName;
    this.latitude = both ? latitude : null;
    this.longitude = both ? longitude : null;
  }

  public String countryIsoCode() {
    return countryIsoCode;
  }

  public String countryName() {
    return countryName;
  }

  public String regionName() {
    return regionName;
  }

  public String cityName() {
    return cityName;
  }

  public Double latitude() {
    return latitude;
  }

  public Double longitude() {
    return longitude;
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

  /**
   * The {@code geo} object as UTF-8 JSON, e.g. {@code {"country_iso_code":"CN",…,
   * "location":{"lat":31.2,"lon":121.5}}}; rendered on first use.
   */
  public byte[] json() {
    byte[] rendered = json;
    if (rendered == null) {
      StringBuilder out = new StringBuilder("{");
      field(out, "country_iso_code", countryIsoCode);
      field(out, "country_name", countryName);
      field(out, "region_name", regionName);
      field(out, "city_name", cityName);
      if (latitude != null) {
        out.append(out.length() > 1 ? "," : "")
            .append("\"location\":{\"lat\":")
            .append(latitude.doubleValue())
            .append(",\"lon\":")
            .append(longitude.doubleValue())
            .append('}');
      }
      rendered = out.append('}').toString().getBytes(StandardCharsets.UTF_8);
      json = rendered; // a race renders the same bytes twice, harmlessly
    }
    return rendered;
  }

  /** {@link #json()} for a Jackson generator's {@code writeRawValue} (keeps its UTF-8 bytes). */
  public SerializableString jsonValue() {
    SerializableString value = jsonValue;
    if (value == null) {
      value = new SerializedString(new String(json(), StandardCharsets.UTF_8));
      jsonValue = value;
    }
    return value;
  }

  private static void field(StringBuilder out, String name, String value) {
    if (value != null) {
      out.append(out.length() > 1 ? ",\"" : "\"").append(name).append("\":\"");
      out.append(JsonStringEncoder.getInstance().quoteAsString(value)).append('"');
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GeoLocation g
        && Objects.equals(countryIsoCode, g.countryIsoCode)
        && Objects.equals(countryName, g.countryName)
        && Objects.equals(regionName, g.regionName)
        && Objects.equals(cityName, g.cityName)
        && Objects.equals(latitude, g.latitude)
        && Objects.equals(longitude, g.longitude);
  }

  @Override
  public int hashCode() {
    return Objects.hash(countryIsoCode, countryName, regionName, cityName, latitude, longitude);
  }

  @Override
  public String toString() {
    return "GeoLocation" + new String(json(), StandardCharsets.UTF_8);
  }
}

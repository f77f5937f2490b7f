package dev.vigil.core.parse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.vigil.core.LogType;
import dev.vigil.core.geo.GeoEnrichment;
import dev.vigil.core.geo.GeoLocation;
import dev.vigil.core.ingest.AccountDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Writes one normalized document: the record's own fields (copied token by token by the parser)
 * followed by the common ECS fields and Vigil's own. One builder is reused for every record of an
 * object; it is not thread-safe.
 *
 * <p>A record field whose top-level name is one the builder writes itself ({@link #RESERVED}) is
 * kept as {@code original_<name>}, so the document never has a duplicate key.
 */
public final class DocumentBuilder {
  /**
   * Top-level names written by {@link #finish}; a record's own field with such a name is renamed.
   */
  public static final Set<String> RESERVED =
      Set.of(
          "@timestamp",
          "event",
          "cloud",
          "source",
          "destination",
          "network",
          "user",
          "user_agent",
          "http",
          "url",
          "related",
          "aws",
          "vigil");

  private static final SerializedString TIMESTAMP = new SerializedString("@timestamp");

  private final ByteArrayBuilder buffer = new ByteArrayBuilder(4096);
  private final JsonFactory factory;
  private final GeoEnrichment geo;
  private final AccountDirectory accounts;
  private JsonGenerator json;

  private Instant timestamp;
  private String timestampText;
  private final Map<String, Object> event = new LinkedHashMap<>();
  private String accountId;
  // The account whose Organizations name, OU path and tags the document gets (see accountOf).
  private String enrichedAccount;
  // The account of whoever made the request, when the record names one (see requesterAccount).
  private String requesterAccount;
  private String region;
  private String sourceIp;
  private Integer sourcePort;
  private String sourceCountryIso;
  private String sourceCountryName;
  private String destinationIp;
  private Integer destinationPort;
  private final Map<String, Object> network = new LinkedHashMap<>();
  private String userName;
  private String userAgent;
  private String httpMethod;
  private Integer httpStatus;
  private String httpVersion;
  private final Map<String, Object> url = new LinkedHashMap<>();
  private final Set<String> relatedIps = new LinkedHashSet<>();
  private final Set<String> relatedUsers = new LinkedHashSet<>();
  private final Map<String, Map<String, Object>> awsFields = new LinkedHashMap<>();
  // Kept across start(): see envelope().
  private final Map<String, Map<String, ?>> envelopes = new LinkedHashMap<>();

  public DocumentBuilder(JsonFactory factory) {
    this(factory, null);
  }

  /**
   * @param geo GeoIP enrichment of {@code source.ip} and {@code destination.ip}; null for none
   */
  public DocumentBuilder(JsonFactory factory, GeoEnrichment geo) {
    this(factory, geo, null);
  }

  /**
   * @param accounts the organization's accounts: each document of a listed account gets its name,
   *     OU path and tags; null for none
   */
  public DocumentBuilder(JsonFactory factory, GeoEnrichment geo, AccountDirectory accounts) {
    this.factory = factory;
    this.geo = geo;
    this.accounts = accounts;
    this.json = newGenerator();
  }

  private JsonGenerator newGenerator() {
    try {
      JsonGenerator generator = factory.createGenerator(buffer);
      generator.setRootValueSeparator(
          null); // documents are cut apart by the buffer, not by separators
      return generator;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts a new document and returns the generator positioned inside its top-level object. */
  public JsonGenerator start() throws IOException {
    if (!json.getOutputContext().inRoot()) {
      json = newGenerator(); // the previous record was abandoned half-written
    }
    json.flush();
    buffer.reset();
    timestamp = null;
    timestampText = null;
    event.clear();
    accountId =
        enrichedAccount =
            requesterAccount = region = sourceIp = destinationIp = userName = userAgent = null;
    sourceCountryIso = sourceCountryName = null;
    httpMethod = httpVersion = null;
    sourcePort = destinationPort = httpStatus = null;
    url.clear();
    network.clear();
    relatedIps.clear();
    relatedUsers.clear();
    awsFields.clear();
    json.writeStartObject();
    return json;
  }

  /**
   * Same as {@code RESERVED.contains(name)}, as a switch: it runs for every top-level field of
   * every record.
   */
  public static boolean isReserved(String name) {
    return switch (name) {
      case "@timestamp",
          "event",
          "cloud",
          "source",
          "destination",
          "network",
          "user",
          "user_agent",
          "http",
          "url",
          "related",
          "aws",
          "vigil" ->
          true;
      default -> false;
    };
  }

  /** Writes a top-level field name of the record, renaming it if Vigil writes that name itself. */
  public void fieldName(String name) throws IOException {
    json.writeFieldName(isReserved(name) ? "original_" + name : name);
  }

  /** Copies the parser's current value (scalar, object or array) under {@code name}. */
  public void copyField(String name, JsonParser parser) throws IOException {
    fieldName(name);
    json.copyCurrentStructure(parser);
  }

  /**
   * The event time; {@code text} is written as {@code @timestamp} when it already is ISO-8601 UTC.
   */
  public DocumentBuilder timestamp(Instant instant, String text) {
    this.timestamp = instant;
    this.timestampText = text;
    return this;
  }

  public Instant timestamp() {
    return timestamp;
  }

  /** An {@code event.*} field: kind, category, type, provider, action, outcome, id, severity … */
  public DocumentBuilder event(String field, Object value) {
    if (value != null) {
      event.put(field, value);
    }
    return this;
  }

  public DocumentBuilder account(String id) {
    this.accountId = id;
    this.enrichedAccount = id;
    return this;
  }

  /**
   * The account the document is about, for its Organizations name, OU path and tags only, where
   * {@code cloud.account.id} is not written (a field alias of the log type's mapping).
   */
  public DocumentBuilder accountOf(String id) {
    this.enrichedAccount = id;
    return this;
  }

  /**
   * The account of whoever made the request (an S3 access log's requester ARN), to be looked up in
   * the organization: with a directory that lists at least one account, the document gets {@code
   * vigil.requester.account.known} (is it an account of the organization), {@code …name} when it
   * is, and {@code …same_account} (is it the document's own account, {@code cloud.account.id}) when
   * that is known. Without a directory, nothing: a rule on {@code known:false} then stays quiet
   * instead of firing on every request.
   */
  public DocumentBuilder requesterAccount(String id) {
    this.requesterAccount = id;
    return this;
  }

  public DocumentBuilder region(String region) {
    this.region = region;
    return this;
  }

  public DocumentBuilder source(String ip, Integer port) {
    this.sourceIp = ip;
    this.sourcePort = port;
    relatedIp(ip);
    return this;
  }

  /**
   * {@code source.geo.country_iso_code} and {@code source.geo.country_name}; either may be null.
   */
  public DocumentBuilder sourceGeo(String countryIsoCode, String countryName) {
    this.sourceCountryIso = countryIsoCode;
    this.sourceCountryName = countryName;
    return this;
  }

  public DocumentBuilder destination(String ip, Integer port) {
    this.destinationIp = ip;
    this.destinationPort = port;
    relatedIp(ip);
    return this;
  }

  /** A {@code network.*} field: transport, bytes, packets, direction … */
  public DocumentBuilder network(String field, Object value) {
    if (value != null) {
      network.put(field, value);
    }
    return this;
  }

  public DocumentBuilder user(String name) {
    this.userName = name;
    relatedUser(name);
    return this;
  }

  public DocumentBuilder userAgent(String original) {
    this.userAgent = original;
    return this;
  }

  /**
   * {@code http.request.method}, {@code http.response.status_code} and {@code http.version}
   * (without the {@code HTTP/} prefix); null values are left out.
   */
  public DocumentBuilder http(String method, Integer statusCode, String version) {
    this.httpMethod = method;
    this.httpStatus = statusCode;
    this.httpVersion = version;
    return this;
  }

  /** A {@code url.*} field: original, scheme, domain, port, path, query. */
  public DocumentBuilder url(String field, Object value) {
    if (value != null) {
      url.put(field, value);
    }
    return this;
  }

  public DocumentBuilder relatedIp(String ip) {
    if (ip != null && !ip.isEmpty()) {
      relatedIps.add(ip);
    }
    return this;
  }

  public DocumentBuilder relatedUser(String user) {
    if (user != null && !user.isEmpty()) {
      relatedUsers.add(user);
    }
    return this;
  }

  /**
   * A sub-field of a free-form ({@code flat_object}) blob copied to {@code aws.request.<name>}, a
   * regular keyword field, so rules can group by it and dashboards aggregate it.
   */
  public DocumentBuilder promote(String name, String value) {
    return aws("request", name, value);
  }

  /**
   * A field Vigil derives for aggregation, written as {@code aws.<section>.<name>} (a regular
   * field, e.g. {@code aws.waf.webacl_name}, {@code aws.securityhub.control_id}): values rules
   * group by that sit in a free-form blob, inside an ARN, or under a name that differs between
   * record shapes. {@code value} is a string, number, boolean or a list of them; null is ignored.
   */
  public DocumentBuilder aws(String section, String name, Object value) {
    if (value != null) {
      awsFields.computeIfAbsent(section, s -> new LinkedHashMap<>()).put(name, value);
    }
    return this;
  }

  /**
   * Fields of the wrapper the records arrived in, written as {@code vigil.<name>.*} into every
   * document finished until it is replaced or removed ({@code fields} null): unlike everything else
   * it survives {@link #start()}, so a parser that hands an embedded payload to another type's
   * parser (CloudWatch Logs messages holding CloudTrail events) marks that parser's documents with
   * where they came from.
   */
  public DocumentBuilder envelope(String name, Map<String, ?> fields) {
    if (fields == null || fields.isEmpty()) {
      envelopes.remove(name);
    } else {
      envelopes.put(name, new LinkedHashMap<>(fields));
    }
    return this;
  }

  /**
   * True while an envelope is set (documents then carry more than the record and its ECS fields).
   */
  public boolean hasEnvelope() {
    return !envelopes.isEmpty();
  }

  /** Writes the ECS and Vigil fields, closes the document and returns its bytes. */
  public byte[] finish(LogType type, ObjectRef origin) throws IOException {
    if (timestamp != null) {
      json.writeFieldName(TIMESTAMP);
      json.writeString(timestampText != null ? timestampText : timestamp.toString());
    }
    if (!event.isEmpty()) {
      writeMap("event", event);
    }
    json.writeObjectFieldStart("cloud");
    json.writeStringField("provider", "aws");
    AccountDirectory.Account known = accounts == null ? null : accounts.find(enrichedAccount);
    if (accountId != null || known != null) {
      json.writeObjectFieldStart("account");
      if (accountId != null) {
        json.writeStringField("id", accountId);
      }
      if (known != null) {
        json.writeStringField("name", known.name());
      }
      json.writeEndObject();
    }
    if (region != null) {
      json.writeStringField("region", region);
    }
    json.writeEndObject();
    writeEndpoint("source", sourceIp, sourcePort, sourceCountryIso, sourceCountryName);
    writeEndpoint("destination", destinationIp, destinationPort, null, null);
    if (!network.isEmpty()) {
      writeMap("network", network);
    }
    if (userName != null) {
      json.writeObjectFieldStart("user");
      json.writeStringField("name", userName);
      json.writeEndObject();
    }
    if (userAgent != null) {
      json.writeObjectFieldStart("user_agent");
      json.writeStringField("original", userAgent);
      json.writeEndObject();
    }
    writeHttp();
    if (!url.isEmpty()) {
      writeMap("url", url);
    }
    if (!relatedIps.isEmpty() || !relatedUsers.isEmpty()) {
      json.writeObjectFieldStart("related");
      writeArray("ip", relatedIps);
      writeArray("user", relatedUsers);
      json.writeEndObject();
    }
    if (!awsFields.isEmpty()) {
      json.writeObjectFieldStart("aws");
      for (Map.Entry<String, Map<String, Object>> section : awsFields.entrySet()) {
        writeMap(section.getKey(), section.getValue());
      }
      json.writeEndObject();
    }
    json.writeObjectFieldStart("vigil");
    json.writeStringField("log_type", type.id());
    json.writeObjectFieldStart("s3");
    if (origin.bucket() != null) {
      json.writeStringField("bucket", origin.bucket());
    }
    json.writeStringField("key", origin.key());
    json.writeEndObject();
    for (Map.Entry<String, Map<String, ?>> envelope : envelopes.entrySet()) {
      writeMap(envelope.getKey(), envelope.getValue());
    }
    if (known != null) {
      json.writeObjectFieldStart("account");
      json.writeStringField("ou_path", known.ouPath());
      json.writeObjectFieldStart("tags");
      for (Map.Entry<String, String> tag : known.tags().entrySet()) {
        json.writeStringField(tag.getKey(), tag.getValue());
      }
      json.writeEndObject();
      json.writeEndObject();
    }
    writeRequesterAccount();
    json.writeEndObject();
    json.writeEndObject();
    json.flush();
    return buffer.toByteArray();
  }

  private void writeRequesterAccount() throws IOException {
    if (requesterAccount == null || accounts == null || accounts.size() == 0) {
      return;
    }
    AccountDirectory.Account requester = accounts.find(requesterAccount);
    json.writeObjectFieldStart("requester");
    json.writeObjectFieldStart("account");
    json.writeBooleanField("known", requester != null);
    if (requester != null) {
      json.writeStringField("name", requester.name());
    }
    if (accountId != null) {
      json.writeBooleanField("same_account", requesterAccount.equals(accountId));
    }
    json.writeEndObject();
    json.writeEndObject();
  }

  private void writeHttp() throws IOException {
    if (httpMethod == null && httpStatus == null && httpVersion == null) {
      return;
    }
    json.writeObjectFieldStart("http");
    if (httpMethod != null) {
      json.writeObjectFieldStart("request");
      json.writeStringField("method", httpMethod);
      json.writeEndObject();
    }
    if (httpStatus != null) {
      json.writeObjectFieldStart("response");
      json.writeNumberField("status_code", httpStatus);
      json.writeEndObject();
    }
    if (httpVersion != null) {
      json.writeStringField("version", httpVersion);
    }
    json.writeEndObject();
  }

  private void writeEndpoint(
      String name, String ip, Integer port, String countryIso, String countryName)
      throws IOException {
    GeoLocation located = geo != null && ip != null ? geo.locate(ip) : null;
    if (ip == null && port == null && countryIso == null && countryName == null) {
      return;
    }
    json.writeObjectFieldStart(name);
    if (ip != null) {
      json.writeStringField("ip", ip);
    }
    if (port != null) {
      json.writeNumberField("port", port);
    }
    if (located != null) {
      writeGeo(GeoFields.merge(located, countryIso, countryName));
    } else if (countryIso != null || countryName != null) {
      json.writeObjectFieldStart("geo");
      if (countryIso != null) {
        json.writeStringField("country_iso_code", countryIso);
      }
      if (countryName != null) {
        json.writeStringField("country_name", countryName);
      }
      json.writeEndObject();
    }
    json.writeEndObject();
  }

  private void writeGeo(GeoLocation g) throws IOException {
    json.writeFieldName("geo");
    // Pre-rendered once per cached location: cheaper than five fields and two doubles per document.
    json.writeRawValue(g.jsonValue());
  }

  private void writeArray(String name, Set<String> values) throws IOException {
    if (values.isEmpty()) {
      return;
    }
    json.writeArrayFieldStart(name);
    for (String value : values) {
      json.writeString(value);
    }
    json.writeEndArray();
  }

  private void writeMap(String name, Map<String, ?> values) throws IOException {
    json.writeObjectFieldStart(name);
    for (Map.Entry<String, ?> entry : values.entrySet()) {
      json.writeFieldName(entry.getKey());
      writeValue(entry.getValue());
    }
    json.writeEndObject();
  }

  private void writeValue(Object value) throws IOException {
    if (value instanceof String text) {
      json.writeString(text);
    } else if (value instanceof Long number) {
      json.writeNumber(number);
    } else if (value instanceof Integer number) {
      json.writeNumber(number);
    } else if (value instanceof Number number) {
      json.writeNumber(number.doubleValue());
    } else if (value instanceof Boolean flag) {
      json.writeBoolean(flag);
    } else if (value instanceof Iterable<?> items) {
      json.writeStartArray();
      for (Object item : items) {
        writeValue(item);
      }
      json.writeEndArray();
    } else {
      json.writeString(String.valueOf(value));
    }
  }
}

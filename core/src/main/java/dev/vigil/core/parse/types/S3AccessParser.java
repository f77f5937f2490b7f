package dev.vigil.core.parse.types;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.vigil.core.LogType;
import dev.vigil.core.parse.DocumentBuilder;
import dev.vigil.core.parse.KeyLayouts;
import dev.vigil.core.parse.LogParser;
import dev.vigil.core.parse.ParseContext;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * S3 server access logs as delivered to a bucket: one request per line, space-separated fields in
 * the documented order, {@code [time]} bracketed, Request-URI, Referer and User-Agent quoted. Lines
 * of the original 18-field format (up to {@code version_id}) and every later one are accepted;
 * fields AWS adds after the 27 known here are kept, in order, in {@code extra_fields}.
 *
 * <p>Field names are the documented ones in snake case ({@code bucket_owner}, {@code remote_ip},
 * {@code request_uri}, {@code http_status}, {@code turn_around_time}, {@code acl_required}, {@code
 * source_region} …). {@code time} is {@code @timestamp} and the user agent is {@code
 * user_agent.original} (not repeated); a field of {@code -} is left out. The account of an IAM or
 * STS requester ARN is {@code aws.s3access.requester_account_id} and is looked up in the
 * organization ({@link DocumentBuilder#requesterAccount}). Records are numbered by line; document
 * id: positional (a request id can repeat, e.g. one per key of a multi-object delete).
 */
public final class S3AccessParser implements LogParser {
  private static final int MIN_FIELDS = 18; // the original format ended with version_id
  private static final SerializedString EXTRA = new SerializedString("extra_fields");
  private static final List<String> WEB_ACCESS = List.of("access");
  private static final Pattern HOST_REGION =
      Pattern.compile(
          "(?:^|\\.)s3(?:-fips|-website|-accesspoint|-object-lambda)?(?:\\.dualstack)?[.-]"
              + "([a-z]{2}(?:-[a-z]+)+-\\d{1,2})\\.amazonaws\\.com(?:\\.cn)?$");

  private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");

  private enum Kind {
    TEXT,
    TIME,
    INT,
    LONG,
    REQUEST,
    USER_AGENT
  }

  private record Column(String name, Kind kind, char wrap, SerializedString json) {
    static Column of(String name, Kind kind) {
      return new Column(name, kind, ' ', new SerializedString(name));
    }

    /** A field S3 quotes, or writes as a bare {@code -}. */
    static Column quoted(String name, Kind kind) {
      return new Column(name, kind, '"', new SerializedString(name));
    }

    boolean wrappedAsDocumented(char actual, String value) {
      if (wrap == '"') {
        return actual == '"' || (actual == ' ' && "-".equals(value));
      }
      return actual == wrap;
    }
  }

  private static final Column[] COLUMNS = {
    Column.of("bucket_owner", Kind.TEXT),
    Column.of("bucket", Kind.TEXT),
    new Column("time", Kind.TIME, '[', new SerializedString("time")),
    Column.of("remote_ip", Kind.TEXT),
    Column.of("requester", Kind.TEXT),
    Column.of("request_id", Kind.TEXT),
    Column.of("operation", Kind.TEXT),
    Column.of("key", Kind.TEXT),
    Column.quoted("request_uri", Kind.REQUEST),
    Column.of("http_status", Kind.INT),
    Column.of("error_code", Kind.TEXT),
    Column.of("bytes_sent", Kind.LONG),
    Column.of("object_size", Kind.LONG),
    Column.of("total_time", Kind.LONG),
    Column.of("turn_around_time", Kind.LONG),
    Column.quoted("referer", Kind.TEXT),
    Column.quoted("user_agent", Kind.USER_AGENT),
    Column.of("version_id", Kind.TEXT),
    Column.of("host_id", Kind.TEXT),
    Column.of("signature_version", Kind.TEXT),
    Column.of("cipher_suite", Kind.TEXT),
    Column.of("authentication_type", Kind.TEXT),
    Column.of("host_header", Kind.TEXT),
    Column.of("tls_version", Kind.TEXT),
    Column.of("access_point_arn", Kind.TEXT),
    Column.of("acl_required", Kind.TEXT),
    Column.of("source_region", Kind.TEXT),
  };

  @Override
  public LogType type() {
    return LogType.S3ACCESS;
  }

  @Override
  public void parse(InputStream content, ParseContext context) throws IOException {
    String[] keyAccountRegion = accountAndRegion(context.origin().key());
    LineReader lines = new LineReader(content);
    FieldSplitter fields = new FieldSplitter(true, true);
    long[] numbers = new long[COLUMNS.length];
    while (lines.next()) {
      if (lines.tooLong()) {
        context.reject(
            lines.number(),
            lines.offset(),
            "line is longer than " + lines.maxLineBytes() + " bytes; not an access log record");
        continue;
      }
      if (lines.isBlank()) {
        continue;
      }
      String problem =
          line(lines.text(), fields, numbers, keyAccountRegion, lines.number(), context);
      if (problem != null) {
        context.reject(lines.number(), lines.offset(), problem);
      }
    }
  }

  /** Emits the line's document; returns why it cannot, or null. */
  private String line(
      String line,
      FieldSplitter fields,
      long[] numbers,
      String[] keyAccountRegion,
      long number,
      ParseContext context)
      throws IOException {
    int count = fields.split(line);
    if (count < 0) {
      return fields.error();
    }
    if (count < MIN_FIELDS) {
      return "expected at least "
          + MIN_FIELDS
          + " fields (the S3 server access log format), found "
          + count;
    }
    // Check and convert first, so that a bad line leaves no half-written document.
    int known = Math.min(count, COLUMNS.length);
    Instant time = null;
    for (int i = 0; i < known; i++) {
      Column column = COLUMNS[i];
      String value = fields.get(i);
      if (!column.wrappedAsDocumented(fields.wrap(i), value)) {
        return "field "
            + (i + 1)
            + " ("
            + column.name()
            + ") is not written as the documented format has it"
            + (column.kind() == Kind.TIME ? " ([time])" : "")
            + ": an unterminated or stray quote or bracket earlier in the line has shifted the"
            + " fields";
      }
      if ("-".equals(value)) {
        continue;
      }
      try {
        switch (column.kind()) {
          case TIME -> {
            time = Times.commonLog(value);
            if (time == null) {
              return "time '" + value + "' is not a valid [dd/MMM/yyyy:HH:mm:ss +zzzz] time";
            }
          }
          case INT -> numbers[i] = Integer.parseInt(value);
          case LONG -> numbers[i] = Long.parseLong(value);
          default -> {}
        }
      } catch (NumberFormatException e) {
        return "field " + column.name() + " is '" + value + "', not a number";
      }
    }
    if (time == null) {
      return "time is missing";
    }

    DocumentBuilder doc = context.builder();
    JsonGenerator out = doc.start();
    Integer status = null;
    String[] request = null;
    for (int i = 0; i < known; i++) {
      String value = fields.get(i);
      if ("-".equals(value) || value.isEmpty()) {
        continue;
      }
      Column column = COLUMNS[i];
      switch (column.kind()) {
        case TEXT -> {
          out.writeFieldName(column.json());
          out.writeString(value);
        }
        case INT, LONG -> {
          out.writeFieldName(column.json());
          out.writeNumber(numbers[i]);
          if (i == 9) {
            status = (int) numbers[i];
          }
        }
        case REQUEST -> {
          out.writeFieldName(column.json());
          out.writeString(value);
          request = HttpText.requestLine(value);
        }
        case USER_AGENT -> doc.userAgent(value);
        case TIME -> {}
      }
    }
    if (count > COLUMNS.length) {
      out.writeFieldName(EXTRA);
      out.writeStartArray();
      for (int i = COLUMNS.length; i < count; i++) {
        out.writeString(fields.get(i));
      }
      out.writeEndArray();
    }

    String requester = present(fields.get(4));
    String requesterAccount = requesterAccount(requester);
    doc.aws("s3access", "requester_account_id", requesterAccount)
        .requesterAccount(requesterAccount);
    doc.timestamp(time, null)
        .event("kind", "event")
        .event("category", "web")
        .event("type", WEB_ACCESS)
        .event("action", present(fields.get(6)))
        .event("outcome", HttpText.outcome(status))
        .event("id", present(fields.get(5)))
        .source(present(fields.get(3)), null)
        .user(userName(requester));
    doc.relatedUser(requester);
    if (request != null) {
      doc.http(request[0], status, HttpText.httpVersion(request[2]));
      HttpText.url(doc, request[1]);
    } else {
      doc.http(null, status, null);
    }
    String host = known > 22 ? present(fields.get(22)) : null;
    if (host != null) {
      doc.url("domain", host);
    }
    doc.account(keyAccountRegion[0]);
    doc.region(keyAccountRegion[1] != null ? keyAccountRegion[1] : regionOfHost(host));
    context.emit(
        LogType.S3ACCESS, context.ids().positional(LogType.S3ACCESS, context.origin(), number));
    return null;
  }

  /**
   * The requester's short name: the IAM user or role session name of an ARN, {@code root} for an
   * account root ARN, else the requester as written (a canonical user id).
   */
  static String userName(String requester) {
    if (requester == null) {
      return null;
    }
    if (requester.startsWith("arn:")) {
      if (requester.endsWith(":root")) {
        return "root";
      }
      int slash = requester.lastIndexOf('/');
      if (slash >= 0 && slash + 1 < requester.length()) {
        return requester.substring(slash + 1);
      }
    }
    return requester;
  }

  /**
   * The account of an IAM or STS requester ARN ({@code arn:aws:iam::111122223333:user/alice},
   * {@code arn:aws:sts::111122223333:assumed-role/…}, {@code …:root}); null for a canonical user id
   * (the log names no account then) and for an anonymous request ({@code -}).
   */
  static String requesterAccount(String requester) {
    if (requester == null || !requester.startsWith("arn:")) {
      return null;
    }
    // arn:<partition>:<service>:<region>:<account>:<resource>
    String[] parts = requester.split(":", 6);
    if (parts.length < 6
        || !(parts[2].equals("iam") || parts[2].equals("sts"))
        || !ACCOUNT_ID.matcher(parts[4]).matches()) {
      return null;
    }
    return parts[4];
  }

  /** Account and region of the source bucket from a date-partitioned log key; nulls otherwise. */
  static String[] accountAndRegion(String key) {
    String[] source = KeyLayouts.s3AccessSource(key);
    return source == null ? new String[2] : source;
  }

  static String regionOfHost(String host) {
    if (host == null) {
      return null;
    }
    Matcher m = HOST_REGION.matcher(host);
    return m.find() ? m.group(1) : null;
  }

  private static String present(String value) {
    return value == null || value.isEmpty() || "-".equals(value) ? null : value;
  }
}

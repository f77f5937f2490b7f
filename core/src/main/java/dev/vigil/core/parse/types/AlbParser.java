package dev.vigil.core.parse.types;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.vigil.core.LogType;
import dev.vigil.core.parse.DocumentBuilder;
import dev.vigil.core.parse.LogParser;
import dev.vigil.core.parse.ParseContext;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Application Load Balancer access logs: one request per line, space-separated fields in the
 * documented order, some of them quoted. Lines of the original 18-field format and every later one
 * are accepted; fields AWS adds after the ones known here are kept, in order, in {@code
 * extra_fields}. Classic Load Balancer lines (their time comes first; 15 fields) share the S3 key
 * layout and are read too, under the ALB names ({@code backend} becomes {@code target}).
 *
 * <p>Field names follow the AWS documentation (and Athena's table): {@code client:port} is split
 * into {@code client_ip}/{@code client_port}, {@code target:port} into {@code target_ip}/{@code
 * target_port}, {@code "request"} into {@code request_verb}/{@code request_url}/{@code
 * request_proto}, {@code target:port_list} is {@code target_port_list}; lists are arrays. {@code
 * time} is {@code @timestamp} and the user agent is {@code user_agent.original} (not repeated). A
 * field of {@code -} is left out. Records are numbered by line; document id: positional.
 */
public final class AlbParser implements LogParser {
  private static final Set<String> REQUEST_TYPES =
      Set.of("http", "https", "h2", "grpcs", "ws", "wss");
  private static final int MIN_ALB_FIELDS = 18; // the 2016 format ended with trace_id
  private static final SerializedString EXTRA = new SerializedString("extra_fields");
  private static final List<String> WEB_ACCESS = List.of("access");

  private enum Kind {
    TEXT,
    TIME,
    INT,
    LONG,
    DOUBLE,
    HOST_PORT,
    REQUEST,
    USER_AGENT,
    SPACE_LIST,
    COMMA_LIST
  }

  /** How the documentation says a field is written: quoted, bare, or (newest fields) either. */
  private enum Wrap {
    QUOTED,
    BARE,
    EITHER
  }

  private record Column(
      String name, Kind kind, Wrap wrap, SerializedString json, SerializedString port) {
    static Column of(String name, Kind kind) {
      return new Column(name, kind, Wrap.BARE, new SerializedString(name), null);
    }

    static Column quoted(String name, Kind kind) {
      return new Column(name, kind, Wrap.QUOTED, new SerializedString(name), null);
    }

    static Column either(String name, Kind kind) {
      return new Column(name, kind, Wrap.EITHER, new SerializedString(name), null);
    }

    static Column hostPort(String prefix) {
      return new Column(
          prefix,
          Kind.HOST_PORT,
          Wrap.BARE,
          new SerializedString(prefix + "_ip"),
          new SerializedString(prefix + "_port"));
    }

    boolean wrappedAsDocumented(char wrap) {
      return switch (this.wrap) {
        case QUOTED -> wrap == '"';
        case BARE -> wrap == ' ';
        case EITHER -> true;
      };
    }
  }

  private static final Column[] ALB = {
    Column.of("type", Kind.TEXT),
    Column.of("time", Kind.TIME),
    Column.of("elb", Kind.TEXT),
    Column.hostPort("client"),
    Column.hostPort("target"),
    Column.of("request_processing_time", Kind.DOUBLE),
    Column.of("target_processing_time", Kind.DOUBLE),
    Column.of("response_processing_time", Kind.DOUBLE),
    Column.of("elb_status_code", Kind.INT),
    Column.of("target_status_code", Kind.INT),
    Column.of("received_bytes", Kind.LONG),
    Column.of("sent_bytes", Kind.LONG),
    Column.quoted("request", Kind.REQUEST),
    Column.quoted("user_agent", Kind.USER_AGENT),
    Column.of("ssl_cipher", Kind.TEXT),
    Column.of("ssl_protocol", Kind.TEXT),
    Column.of("target_group_arn", Kind.TEXT),
    Column.quoted("trace_id", Kind.TEXT),
    Column.quoted("domain_name", Kind.TEXT),
    Column.quoted("chosen_cert_arn", Kind.TEXT),
    Column.of("matched_rule_priority", Kind.INT),
    Column.of("request_creation_time", Kind.TEXT),
    Column.quoted("actions_executed", Kind.COMMA_LIST),
    Column.quoted("redirect_url", Kind.TEXT),
    Column.quoted("error_reason", Kind.TEXT),
    Column.quoted("target_port_list", Kind.SPACE_LIST),
    Column.quoted("target_status_code_list", Kind.SPACE_LIST),
    Column.quoted("classification", Kind.TEXT),
    Column.quoted("classification_reason", Kind.TEXT),
    Column.either("conn_trace_id", Kind.TEXT),
    Column.either("transformed_host", Kind.TEXT),
    Column.either("transformed_uri", Kind.TEXT),
    Column.either("request_transform_status", Kind.TEXT),
  };

  /**
   * Connection logs
   * (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-connection-logs.html):
   * one TLS connection per line, in objects whose names start with {@code conn_log.}.
   */
  private static final Column[] CONNECTION = {
    Column.of("time", Kind.TIME),
    Column.of("client_ip", Kind.TEXT),
    Column.of("client_port", Kind.INT),
    Column.of("listener_port", Kind.INT),
    Column.of("tls_protocol", Kind.TEXT),
    Column.of("tls_cipher", Kind.TEXT),
    Column.of("tls_handshake_latency", Kind.DOUBLE),
    Column.either("leaf_client_cert_subject", Kind.TEXT),
    Column.either("leaf_client_cert_validity", Kind.TEXT),
    Column.either("leaf_client_cert_serial_number", Kind.TEXT),
    Column.either("tls_verify_status", Kind.TEXT),
    Column.either("conn_trace_id", Kind.TEXT),
  };

  private static final List<String> CONNECTION_TYPE = List.of("connection");

  private static final Column[] CLASSIC = {
    Column.of("time", Kind.TIME),
    Column.of("elb", Kind.TEXT),
    Column.hostPort("client"),
    Column.hostPort("target"), // backend:port
    Column.of("request_processing_time", Kind.DOUBLE),
    Column.of("target_processing_time", Kind.DOUBLE), // backend_processing_time
    Column.of("response_processing_time", Kind.DOUBLE),
    Column.of("elb_status_code", Kind.INT),
    Column.of("target_status_code", Kind.INT), // backend_status_code
    Column.of("received_bytes", Kind.LONG),
    Column.of("sent_bytes", Kind.LONG),
    Column.quoted("request", Kind.REQUEST),
    Column.quoted("user_agent", Kind.USER_AGENT),
    Column.of("ssl_cipher", Kind.TEXT),
    Column.of("ssl_protocol", Kind.TEXT),
  };

  @Override
  public LogType type() {
    return LogType.ALB;
  }

  @Override
  public void parse(InputStream content, ParseContext context) throws IOException {
    String key = context.origin().key();
    boolean connectionLog = key.substring(key.lastIndexOf('/') + 1).startsWith("conn_log.");
    KeyInfo keyInfo = KeyInfo.of(key);
    LineReader lines = new LineReader(content);
    FieldSplitter fields = new FieldSplitter(true, false);
    Scratch scratch = new Scratch();
    while (lines.next()) {
      if (lines.tooLong()) {
        context.reject(
            lines.number(),
            lines.offset(),
            "line is longer than " + lines.maxLineBytes() + " bytes; not an access log entry");
        continue;
      }
      if (lines.isBlank()) {
        continue;
      }
      String problem =
          line(lines.text(), fields, scratch, keyInfo, connectionLog, lines.number(), context);
      if (problem != null) {
        context.reject(lines.number(), lines.offset(), problem);
      }
    }
  }

  /** Emits the line's document; returns why it cannot, or null. */
  private String line(
      String line,
      FieldSplitter fields,
      Scratch scratch,
      KeyInfo keyInfo,
      boolean connectionLog,
      long number,
      ParseContext context)
      throws IOException {
    int count = fields.split(line);
    if (count < 0) {
      return fields.error();
    }
    String first = fields.get(0);
    Column[] columns;
    if (connectionLog) {
      columns = CONNECTION;
      if (count < CONNECTION.length) {
        return "expected at least "
            + CONNECTION.length
            + " fields (the ALB connection log format), found "
            + count;
      }
    } else if (REQUEST_TYPES.contains(first)) {
      columns = ALB;
      if (count < MIN_ALB_FIELDS) {
        return "expected at least "
            + MIN_ALB_FIELDS
            + " fields (the ALB access log format), found "
            + count;
      }
    } else if (Times.iso(first) != null) {
      columns = CLASSIC;
      if (count != CLASSIC.length) {
        return "expected "
            + CLASSIC.length
            + " fields (the Classic Load Balancer access log format), found "
            + count;
      }
    } else if (first.equals("tls") || first.equals("udp") || first.equals("tcp")) {
      return "a Network Load Balancer access log entry (type '"
          + first
          + "'); only Application and Classic Load Balancer access logs are supported";
    } else {
      return "unknown request type '"
          + first
          + "'; expected http, https, h2, grpcs, ws or wss (ALB) or a time (Classic Load Balancer)";
    }

    // Check and convert first, so that a bad line leaves no half-written document.
    int known = Math.min(count, columns.length);
    scratch.ensure(known);
    Instant time = null;
    String timeText = null;
    for (int i = 0; i < known; i++) {
      Column column = columns[i];
      String value = fields.get(i);
      if (!column.wrappedAsDocumented(fields.wrap(i))) {
        return "field "
            + (i + 1)
            + " ("
            + column.name()
            + ") is "
            + (fields.wrap(i) == '"' ? "quoted" : "not quoted")
            + ", unlike the documented format: an unterminated or stray quote earlier in the line"
            + " has shifted the fields";
      }
      scratch.present[i] = !value.isEmpty() && !"-".equals(value);
      if (!scratch.present[i]) {
        continue;
      }
      try {
        switch (column.kind()) {
          case TIME -> {
            time = Times.iso(value);
            if (time == null) {
              return "time '" + value + "' is not an ISO-8601 time";
            }
            timeText = Times.utcText(value);
          }
          case INT -> scratch.longs[i] = Integer.parseInt(value);
          case LONG -> scratch.longs[i] = Long.parseLong(value);
          case DOUBLE -> scratch.doubles[i] = Double.parseDouble(value);
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
    String clientIp = null;
    Integer clientPort = null;
    String targetIp = null;
    Integer status = null;
    String[] request = null;
    String userAgent = null;
    String arn = null;
    for (int i = 0; i < known; i++) {
      if (!scratch.present[i]) {
        continue;
      }
      Column column = columns[i];
      String value = fields.get(i);
      switch (column.kind()) {
        case TEXT -> {
          out.writeFieldName(column.json());
          out.writeString(value);
          if (column.name().equals("target_group_arn")) {
            arn = value;
          } else if (column.name().equals("client_ip")) {
            clientIp = value;
          }
        }
        case INT, LONG -> {
          out.writeFieldName(column.json());
          out.writeNumber(scratch.longs[i]);
          if (column.name().equals("elb_status_code")) {
            status = (int) scratch.longs[i];
          } else if (column.name().equals("client_port")) {
            clientPort = (int) scratch.longs[i];
          }
        }
        case DOUBLE -> {
          out.writeFieldName(column.json());
          out.writeNumber(scratch.doubles[i]);
        }
        case HOST_PORT -> {
          String[] hostPort = HttpText.hostPort(value);
          Integer port = HttpText.port(hostPort[1]);
          if (hostPort[0] != null && !hostPort[0].isEmpty()) {
            out.writeFieldName(column.json());
            out.writeString(hostPort[0]);
          }
          if (port != null) {
            out.writeFieldName(column.port());
            out.writeNumber(port);
          }
          if (column.name().equals("client")) {
            clientIp = hostPort[0];
            clientPort = port;
          } else {
            targetIp = hostPort[0];
          }
        }
        case REQUEST -> {
          request = HttpText.requestLine(value);
          writeIfPresent(out, "request_verb", request[0]);
          writeIfPresent(out, "request_url", request[1]);
          writeIfPresent(out, "request_proto", request[2]);
        }
        case USER_AGENT -> userAgent = value;
        case SPACE_LIST -> writeList(out, column.json(), value, ' ');
        case COMMA_LIST -> writeList(out, column.json(), value, ',');
        case TIME -> {}
      }
    }
    if (count > columns.length) {
      out.writeFieldName(EXTRA);
      out.writeStartArray();
      for (int i = columns.length; i < count; i++) {
        out.writeString(fields.get(i));
      }
      out.writeEndArray();
    }

    if (columns == CONNECTION) {
      String verify = scratch.present[10] ? fields.get(10) : null;
      doc.timestamp(time, timeText)
          .event("kind", "event")
          .event("category", "network")
          .event("type", CONNECTION_TYPE)
          .event(
              "outcome",
              verify == null
                  ? "unknown"
                  : verify.equals("Success")
                      ? "success"
                      : verify.startsWith("Failed") ? "failure" : "unknown")
          .source(clientIp, clientPort);
      doc.account(keyInfo.account());
      doc.region(keyInfo.region());
      context.emit(LogType.ALB, context.ids().positional(LogType.ALB, context.origin(), number));
      return null;
    }
    doc.timestamp(time, timeText)
        .event("kind", "event")
        .event("category", "web")
        .event("type", WEB_ACCESS)
        .event("outcome", HttpText.outcome(status))
        .source(clientIp, clientPort)
        .userAgent(userAgent);
    doc.relatedIp(targetIp);
    if (request != null) {
      doc.http(request[0], status, HttpText.httpVersion(request[2]));
      HttpText.url(doc, request[1]);
    } else {
      doc.http(null, status, null);
    }
    String[] arnParts = arn == null ? null : arn.split(":", 6);
    boolean arnOk = arnParts != null && arnParts.length == 6;
    doc.account(keyInfo.account() != null ? keyInfo.account() : arnOk ? arnParts[4] : null);
    doc.region(keyInfo.region() != null ? keyInfo.region() : arnOk ? arnParts[3] : null);
    context.emit(LogType.ALB, context.ids().positional(LogType.ALB, context.origin(), number));
    return null;
  }

  private static void writeIfPresent(JsonGenerator out, String name, String value)
      throws IOException {
    if (value != null) {
      out.writeStringField(name, value);
    }
  }

  private static void writeList(
      JsonGenerator out, SerializedString name, String value, char separator) throws IOException {
    out.writeFieldName(name);
    out.writeStartArray();
    int start = 0;
    while (start <= value.length()) {
      int end = value.indexOf(separator, start);
      if (end < 0) {
        end = value.length();
      }
      if (end > start) {
        out.writeString(value.substring(start, end));
      }
      start = end + 1;
    }
    out.writeEndArray();
  }

  /** Per-line scratch space, reused. */
  private static final class Scratch {
    boolean[] present = new boolean[40];
    long[] longs = new long[40];
    double[] doubles = new double[40];

    void ensure(int size) {
      if (present.length < size) {
        present = new boolean[size];
        longs = new long[size];
        doubles = new double[size];
      }
    }
  }
}

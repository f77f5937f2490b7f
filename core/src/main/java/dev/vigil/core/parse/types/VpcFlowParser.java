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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * VPC Flow Logs as delivered to S3 in plain text: a header line naming the fields (default or
 * custom format, any version), then one space-separated record per line. The header decides which
 * field is where; the default order is never assumed, except for an object without a header whose
 * first line is unmistakably the documented default (version 2) format.
 *
 * <p>Documents keep the AWS field names with {@code -} replaced by {@code _} ({@code account_id},
 * {@code log_status}, {@code pkt_srcaddr} …, the names OpenSearch Security Analytics' vpcflow log
 * type and Athena use), including names this parser does not know. {@code -} means "no value": the
 * field is left out. Numeric fields are written as numbers. {@code NODATA} and {@code SKIPDATA}
 * records become documents too, with the fields they have.
 *
 * <p>Records are numbered by line (the header is line 1). Document id: positional (bucket, key,
 * line number).
 */
public final class VpcFlowParser implements LogParser {
  /** The documented default format: the version 2 fields in this order. */
  static final List<String> DEFAULT_V2 =
      List.of(
          "version",
          "account-id",
          "interface-id",
          "srcaddr",
          "dstaddr",
          "srcport",
          "dstport",
          "protocol",
          "packets",
          "bytes",
          "start",
          "end",
          "action",
          "log-status");

  /** Every field of the AWS documentation's "available fields" table (versions 2 to 10). */
  static final Set<String> KNOWN_FIELDS =
      Set.of(
          // v2
          "version",
          "account-id",
          "interface-id",
          "srcaddr",
          "dstaddr",
          "srcport",
          "dstport",
          "protocol",
          "packets",
          "bytes",
          "start",
          "end",
          "action",
          "log-status",
          // v3
          "vpc-id",
          "subnet-id",
          "instance-id",
          "tcp-flags",
          "type",
          "pkt-srcaddr",
          "pkt-dstaddr",
          // v4
          "region",
          "az-id",
          "sublocation-type",
          "sublocation-id",
          // v5
          "pkt-src-aws-service",
          "pkt-dst-aws-service",
          "flow-direction",
          "traffic-path",
          // v7
          "ecs-cluster-arn",
          "ecs-cluster-name",
          "ecs-container-instance-arn",
          "ecs-container-instance-id",
          "ecs-container-id",
          "ecs-second-container-id",
          "ecs-service-name",
          "ecs-task-definition-arn",
          "ecs-task-arn",
          "ecs-task-id",
          // v8 and later
          "reject-reason",
          "resource-id",
          "encryption-status");

  /** Fields AWS documents as integers (INT_32/INT_64 in the Parquet format). */
  static final Set<String> NUMERIC_FIELDS =
      Set.of(
          "version",
          "srcport",
          "dstport",
          "protocol",
          "packets",
          "bytes",
          "start",
          "end",
          "tcp-flags",
          "traffic-path");

  private static final Map<Long, String> TRANSPORTS =
      Map.of(6L, "tcp", 17L, "udp", 1L, "icmp", 58L, "ipv6-icmp");
  private static final List<String> ALLOWED = List.of("connection", "allowed");
  private static final List<String> DENIED = List.of("connection", "denied");
  private static final Pattern HEADER_NAME = Pattern.compile("[a-z][a-z0-9-]*");

  @Override
  public LogType type() {
    return LogType.VPCFLOW;
  }

  @Override
  public void parse(InputStream content, ParseContext context) throws IOException {
    LineReader lines = new LineReader(content);
    FieldSplitter fields = new FieldSplitter(false, false);
    KeyInfo key = KeyInfo.of(context.origin().key());
    Format format = null;
    Values values = new Values();
    while (lines.next()) {
      if (lines.tooLong()) {
        context.reject(
            lines.number(),
            lines.offset(),
            "line is longer than " + lines.maxLineBytes() + " bytes; not a flow log record");
        continue;
      }
      if (lines.isBlank()) {
        continue;
      }
      String line = lines.text();
      int count = fields.split(line);
      Format header = Format.fromHeader(fields, format == null);
      if (header != null) {
        format = header; // the first line, or a new header where objects were concatenated
        continue;
      }
      if (format == null) {
        if (count == DEFAULT_V2.size() && looksLikeDefaultV2(fields)) {
          // No header, but the line is the documented default (version 2) format in its fixed
          // order: the only case where the field order may be assumed.
          format = Format.DEFAULT;
        } else {
          context.reject(
              lines.number(),
              lines.offset(),
              "no header line: the first line is neither a header naming the fields nor a record"
                  + " of the default version 2 format (it has "
                  + count
                  + " fields); a custom-format flow log cannot be read without its header");
          return;
        }
      }
      record(format, fields, count, values, key, lines, context);
    }
  }

  private void record(
      Format format,
      FieldSplitter fields,
      int count,
      Values values,
      KeyInfo key,
      LineReader lines,
      ParseContext context)
      throws IOException {
    long line = lines.number();
    if (count != format.size()) {
      context.reject(
          line,
          lines.offset(),
          "expected " + format.size() + " fields (" + format.origin + "), found " + count);
      return;
    }
    // Check and convert everything before writing, so a bad record leaves nothing behind.
    values.ensure(count);
    for (int i = 0; i < count; i++) {
      String value = fields.get(i);
      values.present[i] = !"-".equals(value);
      if (values.present[i] && format.numeric[i]) {
        try {
          values.numbers[i] = Long.parseLong(value);
        } catch (NumberFormatException e) {
          context.reject(
              line,
              lines.offset(),
              "field " + format.names[i] + " is '" + value + "', not a number");
          return;
        }
      }
    }
    Instant time;
    int timeField =
        format.start >= 0 && values.present[format.start]
            ? format.start
            : format.end >= 0 && values.present[format.end] ? format.end : -1;
    if (timeField >= 0) {
      time = Times.epochSeconds(values.numbers[timeField]);
      if (time == null) {
        context.reject(
            line,
            lines.offset(),
            "field "
                + format.names[timeField]
                + " is "
                + values.numbers[timeField]
                + ", not a Unix time in seconds");
        return;
      }
    } else {
      time = key.time();
    }
    if (time == null) {
      context.reject(
          line,
          lines.offset(),
          "no event time: the record has no start or end, and the object key carries no date");
      return;
    }

    DocumentBuilder doc = context.builder();
    JsonGenerator out = doc.start();
    for (int i = 0; i < count; i++) {
      if (!values.present[i]) {
        continue;
      }
      out.writeFieldName(format.documentNames[i]);
      if (format.numeric[i]) {
        out.writeNumber(values.numbers[i]);
      } else {
        out.writeString(fields.get(i));
      }
    }

    doc.timestamp(time, null).event("kind", "event").event("category", "network");
    String action = text(format.action, fields, values);
    if ("ACCEPT".equals(action)) {
      doc.event("type", ALLOWED).event("action", "allowed").event("outcome", "success");
    } else if ("REJECT".equals(action)) {
      doc.event("type", DENIED).event("action", "denied").event("outcome", "failure");
    }
    String account = text(format.account, fields, values);
    doc.account(account != null && !"unknown".equals(account) ? account : key.account());
    String region = text(format.region, fields, values);
    doc.region(region != null ? region : key.region());
    doc.source(text(format.srcaddr, fields, values), port(format.srcport, values));
    doc.destination(text(format.dstaddr, fields, values), port(format.dstport, values));
    doc.relatedIp(text(format.pktSrcaddr, fields, values));
    doc.relatedIp(text(format.pktDstaddr, fields, values));
    if (format.protocol >= 0 && values.present[format.protocol]) {
      long protocol = values.numbers[format.protocol];
      doc.network("transport", TRANSPORTS.getOrDefault(protocol, Long.toString(protocol)));
      doc.network("iana_number", Long.toString(protocol));
    }
    if (format.bytes >= 0 && values.present[format.bytes]) {
      doc.network("bytes", values.numbers[format.bytes]);
    }
    if (format.packets >= 0 && values.present[format.packets]) {
      doc.network("packets", values.numbers[format.packets]);
    }
    String ipType = text(format.type, fields, values);
    if ("IPv4".equals(ipType) || "IPv6".equals(ipType)) {
      doc.network("type", ipType.equals("IPv4") ? "ipv4" : "ipv6");
    }
    doc.network("direction", text(format.flowDirection, fields, values));
    context.emit(
        LogType.VPCFLOW, context.ids().positional(LogType.VPCFLOW, context.origin(), line));
  }

  private static String text(int index, FieldSplitter fields, Values values) {
    return index >= 0 && values.present[index] ? fields.get(index) : null;
  }

  private static Integer port(int index, Values values) {
    if (index < 0 || !values.present[index]) {
      return null;
    }
    long port = values.numbers[index];
    return port >= 0 && port <= 65_535 ? (int) port : null;
  }

  /**
   * True when {@code line} is a flow log header line (every field a field name, one at least a
   * documented one) or a record of the default format; for content detection.
   */
  public static boolean looksLikeFlowLog(String line) {
    FieldSplitter fields = new FieldSplitter(false, false);
    int count = fields.split(line);
    return Format.fromHeader(fields, true) != null
        || (count == DEFAULT_V2.size() && looksLikeDefaultV2(fields));
  }

  /**
   * True when a header-less line is a record of the default format: version 2, a 12-digit account
   * (or {@code unknown}), numeric times, and an action and log status of the documented values.
   */
  static boolean looksLikeDefaultV2(FieldSplitter fields) {
    return "2".equals(fields.get(0))
        && (fields.get(1).matches("\\d{12}") || "unknown".equals(fields.get(1)))
        && (fields.get(2).startsWith("eni-") || "-".equals(fields.get(2)))
        && fields.get(10).matches("\\d+")
        && fields.get(11).matches("\\d+")
        && Set.of("ACCEPT", "REJECT", "-").contains(fields.get(12))
        && Set.of("OK", "NODATA", "SKIPDATA").contains(fields.get(13));
  }

  /** Per-record scratch space, reused. */
  private static final class Values {
    boolean[] present = new boolean[64];
    long[] numbers = new long[64];

    void ensure(int size) {
      if (present.length < size) {
        present = new boolean[size];
        numbers = new long[size];
      }
    }
  }

  /** The field layout of an object, from its header line. */
  static final class Format {
    static final Format DEFAULT =
        new Format(DEFAULT_V2.toArray(String[]::new), "the default version 2 format");

    final String[] names;
    final SerializedString[] documentNames;
    final boolean[] numeric;
    final String origin;
    final int start;
    final int end;
    final int action;
    final int account;
    final int region;
    final int srcaddr;
    final int dstaddr;
    final int srcport;
    final int dstport;
    final int pktSrcaddr;
    final int pktDstaddr;
    final int protocol;
    final int bytes;
    final int packets;
    final int type;
    final int flowDirection;

    Format(String[] names, String origin) {
      this.names = names;
      this.origin = origin;
      documentNames = new SerializedString[names.length];
      numeric = new boolean[names.length];
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < names.length; i++) {
        String name = documentName(names[i]);
        if (!seen.add(name)) {
          name = name + "_" + (i + 1); // a repeated header name must not repeat a JSON key
        }
        documentNames[i] = new SerializedString(name);
        numeric[i] = NUMERIC_FIELDS.contains(names[i]);
      }
      List<String> list = List.of(names);
      start = list.indexOf("start");
      end = list.indexOf("end");
      action = list.indexOf("action");
      account = list.indexOf("account-id");
      region = list.indexOf("region");
      srcaddr = list.indexOf("srcaddr");
      dstaddr = list.indexOf("dstaddr");
      srcport = list.indexOf("srcport");
      dstport = list.indexOf("dstport");
      pktSrcaddr = list.indexOf("pkt-srcaddr");
      pktDstaddr = list.indexOf("pkt-dstaddr");
      protocol = list.indexOf("protocol");
      bytes = list.indexOf("bytes");
      packets = list.indexOf("packets");
      type = list.indexOf("type");
      flowDirection = list.indexOf("flow-direction");
    }

    int size() {
      return names.length;
    }

    /**
     * The format a header line defines, or null if the line is not a header. The first line is a
     * header when every field looks like a field name and at least one is a known one; later lines
     * only when every field is a known name (a record never consists of field names).
     */
    static Format fromHeader(FieldSplitter fields, boolean firstLine) {
      int count = fields.count();
      if (count == 0) {
        return null;
      }
      boolean anyKnown = false;
      for (int i = 0; i < count; i++) {
        String name = fields.get(i);
        boolean known = KNOWN_FIELDS.contains(name);
        if (!known && (!firstLine || !HEADER_NAME.matcher(name).matches())) {
          return null;
        }
        anyKnown |= known;
      }
      if (!anyKnown) {
        return null;
      }
      String[] names = new String[count];
      for (int i = 0; i < count; i++) {
        names[i] = fields.get(i);
      }
      return new Format(names, "as named by the header line");
    }

    /** AWS's name with {@code -} as {@code _}, renamed if Vigil writes that top-level name. */
    static String documentName(String awsName) {
      String name = awsName.replace('-', '_');
      return DocumentBuilder.RESERVED.contains(name) ? "original_" + name : name;
    }
  }
}

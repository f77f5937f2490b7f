package dev.vigil.core.parse.types;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.vigil.core.LogType;
import dev.vigil.core.parse.DocumentBuilder;
import dev.vigil.core.parse.JsonCopy;
import dev.vigil.core.parse.LogParser;
import dev.vigil.core.parse.ParseContext;
import dev.vigil.core.parse.RecordCounter;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Route 53 Resolver query logs: one JSON object per line, as Resolver delivers them to S3 ({@code
 * version, account_id, region, vpc_id, query_timestamp, query_name, query_type, query_class, rcode,
 * answers[], srcaddr, srcport, transport, srcids{…}, firewall_rule_*}). Each line is parsed on its
 * own, so a damaged line is rejected and the next one is read. An object that is not one-per-line
 * (its first line is a lone <code>{</code>, or it is an array of records) is read as a stream of
 * JSON values instead; there a syntax error ends the object, as in the CloudTrail parser.
 *
 * <p>Every field is copied as written (AWS's names; {@code srcport} stays the string AWS writes and
 * is mapped as a number). ECS: {@code @timestamp} from {@code query_timestamp}, {@code
 * source.ip/port}, {@code cloud.account.id/region}, {@code network.transport} ({@code udp/tcp}),
 * {@code network.protocol=dns}, {@code related.ip} with the source and every A/AAAA answer. Records
 * are numbered by line (by position in the stream form); document id: positional.
 */
public final class Route53ResolverParser implements LogParser {
  private static final Set<String> CAPTURED =
      Set.of(
          "query_timestamp",
          "account_id",
          "region",
          "srcaddr",
          "srcport",
          "transport",
          "firewall_rule_action");
  private static final Set<String> ANSWER_FIELDS = Set.of("Rdata", "Type");
  private static final List<String> PROTOCOL = List.of("protocol");
  private static final List<String> PROTOCOL_DENIED = List.of("protocol", "denied");
  private static final List<String> PROTOCOL_ALLOWED = List.of("protocol", "allowed");

  @Override
  public LogType type() {
    return LogType.ROUTE53RESOLVER;
  }

  @Override
  public void parse(InputStream content, ParseContext context) throws IOException {
    LineReader lines = new LineReader(content);
    boolean first = true;
    while (lines.next()) {
      if (lines.tooLong()) {
        context.reject(
            lines.number(),
            lines.offset(),
            "line is longer than " + lines.maxLineBytes() + " bytes; not a query log record");
        continue;
      }
      if (lines.isBlank()) {
        continue;
      }
      if (first) {
        first = false;
        String start = lines.text().strip();
        // Pretty-printed, an array, or records concatenated with no delimiter (a Firehose stream
        // without a newline delimiter): read as a stream of values, records numbered in order.
        if (start.equals("{") || start.startsWith("[") || severalValues(lines)) {
          stream(lines.fromCurrentLine(), lines.offset(), context);
          return;
        }
      }
      line(lines, context);
    }
  }

  /** True when the line holds a JSON object followed by another value. */
  private static boolean severalValues(LineReader lines) throws IOException {
    try (JsonParser in =
        ParseContext.JSON.createParser(lines.buffer(), lines.start(), lines.length())) {
      if (in.nextToken() != JsonToken.START_OBJECT) {
        return false;
      }
      in.skipChildren();
      return in.nextToken() != null;
    } catch (JsonProcessingException e) {
      return false; // malformed: the line is rejected as such
    }
  }

  private void line(LineReader lines, ParseContext context) throws IOException {
    long number = lines.number();
    try (JsonParser in =
        ParseContext.JSON.createParser(lines.buffer(), lines.start(), lines.length())) {
      JsonToken token = in.nextToken();
      if (token != JsonToken.START_OBJECT) {
        context.reject(number, lines.offset(), "expected a JSON object, found " + token);
        return;
      }
      Captured captured = copy(in, context.builder());
      if (in.nextToken() != null) {
        context.reject(number, lines.offset(), "more than one JSON value on the line");
        return;
      }
      String problem = finish(captured, number, context);
      if (problem != null) {
        context.reject(number, lines.offset(), problem);
      }
    } catch (JsonProcessingException e) {
      context.reject(number, lines.offset(), "malformed JSON: " + e.getOriginalMessage());
    }
  }

  private void stream(InputStream content, long baseOffset, ParseContext context)
      throws IOException {
    RecordCounter record = new RecordCounter();
    try (JsonParser in = ParseContext.JSON.createParser(content)) {
      try {
        JsonToken token;
        while ((token = in.nextToken()) != null) {
          if (token == JsonToken.START_ARRAY) {
            while ((token = in.nextToken()) == JsonToken.START_OBJECT) {
              streamRecord(in, record, baseOffset, context);
            }
            JsonCopy.expect(in, token, JsonToken.END_ARRAY);
          } else if (token == JsonToken.START_OBJECT) {
            streamRecord(in, record, baseOffset, context);
          } else {
            context.reject(
                record.next(),
                baseOffset + offset(in),
                "expected a JSON object or array, found " + token);
            return;
          }
        }
      } catch (JsonProcessingException e) {
        context.reject(
            record.inProgress(),
            baseOffset + offset(in),
            "malformed JSON: " + e.getOriginalMessage());
      }
    }
  }

  private void streamRecord(
      JsonParser in, RecordCounter record, long baseOffset, ParseContext context)
      throws IOException {
    long number = record.next();
    long offset = baseOffset + offset(in);
    String problem = finish(copy(in, context.builder()), number, context);
    record.done();
    if (problem != null) {
      context.reject(number, offset, problem);
    }
  }

  /** Copies the object the parser is on (START_OBJECT) into a new document. */
  private static Captured copy(JsonParser in, DocumentBuilder doc) throws IOException {
    JsonGenerator out = doc.start();
    Captured captured = new Captured();
    JsonToken token;
    while ((token = in.nextToken()) == JsonToken.FIELD_NAME) {
      String name = in.currentName();
      JsonToken value = in.nextToken();
      if (name.equals("answers") && value == JsonToken.START_ARRAY) {
        doc.fieldName(name);
        answers(in, out, captured);
      } else {
        if (value.isScalarValue() && CAPTURED.contains(name)) {
          captured.values.put(name, JsonCopy.scalarText(in));
        }
        doc.copyField(name, in);
      }
    }
    JsonCopy.expect(in, token, JsonToken.END_OBJECT);
    return captured;
  }

  /** Copies {@code answers[]}, remembering the addresses of A and AAAA answers. */
  private static void answers(JsonParser in, JsonGenerator out, Captured captured)
      throws IOException {
    out.writeStartArray();
    Map<String, String> answer = new HashMap<>(4);
    JsonToken token;
    while ((token = in.nextToken()) != JsonToken.END_ARRAY) {
      if (token == JsonToken.START_OBJECT) {
        answer.clear();
        JsonCopy.copyObjectCapturing(in, out, ANSWER_FIELDS, answer);
        String type = answer.get("Type");
        if ("A".equals(type) || "AAAA".equals(type)) {
          captured.answerIps.add(answer.get("Rdata"));
        }
      } else {
        out.copyCurrentStructure(in);
      }
    }
    out.writeEndArray();
  }

  /** Sets the ECS fields and emits; returns why the record cannot be a document, or null. */
  private static String finish(Captured captured, long number, ParseContext context)
      throws IOException {
    String timestamp = captured.values.get("query_timestamp");
    if (timestamp == null) {
      return "query_timestamp is missing";
    }
    Instant time = Times.iso(timestamp);
    if (time == null) {
      return "query_timestamp '" + timestamp + "' is not an ISO-8601 time";
    }
    DocumentBuilder doc = context.builder();
    String action = captured.values.get("firewall_rule_action");
    doc.timestamp(time, Times.utcText(timestamp))
        .event("kind", "event")
        .event("category", "network")
        .event(
            "type",
            action == null
                ? PROTOCOL
                : action.equalsIgnoreCase("BLOCK") ? PROTOCOL_DENIED : PROTOCOL_ALLOWED)
        .account(captured.values.get("account_id"))
        .region(captured.values.get("region"))
        .source(captured.values.get("srcaddr"), HttpText.port(captured.values.get("srcport")))
        .network("protocol", "dns");
    String transport = captured.values.get("transport");
    if (transport != null) {
      doc.network("transport", transport.toLowerCase(Locale.ROOT));
    }
    captured.answerIps.forEach(doc::relatedIp);
    context.emit(
        LogType.ROUTE53RESOLVER,
        context.ids().positional(LogType.ROUTE53RESOLVER, context.origin(), number));
    return null;
  }

  private static long offset(JsonParser in) {
    return in.currentTokenLocation().getByteOffset();
  }

  private static final class Captured {
    final Map<String, String> values = new HashMap<>(16);
    final List<String> answerIps = new ArrayList<>(2);
  }
}

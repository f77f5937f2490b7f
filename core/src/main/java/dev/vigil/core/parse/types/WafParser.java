package dev.vigil.core.parse.types;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.vigil.core.LogType;
import dev.vigil.core.parse.DocumentBuilder;
import dev.vigil.core.parse.JsonCopy;
import dev.vigil.core.parse.JsonRecordReader;
import dev.vigil.core.parse.LogParser;
import dev.vigil.core.parse.ParseContext;
import dev.vigil.core.parse.RecordCounter;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * AWS WAF (v2) logs as Firehose or S3 delivers them: one JSON record per line, also several records
 * concatenated without a newline, or a JSON array of records. Each record is copied token by token;
 * the ECS fields are picked out on the way. A malformed line is rejected and reading resumes at the
 * next line. Document id: {@code httpRequest.requestId}, else the record's position.
 */
public final class WafParser implements LogParser {
  private static final Set<String> HEADER_FIELDS = Set.of("name", "value");

  @Override
  public LogType type() {
    return LogType.WAF;
  }

  @Override
  public void parse(InputStream content, ParseContext context) throws IOException {
    RecordCounter record = new RecordCounter();
    try (JsonRecordReader reader = new JsonRecordReader(content)) {
      while (true) {
        try {
          JsonToken token = reader.nextRoot();
          if (token == null) {
            return;
          }
          if (token == JsonToken.START_ARRAY) {
            array(reader, context, record);
          } else {
            value(reader, token, context, record);
          }
        } catch (JsonProcessingException e) {
          long line = reader.rootLine();
          long offset = reader.rootOffset();
          long resumed = reader.recover();
          context.reject(record.failed(), offset, Support.malformed(line, e, resumed));
        }
      }
    }
  }

  private void array(JsonRecordReader reader, ParseContext context, RecordCounter record)
      throws IOException {
    JsonToken token;
    while ((token = reader.parser().nextToken()) != JsonToken.END_ARRAY) {
      value(reader, token, context, record);
    }
  }

  private void value(
      JsonRecordReader reader, JsonToken token, ParseContext context, RecordCounter record)
      throws IOException {
    long number = record.next();
    if (token == JsonToken.START_OBJECT) {
      record(reader, context, number);
    } else {
      long offset = reader.offset();
      reader.parser().skipChildren();
      context.reject(
          number,
          offset,
          "expected a WAF log record (a JSON object) but found " + Support.describe(token));
    }
    record.done();
  }

  /** Copies one record; the parser stands on its START_OBJECT. */
  private void record(JsonRecordReader reader, ParseContext context, long record)
      throws IOException {
    JsonParser in = reader.parser();
    long start = reader.offset();
    DocumentBuilder doc = context.builder();
    JsonGenerator out = doc.start();
    String timestamp = null;
    JsonToken timestampToken = null;
    String webaclId = null;
    String action = null;
    String terminatingRuleId = null;
    HttpRequest http = new HttpRequest();
    for (JsonToken token = in.nextToken(); token == JsonToken.FIELD_NAME; token = in.nextToken()) {
      String name = in.currentName();
      JsonToken value = in.nextToken();
      if ("httpRequest".equals(name) && value == JsonToken.START_OBJECT) {
        doc.fieldName(name);
        http.copy(in, out);
        continue;
      }
      String text = JsonCopy.scalarText(in);
      switch (name) {
        case "timestamp" -> {
          timestamp = text;
          timestampToken = value;
        }
        case "webaclId" -> webaclId = text;
        case "action" -> action = text;
        case "terminatingRuleId" -> terminatingRuleId = text;
        default -> {}
      }
      if (!"timestamp".equals(name) || value != JsonToken.VALUE_STRING) {
        doc.copyField(name, in);
      }
    }
    Instant time = Support.epochMillis(timestamp);
    if (time != null && timestampToken == JsonToken.VALUE_STRING) {
      // Re-exported as text: written back in the one form the mapping knows, epoch milliseconds.
      out.writeNumberField("timestamp", time.toEpochMilli());
    }
    if (time == null) {
      context.reject(
          record,
          start,
          timestampToken == null
              ? "timestamp is missing"
              : "timestamp must be epoch milliseconds or an ISO-8601 time, found "
                  + Support.describe(timestampToken)
                  + (timestamp != null ? " '" + timestamp + "'" : ""));
      return;
    }
    doc.timestamp(time, null)
        .event("kind", "event")
        .event("category", "web")
        .event("type", eventType(action))
        .event("action", action)
        .event("outcome", outcome(action))
        .event("id", http.requestId)
        .userAgent(http.userAgent);
    if (JsonCopy.looksLikeIp(http.clientIp)) {
      doc.source(http.clientIp, null);
    }
    if (http.country != null && http.country.length() == 2) {
      doc.sourceGeo(http.country, null);
    }
    webacl(doc, webaclId);
    doc.aws("waf", "terminating_rule_id", terminatingRuleId).aws("waf", "action", action);
    context.emit(
        LogType.WAF,
        http.requestId != null && !http.requestId.isEmpty()
            ? http.requestId
            : context.ids().positional(LogType.WAF, context.origin(), record));
  }

  /**
   * Account, region, scope and name of the web ACL from its ARN, e.g. {@code
   * arn:aws:wafv2:us-east-1:123456789012:global/webacl/my-acl/1234-…}.
   */
  static void webacl(DocumentBuilder doc, String webaclId) {
    Arn arn = Arn.parse(webaclId);
    if (arn == null) {
      return;
    }
    doc.account(arn.accountOrNull()).region(arn.regionOrNull());
    String[] path = arn.resource().split("/");
    for (int i = 0; i < path.length - 1; i++) {
      if (path[i].equals("webacl")) {
        doc.aws("waf", "webacl_name", path[i + 1]);
        if (i > 0) {
          doc.aws("waf", "webacl_scope", path[i - 1]);
        }
        break;
      }
    }
  }

  /** ECS event.type: what the web ACL did with the request. */
  static List<String> eventType(String action) {
    if (action == null) {
      return List.of("access");
    }
    return switch (action.toUpperCase(Locale.ROOT)) {
      case "ALLOW", "COUNT" -> List.of("access", "allowed");
      case "BLOCK" -> List.of("access", "denied");
      default -> List.of("access");
    };
  }

  /**
   * ECS event.outcome: success when the request went through, failure when WAF blocked it, unknown
   * for CAPTCHA and CHALLENGE (the client was asked to prove itself; whether it did is not here).
   */
  static String outcome(String action) {
    if (action == null) {
      return null;
    }
    return switch (action.toUpperCase(Locale.ROOT)) {
      case "ALLOW", "COUNT" -> "success";
      case "BLOCK" -> "failure";
      default -> "unknown";
    };
  }

  /** Copies {@code httpRequest}, noting the values the ECS fields need. */
  private static final class HttpRequest {
    String clientIp;
    String country;
    String requestId;
    String userAgent;
    private final Map<String, String> header = new HashMap<>(4);

    void copy(JsonParser in, JsonGenerator out) throws IOException {
      out.writeStartObject();
      JsonToken token;
      while ((token = in.nextToken()) == JsonToken.FIELD_NAME) {
        String name = in.currentName();
        JsonToken value = in.nextToken();
        out.writeFieldName(name);
        if ("headers".equals(name) && value == JsonToken.START_ARRAY) {
          headers(in, out);
          continue;
        }
        String text = JsonCopy.scalarText(in);
        switch (name) {
          case "clientIp" -> clientIp = text;
          case "country" -> country = text;
          case "requestId" -> requestId = text;
          default -> {}
        }
        out.copyCurrentStructure(in);
      }
      JsonCopy.expect(in, token, JsonToken.END_OBJECT);
      out.writeEndObject();
    }

    private void headers(JsonParser in, JsonGenerator out) throws IOException {
      out.writeStartArray();
      JsonToken token;
      while ((token = in.nextToken()) != JsonToken.END_ARRAY) {
        if (token != JsonToken.START_OBJECT) {
          out.copyCurrentStructure(in);
          continue;
        }
        header.clear();
        JsonCopy.copyObjectCapturing(in, out, HEADER_FIELDS, header);
        if (userAgent == null && "user-agent".equalsIgnoreCase(header.get("name"))) {
          userAgent = header.get("value");
        }
      }
      out.writeEndArray();
    }
  }
}

package dev.vigil.core.parse.types;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.vigil.core.LogType;
import dev.vigil.core.parse.DocumentBuilder;
import dev.vigil.core.parse.JsonCopy;
import dev.vigil.core.parse.LogParser;
import dev.vigil.core.parse.ParseContext;
import dev.vigil.core.parse.RecordCounter;
import dev.vigil.core.parse.RetainingInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * CloudTrail: the S3 object layout {@code {"Records":[…]}}, a bare array of events, or
 * newline-delimited events (several roots in one stream). Digest files are recognised and skipped.
 * Document id: the event's {@code eventID}.
 *
 * <p>Speed comes from not re-serializing events: the parser walks each event's tokens only to pick
 * out the fields the ECS mapping needs, and the document is the event's own bytes with the ECS
 * fields appended. Only an event with a top-level name Vigil writes itself (a shipper's
 * {@code @timestamp}) takes the slower copy that renames it.
 */
public final class CloudTrailParser implements LogParser {
  private static final Set<String> DIGEST_FIELDS =
      Set.of(
          "digestStartTime",
          "digestEndTime",
          "digestS3Bucket",
          "digestS3Object",
          "previousDigestSignature");
  private static final Set<String> IDENTITY_FIELDS =
      Set.of("type", "arn", "userName", "accountId", "invokedBy");

  /**
   * requestParameters sub-fields rules group by and dashboards aggregate; see {@link
   * DocumentBuilder#promote}.
   */
  static final Set<String> PROMOTED_REQUEST_FIELDS =
      Set.of(
          "bucketName",
          "instanceType",
          "roleName",
          "userName",
          "groupName",
          "policyArn",
          "policyName",
          "keyId",
          "functionName",
          "secretId",
          "name",
          "logGroupName",
          "detectorId",
          "ruleName",
          "trailName",
          "roleArn");

  @Override
  public LogType type() {
    return LogType.CLOUDTRAIL;
  }

  @Override
  public void parse(InputStream content, ParseContext context) throws IOException {
    if (context.origin().key().contains("CloudTrail-Digest")) {
      context.skip("CloudTrail digest file");
      return;
    }
    RetainingInputStream raw = new RetainingInputStream(content);
    RecordCounter record = new RecordCounter();
    Event event = new Event();
    try (JsonParser in = ParseContext.JSON.createParser(raw)) {
      Run run = new Run(in, raw, context, record, event);
      try {
        JsonToken token;
        while ((token = in.nextToken()) != null) {
          if (token == JsonToken.START_ARRAY) {
            run.events();
          } else if (token == JsonToken.START_OBJECT) {
            run.rootObject();
          } else {
            context.reject(
                record.next(), offset(in), "expected a JSON object or array, found " + token);
            return;
          }
        }
      } catch (JsonProcessingException e) {
        // Malformed JSON cannot be resynchronised: keep what came before, report where it broke.
        context.reject(
            record.inProgress(), offset(in), "malformed JSON: " + e.getOriginalMessage());
      }
    }
  }

  /** One object's parse: the parser, its retained bytes and the reusable per-event state. */
  private record Run(
      JsonParser in,
      RetainingInputStream raw,
      ParseContext context,
      RecordCounter record,
      Event event) {

    void rootObject() throws IOException {
      long opening = offset(in);
      JsonToken token = in.nextToken();
      if (token == JsonToken.END_OBJECT) {
        return;
      }
      String first = in.currentName();
      if ("Records".equals(first)) {
        JsonCopy.expect(in, in.nextToken(), JsonToken.START_ARRAY);
        events();
        skipRestOfObject(in);
        return;
      }
      if (DIGEST_FIELDS.contains(first) || "awsAccountId".equals(first)) {
        in.nextToken();
        in.skipChildren();
        skipRestOfObject(in);
        context.skip("CloudTrail digest file");
        return;
      }
      // One event per root (newline-delimited JSON): the parser already stands on its first field.
      event(opening, record.next());
      record.done();
    }

    void events() throws IOException {
      JsonToken token;
      while ((token = in.nextToken()) == JsonToken.START_OBJECT) {
        long opening = offset(in);
        in.nextToken();
        event(opening, record.next());
        record.done();
      }
      JsonCopy.expect(in, token, JsonToken.END_ARRAY);
    }

    /**
     * Reads one event whose opening brace is at {@code opening}; the parser stands on its first
     * field.
     */
    void event(long opening, long number) throws IOException {
      Event e = event.reset();
      for (JsonToken token = in.currentToken();
          token == JsonToken.FIELD_NAME;
          token = in.nextToken()) {
        String name = in.currentName();
        JsonToken value = in.nextToken();
        e.fields++;
        if (DocumentBuilder.RESERVED.contains(name)) {
          e.reservedName = true;
        }
        switch (name) {
          case "userIdentity" -> capture(value, IDENTITY_FIELDS, e.identity);
          case "requestParameters" -> capture(value, PROMOTED_REQUEST_FIELDS, e.request);
          default -> {
            if (!value.isScalarValue()) {
              in.skipChildren();
            } else if (Event.WANTED.contains(name)) {
              e.scalar(
                  name, JsonCopy.scalarText(in)); // only the few fields ECS needs become Strings
            }
          }
        }
      }
      long closing = offset(in); // the event's closing brace
      raw.release(opening);
      emit(e, opening, closing, number);
      raw.release(closing + 1);
    }

    private void capture(JsonToken value, Set<String> wanted, Map<String, String> into)
        throws IOException {
      if (value != JsonToken.START_OBJECT) {
        in.skipChildren();
        return;
      }
      JsonToken token;
      while ((token = in.nextToken()) == JsonToken.FIELD_NAME) {
        String name = in.currentName();
        JsonToken child = in.nextToken();
        if (child.isScalarValue()) {
          if (child != JsonToken.VALUE_NULL && wanted.contains(name)) {
            into.put(name, in.getText());
          }
        } else {
          in.skipChildren();
        }
      }
      JsonCopy.expect(in, token, JsonToken.END_OBJECT);
    }

    private void emit(Event e, long opening, long closing, long number) throws IOException {
      String time =
          e.eventTime != null
              ? e.eventTime
              : e.shipperTime; // Logstash-style exports rename eventTime
      if (time == null) {
        context.reject(number, opening, "eventTime is missing");
        return;
      }
      Instant instant = Times.iso(time);
      if (instant == null) {
        context.reject(number, opening, "eventTime '" + time + "' is not an ISO-8601 instant");
        return;
      }
      DocumentBuilder doc = context.builder();
      doc.start();
      doc.timestamp(instant, time.endsWith("Z") ? time : null)
          .event("kind", "event")
          .event("provider", e.eventSource)
          .event("action", e.eventName)
          .event("id", e.eventId)
          .event("outcome", e.errorCode == null ? "success" : "failure")
          .account(e.account != null ? e.account : e.identity.get("accountId"))
          .region(e.region)
          .userAgent(e.userAgent)
          .user(userName(e.identity));
      if (JsonCopy.looksLikeIp(e.sourceIp)) {
        doc.source(e.sourceIp, null);
      }
      doc.relatedUser(e.identity.get("arn"));
      e.request.forEach(doc::promote);
      String id =
          e.eventId != null
              ? e.eventId
              : context.ids().positional(LogType.CLOUDTRAIL, context.origin(), number);
      if (e.reservedName) {
        copyRenaming(opening, closing + 1, doc);
        context.emit(LogType.CLOUDTRAIL, id);
      } else {
        context.emitRaw(LogType.CLOUDTRAIL, id, raw, opening, closing, e.fields > 0);
      }
    }

    /**
     * The slow path: re-reads the event's bytes and copies its fields through the builder, which
     * renames.
     */
    private void copyRenaming(long from, long to, DocumentBuilder doc) throws IOException {
      byte[] bytes = new byte[(int) (to - from)];
      raw.copy(from, to, bytes, 0);
      try (JsonParser event = ParseContext.JSON.createParser(bytes)) {
        event.nextToken();
        while (event.nextToken() == JsonToken.FIELD_NAME) {
          String name = event.currentName();
          event.nextToken();
          doc.copyField(name, event);
        }
      }
    }
  }

  /** The fields of one event the ECS mapping needs; reused from event to event. */
  private static final class Event {
    static final Set<String> WANTED =
        Set.of(
            "eventTime",
            "@timestamp",
            "eventID",
            "eventSource",
            "eventName",
            "errorCode",
            "recipientAccountId",
            "awsRegion",
            "sourceIPAddress",
            "userAgent");
    final Map<String, String> identity = new HashMap<>(8);
    final Map<String, String> request = new HashMap<>(4);
    String eventTime;
    String shipperTime;
    String eventId;
    String eventSource;
    String eventName;
    String errorCode;
    String account;
    String region;
    String sourceIp;
    String userAgent;
    int fields;
    boolean reservedName;

    Event reset() {
      identity.clear();
      request.clear();
      eventTime = shipperTime = eventId = eventSource = eventName = errorCode = null;
      account = region = sourceIp = userAgent = null;
      fields = 0;
      reservedName = false;
      return this;
    }

    void scalar(String name, String text) {
      switch (name) {
        case "eventTime" -> eventTime = text;
        case "@timestamp" -> shipperTime = text;
        case "eventID" -> eventId = text;
        case "eventSource" -> eventSource = text;
        case "eventName" -> eventName = text;
        case "errorCode" -> errorCode = text;
        case "recipientAccountId" -> account = text;
        case "awsRegion" -> region = text;
        case "sourceIPAddress" -> sourceIp = text;
        case "userAgent" -> userAgent = text;
        default -> {}
      }
    }
  }

  /**
   * The acting user's short name: the IAM user, the role session, {@code root}, or the invoking
   * service.
   */
  public static String userName(Map<String, String> identity) {
    String userName = identity.get("userName");
    if (userName != null) {
      return userName;
    }
    String type = identity.get("type");
    if ("Root".equals(type)) {
      return "root";
    }
    String arn = identity.get("arn");
    if (arn != null && arn.contains("/")) {
      return arn.substring(arn.lastIndexOf('/') + 1);
    }
    return identity.get("invokedBy");
  }

  private static void skipRestOfObject(JsonParser in) throws IOException {
    JsonToken token;
    while ((token = in.nextToken()) == JsonToken.FIELD_NAME) {
      in.nextToken();
      in.skipChildren();
    }
    JsonCopy.expect(in, token, JsonToken.END_OBJECT);
  }

  private static long offset(JsonParser in) {
    return in.currentTokenLocation().getByteOffset();
  }
}

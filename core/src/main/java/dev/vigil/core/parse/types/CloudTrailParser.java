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
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * CloudTrail: the S3 object layout {@code {"Records":[…]}}, a bare array of events, or
 * newline-delimited events (several roots in one stream). Digest files are recognised and skipped.
 * Each event is copied token by token; the few fields the ECS mapping needs are picked out on the
 * way. Document id: the event's {@code eventID}.
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
    RecordCounter record = new RecordCounter();
    try (JsonParser in = ParseContext.JSON.createParser(content)) {
      try {
        JsonToken token;
        while ((token = in.nextToken()) != null) {
          if (token == JsonToken.START_ARRAY) {
            events(in, context, record);
          } else if (token == JsonToken.START_OBJECT) {
            rootObject(in, context, record);
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

  private void rootObject(JsonParser in, ParseContext context, RecordCounter record)
      throws IOException {
    JsonToken token = in.nextToken();
    if (token == JsonToken.END_OBJECT) {
      return;
    }
    String first = in.currentName();
    if ("Records".equals(first)) {
      JsonCopy.expect(in, in.nextToken(), JsonToken.START_ARRAY);
      events(in, context, record);
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
    event(in, context, record.next());
    record.done();
  }

  private void events(JsonParser in, ParseContext context, RecordCounter record)
      throws IOException {
    JsonToken token;
    while ((token = in.nextToken()) == JsonToken.START_OBJECT) {
      in.nextToken();
      event(in, context, record.next());
      record.done();
    }
    JsonCopy.expect(in, token, JsonToken.END_ARRAY);
  }

  /** Copies one event; the parser stands on its first FIELD_NAME (or END_OBJECT). */
  private void event(JsonParser in, ParseContext context, long record) throws IOException {
    long startOffset = offset(in);
    DocumentBuilder doc = context.builder();
    JsonGenerator out = doc.start();
    String eventTime = null;
    String shipperTime = null;
    String eventId = null;
    String errorCode = null;
    String account = null;
    Map<String, String> identity = new HashMap<>(8);
    Map<String, String> request = new HashMap<>(4);
    for (JsonToken token = in.currentToken();
        token == JsonToken.FIELD_NAME;
        token = in.nextToken()) {
      String name = in.currentName();
      JsonToken value = in.nextToken();
      switch (name) {
        case "userIdentity" -> {
          doc.fieldName(name);
          if (value == JsonToken.START_OBJECT) {
            JsonCopy.copyObjectCapturing(in, out, IDENTITY_FIELDS, identity);
          } else {
            out.copyCurrentStructure(in);
          }
        }
        case "requestParameters" -> {
          doc.fieldName(name);
          if (value == JsonToken.START_OBJECT) {
            JsonCopy.copyObjectCapturing(in, out, PROMOTED_REQUEST_FIELDS, request);
          } else {
            out.copyCurrentStructure(in);
          }
        }
        default -> {
          String text = value.isScalarValue() ? JsonCopy.scalarText(in) : null;
          switch (name) {
            case "eventTime" -> eventTime = text;
            case "@timestamp" -> shipperTime = text;
            case "eventID" -> eventId = text;
            case "errorCode" -> errorCode = text;
            case "recipientAccountId" -> account = text;
            case "eventSource" -> doc.event("provider", text);
            case "eventName" -> doc.event("action", text);
            case "awsRegion" -> doc.region(text);
            case "userAgent" -> doc.userAgent(text);
            case "sourceIPAddress" -> {
              if (JsonCopy.looksLikeIp(text)) {
                doc.source(text, null);
              }
            }
            default -> {}
          }
          doc.copyField(name, in);
        }
      }
    }
    if (in.currentToken() != JsonToken.END_OBJECT) {
      context.reject(record, startOffset, "event is not a JSON object");
      return;
    }
    if (eventTime == null) {
      eventTime = shipperTime; // exports through Logstash and similar shippers rename eventTime to
      // @timestamp
    }
    if (eventTime == null) {
      context.reject(record, startOffset, "eventTime is missing");
      return;
    }
    Instant time;
    try {
      time = Instant.parse(eventTime);
    } catch (DateTimeParseException e) {
      context.reject(
          record, startOffset, "eventTime '" + eventTime + "' is not an ISO-8601 instant");
      return;
    }
    doc.timestamp(time, eventTime.endsWith("Z") ? eventTime : null)
        .event("kind", "event")
        .event("id", eventId)
        .event("outcome", errorCode == null ? "success" : "failure")
        .account(account != null ? account : identity.get("accountId"))
        .user(userName(identity));
    doc.relatedUser(identity.get("arn"));
    request.forEach(doc::promote);
    context.emit(
        LogType.CLOUDTRAIL,
        eventId != null
            ? eventId
            : context.ids().positional(LogType.CLOUDTRAIL, context.origin(), record));
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

package dev.vigil.core.parse.types;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.vigil.core.LogType;
import dev.vigil.core.parse.Decompression;
import dev.vigil.core.parse.DocumentBuilder;
import dev.vigil.core.parse.JsonCopy;
import dev.vigil.core.parse.JsonRecordReader;
import dev.vigil.core.parse.LogParser;
import dev.vigil.core.parse.LogTypeDetector;
import dev.vigil.core.parse.ParseContext;
import dev.vigil.core.parse.RecordCounter;
import dev.vigil.core.parse.Rejection;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * CloudWatch Logs subscription payloads, decompressed: {@code
 * {"messageType":"DATA_MESSAGE","owner","logGroup","logStream","subscriptionFilters":[…],
 * "logEvents":[{"id","timestamp","message"}…]}}, several of them concatenated without a delimiter
 * as Firehose writes them to S3 (each may also be its own gzip member), and the Lambda ({@code
 * {"awslogs":{"data":base64}}}) and Kinesis ({@code {"Records":[{"kinesis":{"data":base64}}]}})
 * events that carry a compressed payload; also what Firehose writes with CloudWatch Logs
 * decompression on (the payloads, newline-delimited) and with message extraction too (the bare
 * messages, one per line: see {@link #extractedMessages}). Control messages are skipped.
 *
 * <p>One document per log event, id = the event's {@code id}. A message that is JSON of a type
 * Vigil parses (a CloudTrail event, a Security Hub or GuardDuty EventBridge event, a WAF record) is
 * handed to that type's parser, and its documents get that type, index and id, plus {@code
 * vigil.cloudwatch.*} naming the log group, stream, owner and event; if that parser makes nothing
 * of it, the event is kept as a cloudwatch document saying why. Any other message stays text in
 * {@code message}; a JSON object message is also kept whole in {@code json}.
 *
 * <p>The log events of one payload are buffered (as bytes) until the payload's own fields have been
 * read, since those may follow them; CloudWatch Logs bounds a payload to about 1 MB.
 */
public final class CloudWatchLogsParser implements LogParser {
  private static final int MAX_WRAPPER_DEPTH = 2;
  // How much of an object is looked at to tell payloads from Firehose-extracted messages.
  private static final int HEAD_BYTES = 16 * 1024;

  private final Map<LogType, LogParser> embedded = new EnumMap<>(LogType.class);

  /** A parser that hands JSON messages of these types to their parsers. */
  public CloudWatchLogsParser(List<LogParser> embeddedParsers) {
    for (LogParser parser : embeddedParsers) {
      if (parser.type() != LogType.CLOUDWATCH) {
        embedded.put(parser.type(), parser);
      }
    }
  }

  @Override
  public LogType type() {
    return LogType.CLOUDWATCH;
  }

  @Override
  public void parse(InputStream content, ParseContext context) throws IOException {
    BufferedInputStream in = new BufferedInputStream(content, HEAD_BYTES);
    in.mark(HEAD_BYTES);
    byte[] head = in.readNBytes(HEAD_BYTES);
    in.reset();
    if (FirehoseExtraction.looksExtracted(head, head.length)) {
      extractedMessages(in, context);
    } else {
      payloads(in, context, new RecordCounter(), 0);
    }
  }

  /**
   * What Firehose writes with CloudWatch Logs decompression and message extraction on: each log
   * event's message on a line of its own, without the envelope (no log group, event id or event
   * time). A JSON message of a type Vigil parses goes to that parser, which reads the record's own
   * time; any other line gets Firehose's delivery time from the object's name, or is rejected when
   * the key carries none. A message that held line breaks arrives as several lines and so as
   * several documents.
   */
  private void extractedMessages(InputStream content, ParseContext context) throws IOException {
    Instant delivered = FirehoseExtraction.deliveryTime(context.origin().key());
    Payload none = new Payload();
    LineReader lines = new LineReader(content);
    while (lines.next()) {
      long record = lines.number();
      long offset = lines.offset();
      if (lines.tooLong()) {
        context.reject(
            record, offset, "line is longer than " + lines.maxLineBytes() + " bytes; not read");
        continue;
      }
      if (lines.isBlank()) {
        continue;
      }
      String message = lines.text();
      if (message.startsWith(FirehoseExtraction.CONTROL_MESSAGE_PREFIX)) {
        context.skip("CloudWatch Logs control message");
        continue;
      }
      MessageJson json = messageJson(message, none, null, context, record, offset);
      if (json.handedOver()) {
        continue;
      }
      if (delivered == null) {
        context.reject(
            record,
            offset,
            "a message without its CloudWatch Logs envelope (Firehose message extraction) has no"
                + " time, and the key is not a Firehose object name carrying the delivery time"
                + (json.problem() != null ? " (" + json.problem() + ")" : ""));
        continue;
      }
      DocumentBuilder doc = context.builder();
      JsonGenerator out = doc.start();
      out.writeStringField("message", message);
      json.write(out);
      doc.timestamp(delivered, null).event("kind", "event");
      context.emit(
          LogType.CLOUDWATCH,
          context.ids().positional(LogType.CLOUDWATCH, context.origin(), record));
    }
  }

  private void payloads(InputStream content, ParseContext context, RecordCounter record, int depth)
      throws IOException {
    try (JsonRecordReader reader = new JsonRecordReader(content)) {
      while (true) {
        try {
          JsonToken token = reader.nextRoot();
          if (token == null) {
            return;
          }
          if (token == JsonToken.START_OBJECT) {
            root(reader, context, record, depth);
          } else {
            long offset = reader.offset();
            reader.parser().skipChildren();
            context.reject(
                record.next(),
                offset,
                "expected a CloudWatch Logs payload (a JSON object), found "
                    + Support.describe(token));
            record.done();
          }
        } catch (JsonProcessingException e) {
          JsonRecordReader.ArrayMark array = reader.markedArray();
          if (array != null) {
            // Damage after the last complete log event (garbage that closed the array early, say):
            // the array may still go on.
            JsonRecordReader.Skip skip =
                reader.resumeInArray(
                    array,
                    array.afterLastElement(),
                    -1,
                    CloudWatchLogsParser::looksLikeLogEvent,
                    e);
            Support.rejectSkipped(context, record.failed(), skip, "log event");
            continue;
          }
          long line = reader.rootLine();
          long offset = reader.rootOffset();
          long resumed = reader.recover();
          context.reject(record.failed(), offset, Support.malformed(line, e, resumed));
        }
      }
    }
  }

  /** A payload, or a Lambda/Kinesis event carrying payloads. */
  private void root(JsonRecordReader reader, ParseContext context, RecordCounter record, int depth)
      throws IOException {
    JsonParser in = reader.parser();
    long offset = reader.offset();
    Payload payload = new Payload();
    boolean wrapper = false;
    try {
      while (in.nextToken() == JsonToken.FIELD_NAME) {
        String name = in.currentName();
        JsonToken value = in.nextToken();
        switch (name) {
          case "awslogs" -> {
            wrapper = true;
            wrapped(reader, value, context, record, depth);
          }
          case "Records" -> {
            wrapper = true;
            kinesisRecords(reader, value, context, record, depth);
          }
          case "logEvents" -> {
            if (!payload.bufferEvents(reader, value)) {
              // Damage in the log events: reading resumed elsewhere; keep what was read.
              finish(payload, wrapper, offset, context, record);
              return;
            }
          }
          case "subscriptionFilters" -> payload.subscriptionFilters(in, value);
          default -> {
            String text = JsonCopy.scalarText(in);
            in.skipChildren();
            switch (name) {
              case "messageType" -> payload.messageType = text;
              case "owner" -> payload.owner = text;
              case "logGroup" -> payload.logGroup = text;
              case "logStream" -> payload.logStream = text;
              case "policyLevel" -> payload.policyLevel = text;
              default -> {}
            }
          }
        }
      }
    } catch (JsonProcessingException e) {
      if (payload.eventsToken != null) {
        finish(payload, wrapper, offset, context, record); // the log events read are good
      }
      throw e;
    }
    finish(payload, wrapper, offset, context, record);
  }

  /** Turns a payload's log events into documents, or rejects or skips the payload. */
  private void finish(
      Payload payload, boolean wrapper, long offset, ParseContext context, RecordCounter record)
      throws IOException {
    if (wrapper && payload.eventsToken == null) {
      return;
    }
    if ("CONTROL_MESSAGE".equals(payload.messageType)) {
      context.skip("CloudWatch Logs control message");
      return;
    }
    if (payload.eventsToken == null || payload.eventsToken != JsonToken.START_ARRAY) {
      context.reject(
          record.next(),
          offset,
          payload.eventsToken == null
              ? "CloudWatch Logs payload has no logEvents array"
              : "CloudWatch Logs payload's logEvents must be an array, found "
                  + Support.describe(payload.eventsToken));
      record.done();
      return;
    }
    payload.events(this, context, record);
  }

  /**
   * Whether an object met while resynchronising after damage is a log event, not a part of one: it
   * has a timestamp and a message.
   */
  static boolean looksLikeLogEvent(com.fasterxml.jackson.databind.JsonNode node) {
    return node.has("timestamp") && node.has("message");
  }

  /** {@code "awslogs":{"data":"<base64 of a gzip or zlib payload>"}} (a Lambda event). */
  private void wrapped(
      JsonRecordReader reader,
      JsonToken value,
      ParseContext context,
      RecordCounter record,
      int depth)
      throws IOException {
    JsonParser in = reader.parser();
    if (value != JsonToken.START_OBJECT) {
      in.skipChildren();
      return;
    }
    while (in.nextToken() == JsonToken.FIELD_NAME) {
      String name = in.currentName();
      JsonToken data = in.nextToken();
      if (name.equals("data") && data == JsonToken.VALUE_STRING) {
        decoded(reader, context, record, depth);
      } else {
        in.skipChildren();
      }
    }
  }

  /**
   * {@code "Records":[{"kinesis":{"data":"<base64>"}}…]} (a Lambda event from Kinesis), or {@code
   * "Records":[{"Data":"<base64>"}…]} (Kinesis records as {@code aws kinesis get-records} prints
   * them).
   */
  private void kinesisRecords(
      JsonRecordReader reader,
      JsonToken value,
      ParseContext context,
      RecordCounter record,
      int depth)
      throws IOException {
    JsonParser in = reader.parser();
    if (value != JsonToken.START_ARRAY) {
      in.skipChildren();
      return;
    }
    JsonToken element;
    while ((element = in.nextToken()) != JsonToken.END_ARRAY) {
      if (element != JsonToken.START_OBJECT) {
        in.skipChildren();
        continue;
      }
      while (in.nextToken() == JsonToken.FIELD_NAME) {
        String name = in.currentName();
        JsonToken field = in.nextToken();
        if (name.equals("kinesis")) {
          wrapped(reader, field, context, record, depth);
        } else if (name.equals("Data") && field == JsonToken.VALUE_STRING) {
          decoded(reader, context, record, depth);
        } else {
          in.skipChildren();
        }
      }
    }
  }

  private void decoded(
      JsonRecordReader reader, ParseContext context, RecordCounter record, int depth)
      throws IOException {
    long offset = reader.offset();
    byte[] compressed;
    try {
      compressed = reader.parser().getBinaryValue();
    } catch (JsonProcessingException e) {
      context.reject(record.next(), offset, "data is not base64: " + e.getOriginalMessage());
      record.done();
      return;
    }
    if (depth >= MAX_WRAPPER_DEPTH) {
      context.reject(record.next(), offset, "payloads wrapped more than twice are not read");
      record.done();
      return;
    }
    InputStream payload = Decompression.open(new ByteArrayInputStream(compressed));
    try {
      payloads(payload, context, record, depth + 1);
    } catch (java.io.EOFException | java.util.zip.ZipException e) {
      context.reject(record.failed(), offset, "data is damaged compressed data: " + e.getMessage());
    }
  }

  /** The fields of one payload, its log events kept as bytes until the payload is read. */
  private static final class Payload {
    String messageType;
    String owner;
    String logGroup;
    String logStream;
    String policyLevel;
    List<String> filters;
    JsonToken eventsToken;
    // The log events read, in order: each one's bytes, or what damage skipped there.
    private final List<Element> elements = new ArrayList<>();

    private record Element(long offset, byte[] json, JsonRecordReader.Skip skipped) {}

    void subscriptionFilters(JsonParser in, JsonToken value) throws IOException {
      filters = new ArrayList<>();
      if (value != JsonToken.START_ARRAY) {
        String text = JsonCopy.scalarText(in);
        in.skipChildren();
        if (text != null) {
          filters.add(text);
        }
        return;
      }
      JsonToken token;
      while ((token = in.nextToken()) != JsonToken.END_ARRAY) {
        if (token == JsonToken.VALUE_STRING) {
          filters.add(in.getText());
        } else {
          in.skipChildren();
        }
      }
    }

    /**
     * Keeps the log events (the parser stands on the logEvents value) as bytes, each on its own:
     * one that is malformed costs only the bytes up to the next log event. Returns false when
     * damage made reading resume outside this payload (its rest is abandoned).
     */
    boolean bufferEvents(JsonRecordReader reader, JsonToken value) throws IOException {
      JsonParser in = reader.parser();
      eventsToken = value;
      if (value != JsonToken.START_ARRAY) {
        in.skipChildren();
        return true;
      }
      JsonRecordReader.ArrayMark array = reader.markArray(this::fieldsReadSoFar);
      while (true) {
        long element = -1;
        try {
          if (in.nextToken() == JsonToken.END_ARRAY) {
            return true;
          }
          element = reader.offset();
          byte[] json = raw(in);
          reader.elementRead();
          elements.add(new Element(element, json, null));
        } catch (JsonProcessingException e) {
          long from = element >= 0 ? element : array.afterLastElement();
          Element last = elements.isEmpty() ? null : elements.get(elements.size() - 1);
          if (element < 0 && last != null && last.json() != null && last.json()[0] != '{') {
            // What follows shows the last "element" was none: a quote in garbage may have
            // swallowed the start of the next log event into a string. Skip from it instead.
            elements.remove(elements.size() - 1);
            from = last.offset();
          }
          JsonRecordReader.Skip skip =
              reader.resumeInArray(
                  array, from, element, CloudWatchLogsParser::looksLikeLogEvent, e);
          elements.add(new Element(from, null, skip));
          return false;
        }
      }
    }

    /**
     * The payload's fields read so far, as JSON members each followed by a comma: log events read
     * after damage get them again.
     */
    private byte[] fieldsReadSoFar() {
      ByteArrayBuilder bytes = new ByteArrayBuilder(256);
      try (JsonGenerator out = ParseContext.JSON.createGenerator(bytes)) {
        out.writeStartObject();
        writeIfPresent(out, "messageType", messageType);
        writeIfPresent(out, "owner", owner);
        writeIfPresent(out, "logGroup", logGroup);
        writeIfPresent(out, "logStream", logStream);
        if (filters != null) {
          out.writeArrayFieldStart("subscriptionFilters");
          for (String filter : filters) {
            out.writeString(filter);
          }
          out.writeEndArray();
        }
        writeIfPresent(out, "policyLevel", policyLevel);
        out.writeEndObject();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e); // writing to memory
      }
      byte[] object = bytes.toByteArray();
      if (object.length <= 2) {
        return new byte[0];
      }
      byte[] members = java.util.Arrays.copyOfRange(object, 1, object.length);
      members[members.length - 1] = ',';
      return members;
    }

    void events(CloudWatchLogsParser parser, ParseContext context, RecordCounter record)
        throws IOException {
      for (Element element : elements) {
        if (element.skipped() != null) {
          Support.rejectSkipped(context, record.failed(), element.skipped(), "log event");
          continue;
        }
        long number = record.next();
        try (JsonParser in = ParseContext.JSON.createParser(element.json())) {
          JsonToken token = in.nextToken();
          if (token == JsonToken.START_OBJECT) {
            parser.event(in, this, context, number, element.offset());
          } else {
            context.reject(
                number,
                element.offset(),
                "log event must be a JSON object, found " + Support.describe(token));
          }
        }
        record.done();
      }
    }

    Map<String, Object> envelope(String eventId) {
      Map<String, Object> fields = new LinkedHashMap<>();
      putIfPresent(fields, "logGroup", logGroup);
      putIfPresent(fields, "logStream", logStream);
      putIfPresent(fields, "owner", owner);
      putIfPresent(fields, "logEventId", eventId);
      return fields;
    }

    private static void putIfPresent(Map<String, Object> fields, String name, String value) {
      if (value != null) {
        fields.put(name, value);
      }
    }
  }

  /** One log event; the parser stands on its START_OBJECT. */
  private void event(JsonParser in, Payload payload, ParseContext context, long record, long offset)
      throws IOException {
    String id = null;
    String timestamp = null;
    JsonToken timestampToken = null;
    String message = null;
    JsonToken messageToken = null;
    byte[] extracted = null;
    while (in.nextToken() == JsonToken.FIELD_NAME) {
      String name = in.currentName();
      JsonToken value = in.nextToken();
      switch (name) {
        case "id" -> id = JsonCopy.scalarText(in);
        case "timestamp" -> {
          timestamp = JsonCopy.scalarText(in);
          timestampToken = value;
        }
        case "message" -> {
          messageToken = value;
          message =
              value == JsonToken.VALUE_STRING
                  ? in.getText()
                  : new String(raw(in), StandardCharsets.UTF_8);
        }
        case "extractedFields" -> extracted = raw(in);
        default -> {}
      }
      in.skipChildren();
    }
    Instant time = Support.epochMillis(timestamp);
    if (time == null) {
      context.reject(
          record,
          offset,
          timestampToken == null
              ? "log event has no timestamp"
              : "log event timestamp must be epoch milliseconds or an ISO-8601 time, found "
                  + Support.describe(timestampToken)
                  + (timestamp != null ? " '" + timestamp + "'" : ""));
      return;
    }
    if (messageToken == null || messageToken == JsonToken.VALUE_NULL) {
      context.reject(record, offset, "log event has no message");
      return;
    }
    MessageJson json = messageJson(message, payload, id, context, record, offset);
    if (json.handedOver()) {
      return;
    }
    DocumentBuilder doc = context.builder();
    JsonGenerator out = doc.start();
    if (id != null) {
      out.writeStringField("id", id);
    }
    out.writeNumberField("timestamp", time.toEpochMilli());
    out.writeStringField("message", message);
    writeIfPresent(out, "messageType", payload.messageType);
    writeIfPresent(out, "owner", payload.owner);
    writeIfPresent(out, "logGroup", payload.logGroup);
    writeIfPresent(out, "logStream", payload.logStream);
    if (payload.filters != null) {
      out.writeArrayFieldStart("subscriptionFilters");
      for (String filter : payload.filters) {
        out.writeString(filter);
      }
      out.writeEndArray();
    }
    writeIfPresent(out, "policyLevel", payload.policyLevel);
    if (extracted != null) {
      copyRaw(out, "extractedFields", extracted);
    }
    json.write(out);
    doc.timestamp(time, null).event("kind", "event").event("id", id).account(payload.owner);
    context.emit(
        LogType.CLOUDWATCH,
        id != null && !id.isEmpty()
            ? id
            : context.ids().positional(LogType.CLOUDWATCH, context.origin(), record));
  }

  /**
   * A message that is well-formed JSON: handed to its type's parser when it is of a type Vigil
   * parses ({@code handedOver} when that parser made documents of it), else kept by the caller.
   */
  private MessageJson messageJson(
      String message,
      Payload payload,
      String eventId,
      ParseContext context,
      long record,
      long offset)
      throws IOException {
    String trimmed = message.strip();
    if (trimmed.isEmpty() || (trimmed.charAt(0) != '{' && trimmed.charAt(0) != '[')) {
      return MessageJson.NONE;
    }
    byte[] bytes = trimmed.getBytes(StandardCharsets.UTF_8);
    JsonToken root = wellFormed(bytes);
    if (root == null) {
      return MessageJson.NONE;
    }
    byte[] object = root == JsonToken.START_OBJECT ? bytes : null;
    Optional<LogType> type = LogTypeDetector.fromContent(trimmed).filter(embedded::containsKey);
    if (type.isEmpty()) {
      return new MessageJson(object, null, null, false);
    }
    String problem = handOver(type.get(), bytes, payload, eventId, context, record, offset);
    return new MessageJson(object, type.get().id(), problem, problem == null);
  }

  /** What {@link #messageJson} made of a message, and the fields a kept message gets from it. */
  private record MessageJson(
      byte[] object, String embeddedType, String problem, boolean handedOver) {
    static final MessageJson NONE = new MessageJson(null, null, null, false);

    void write(JsonGenerator out) throws IOException {
      if (object != null) {
        copyRaw(out, "json", object);
      }
      writeIfPresent(out, "embedded_type", embeddedType);
      writeIfPresent(out, "embedded_error", problem);
    }
  }

  /**
   * Hands a message to its type's parser. Returns null when that parser made documents of it (or
   * deliberately skipped it), else why it could not, so the event is kept as a cloudwatch document.
   */
  private String handOver(
      LogType type,
      byte[] message,
      Payload payload,
      String eventId,
      ParseContext context,
      long record,
      long offset)
      throws IOException {
    DocumentBuilder doc = context.builder();
    ParseContext.NestedOutcome outcome;
    doc.envelope("cloudwatch", payload.envelope(eventId));
    context.beginNested(
        record, offset, "message of log event " + (eventId != null ? eventId : "#" + record));
    try {
      embedded.get(type).parse(new ByteArrayInputStream(message), context);
    } finally {
      outcome = context.endNested();
      doc.envelope("cloudwatch", null);
    }
    if (outcome.documents() == 0 && !outcome.rejections().isEmpty()) {
      return outcome.rejections().get(0).reason();
    }
    for (Rejection rejection : outcome.rejections()) {
      if (rejection.isSkippedRange()) {
        context.rejectSkipped(
            rejection.record(),
            rejection.byteOffset(),
            rejection.skippedBytes(),
            rejection.skippedEvents(),
            rejection.reason());
      } else {
        context.reject(rejection.record(), rejection.byteOffset(), rejection.reason());
      }
    }
    return null;
  }

  /** The root token when {@code bytes} hold exactly one well-formed JSON value; null otherwise. */
  private static JsonToken wellFormed(byte[] bytes) {
    try (JsonParser in = ParseContext.JSON.createParser(bytes)) {
      JsonToken root = in.nextToken();
      in.skipChildren();
      return in.nextToken() == null ? root : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** The current value (any JSON) as compact bytes. */
  private static byte[] raw(JsonParser in) throws IOException {
    ByteArrayBuilder bytes = new ByteArrayBuilder(256);
    try (JsonGenerator out = ParseContext.JSON.createGenerator(bytes)) {
      out.copyCurrentStructure(in);
    }
    return bytes.toByteArray();
  }

  private static void copyRaw(JsonGenerator out, String name, byte[] json) throws IOException {
    try (JsonParser in = ParseContext.JSON.createParser(json)) {
      in.nextToken();
      out.writeFieldName(name);
      out.copyCurrentStructure(in);
    }
  }

  private static void writeIfPresent(JsonGenerator out, String name, String value)
      throws IOException {
    if (value != null) {
      out.writeStringField(name, value);
    }
  }
}

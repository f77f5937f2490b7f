package dev.vigil.core.parse.types;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.vigil.core.parse.ParseContext;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What tells the output of Firehose's CloudWatch Logs message extraction (the log events' messages,
 * one per line, without the subscription envelope) from subscription payloads, and the one time
 * such an object carries: Firehose's delivery time in its object name.
 */
final class FirehoseExtraction {
  /** The first line of a control message's only log event, which extraction keeps as a line. */
  static final String CONTROL_MESSAGE_PREFIX = "CWL CONTROL MESSAGE:";

  // Top-level fields only a subscription payload, a Lambda event or Kinesis records have (not
  // owner and the like: a structured application log may well have those).
  private static final Set<String> ENVELOPE_FIELDS =
      Set.of("messageType", "logEvents", "awslogs", "Records");

  // <stream>-<stream version>-<YYYY>-<MM>-<DD>-<HH>-<mm>-<ss>-<random>[.<extension>], in UTC unless
  // the stream sets another time zone
  // (https://docs.aws.amazon.com/firehose/latest/dev/s3-object-name.html).
  private static final Pattern OBJECT_NAME =
      Pattern.compile(
          "-\\d+-(\\d{4})-(\\d{2})-(\\d{2})-(\\d{2})-(\\d{2})-(\\d{2})-[0-9A-Za-z-]+(?:\\.[A-Za-z0-9]+)*$");

  private FirehoseExtraction() {}

  /**
   * True when the decompressed head of an object is text that is not a CloudWatch Logs payload: a
   * first line that is not JSON, or a JSON object none of whose top-level fields (as far as the
   * head shows) belongs to a payload or an event carrying payloads. Binary content is not text.
   */
  static boolean looksExtracted(byte[] head, int length) {
    int first = 0;
    while (first < length && Character.isWhitespace(head[first])) {
      first++;
    }
    if (first == length) {
      return false;
    }
    for (int i = first; i < length; i++) {
      int b = head[i] & 0xff;
      if (b < 0x20 && b != '\t' && b != '\n' && b != '\r') {
        return false;
      }
    }
    if (head[first] == '[') {
      return false;
    }
    if (head[first] != '{') {
      return true;
    }
    boolean sawField = false;
    try (JsonParser in = ParseContext.JSON.createParser(head, first, length - first)) {
      in.nextToken();
      while (in.nextToken() == JsonToken.FIELD_NAME) {
        if (ENVELOPE_FIELDS.contains(in.currentName())) {
          return false;
        }
        sawField = true;
        in.nextToken();
        in.skipChildren();
      }
    } catch (IOException e) {
      // the head ends (or breaks) inside the first object: judged on the fields read so far
    }
    return sawField;
  }

  /** Firehose's delivery time from the object's name, or null when the key is not so named. */
  static java.time.Instant deliveryTime(String key) {
    Matcher m = OBJECT_NAME.matcher(key.substring(key.lastIndexOf('/') + 1));
    if (!m.find()) {
      return null;
    }
    try {
      return LocalDateTime.of(
              Integer.parseInt(m.group(1)),
              Integer.parseInt(m.group(2)),
              Integer.parseInt(m.group(3)),
              Integer.parseInt(m.group(4)),
              Integer.parseInt(m.group(5)),
              Integer.parseInt(m.group(6)))
          .toInstant(ZoneOffset.UTC);
    } catch (DateTimeException e) {
      return null;
    }
  }
}

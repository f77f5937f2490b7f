package dev.vigil.ingester.pipeline;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.core.parse.ObjectRef;
import dev.vigil.core.parse.Rejection;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * One thing that will never be indexed, with why and where it came from. Written as one JSON line:
 * {@code {"kind","time","origin":{"bucket","key"},"reason",...}} plus, by kind, the document and
 * its target ({@code document}), the record number and where it starts in the decompressed object
 * ({@code record}, {@code byteOffset}) — for damaged input skipped to resume reading, also how many
 * bytes and events were skipped ({@code skippedBytes}, {@code skippedEvents}) —, or the SQS message
 * ({@code message}).
 */
public record DeadLetter(
    Kind kind,
    Instant time,
    ObjectRef origin,
    String reason,
    int status,
    String index,
    String id,
    long record,
    long byteOffset,
    long skippedBytes,
    long skippedEvents,
    byte[] document,
    String queue,
    String message) {

  public enum Kind {
    /** A parsed document OpenSearch refused for good (e.g. a mapping error). */
    DOCUMENT,
    /** A record of an object the parser could not turn into a document. */
    RECORD,
    /** A whole object that cannot be read (not gzip, unknown type, damaged). */
    OBJECT,
    /** An SQS message that is not an S3 notification. */
    MESSAGE;

    public String id() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  public static DeadLetter document(
      ObjectRef origin, String index, String id, int status, String reason, byte[] source) {
    return new DeadLetter(
        Kind.DOCUMENT,
        Instant.now(),
        origin,
        reason,
        status,
        index,
        id,
        0,
        -1,
        -1,
        -1,
        source,
        null,
        null);
  }

  public static DeadLetter record(Rejection rejection) {
    return new DeadLetter(
        Kind.RECORD,
        Instant.now(),
        rejection.origin(),
        rejection.reason()
            + (rejection.byteOffset() >= 0 ? " (at byte " + rejection.byteOffset() + ")" : ""),
        0,
        null,
        null,
        rejection.record(),
        rejection.byteOffset(),
        rejection.skippedBytes(),
        rejection.skippedEvents(),
        null,
        null,
        null);
  }

  public static DeadLetter object(ObjectRef origin, String reason) {
    return new DeadLetter(
        Kind.OBJECT, Instant.now(), origin, reason, 0, null, null, 0, -1, -1, -1, null, null, null);
  }

  public static DeadLetter message(String queue, String body, String reason) {
    return new DeadLetter(
        Kind.MESSAGE, Instant.now(), null, reason, 0, null, null, 0, -1, -1, -1, null, queue, body);
  }

  /** The JSON line (without the newline); the document is embedded as JSON, not as a string. */
  public byte[] toJson() {
    return toJson(Integer.MAX_VALUE);
  }

  /**
   * Like {@link #toJson()}, but a document longer than {@code maxDocumentBytes} is replaced by
   * {@code documentHead} (its first bytes as a string) and {@code documentBytes}.
   */
  public byte[] toJson(int maxDocumentBytes) {
    ByteArrayOutputStream out =
        new ByteArrayOutputStream(256 + (document == null ? 0 : document.length));
    try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("kind", kind.id());
      g.writeStringField("time", time.toString());
      if (origin != null) {
        g.writeObjectFieldStart("origin");
        if (origin.bucket() != null) {
          g.writeStringField("bucket", origin.bucket());
        }
        g.writeStringField("key", origin.key());
        g.writeEndObject();
      }
      if (queue != null) {
        g.writeStringField("queue", queue);
      }
      g.writeStringField("reason", reason);
      if (status > 0) {
        g.writeNumberField("status", status);
      }
      if (index != null) {
        g.writeStringField("index", index);
      }
      if (id != null) {
        g.writeStringField("id", id);
      }
      if (record > 0) {
        g.writeNumberField("record", record);
      }
      if (byteOffset >= 0) {
        g.writeNumberField("byteOffset", byteOffset);
      }
      if (skippedBytes >= 0) {
        g.writeNumberField("skippedBytes", skippedBytes);
        g.writeNumberField("skippedEvents", skippedEvents);
      }
      if (document != null) {
        if (document.length <= maxDocumentBytes) {
          g.writeFieldName("document");
          g.writeRawValue(new String(document, StandardCharsets.UTF_8));
        } else {
          g.writeNumberField("documentBytes", document.length);
          g.writeStringField(
              "documentHead",
              new String(document, 0, Math.max(0, maxDocumentBytes), StandardCharsets.UTF_8));
        }
      }
      if (message != null) {
        g.writeStringField("message", message);
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serialize a dead letter", e);
    }
    return out.toByteArray();
  }
}

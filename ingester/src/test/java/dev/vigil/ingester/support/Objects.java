package dev.vigil.ingester.support;

import dev.vigil.core.LogType;
import dev.vigil.core.parse.DocumentSink;
import dev.vigil.core.parse.ObjectParser;
import dev.vigil.core.parse.ObjectRef;
import dev.vigil.core.parse.ParsedDocument;
import dev.vigil.core.parse.Rejection;
import dev.vigil.testing.SyntheticCloudTrail;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** Test objects, notifications, and what {@link ObjectParser} makes of an object. */
public final class Objects {
  private Objects() {}

  public static byte[] gzip(byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  public static byte[] cloudTrail(int events, long seed, Instant start) {
    try (InputStream in = SyntheticCloudTrail.object(events, seed, start)) {
      return gzip(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts like gzip, then is not: the object cannot be read at all. */
  public static byte[] badGzip() {
    return new byte[] {0x1f, (byte) 0x8b, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42};
  }

  public static String cloudTrailKey(String date, String name) {
    return "AWSLogs/123456789012/CloudTrail/us-east-1/"
        + date
        + "/123456789012_CloudTrail_us-east-1_"
        + name
        + ".json.gz";
  }

  /** An S3 ObjectCreated:Put notification with the key form-encoded, as S3 sends it. */
  public static String s3Notification(String bucket, String key) {
    return """
        {"Records":[{"eventVersion":"2.1","eventSource":"aws:s3","awsRegion":"us-east-1",
         "eventTime":"2026-11-27T10:00:00.000Z","eventName":"ObjectCreated:Put",
         "s3":{"s3SchemaVersion":"1.0","bucket":{"name":"%s"},"object":{"key":"%s","size":1}}}]}
        """
        .formatted(bucket, URLEncoder.encode(key, StandardCharsets.UTF_8));
  }

  /** "index/id" of every document the parser makes of {@code content}. */
  public static List<String> expected(
      ObjectParser parser, String bucket, String key, byte[] content, LogType type) {
    List<String> out = new ArrayList<>();
    try {
      parser.parse(
          new ByteArrayInputStream(content),
          new ObjectRef(bucket, key),
          type,
          new DocumentSink() {
            @Override
            public void document(ParsedDocument d) {
              out.add(d.index() + "/" + d.id());
            }

            @Override
            public void rejected(Rejection rejection) {}
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}

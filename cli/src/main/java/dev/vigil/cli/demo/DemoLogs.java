package dev.vigil.cli.demo;

import dev.vigil.core.LogType;
import dev.vigil.core.parse.DocumentSink;
import dev.vigil.core.parse.ObjectParser;
import dev.vigil.core.parse.ObjectRef;
import dev.vigil.core.parse.ParsedDocument;
import dev.vigil.core.parse.Rejection;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * The demo's log files of one type ({@code samples/demo-logs/<type>/}), rendered for an upload
 * time, gzipped as AWS delivers them, and parsed once here with the ingester's own parser so the
 * demo knows how many documents to expect in OpenSearch.
 */
public final class DemoLogs {
  /** One object to upload. */
  public record DemoObject(String key, byte[] gzipped, long documents) {}

  private DemoLogs() {}

  /** Every file of {@code logType}, ready to put under {@code prefix} of {@code bucket}. */
  public static List<DemoObject> of(
      Path directory, String logType, String bucket, String prefix, Instant now) {
    Path dir = directory.resolve(logType);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    LogType type =
        LogType.fromId(logType)
            .orElseThrow(() -> new DemoException("unknown log type directory " + dir));
    List<DemoObject> objects = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        String name = file.getFileName().toString();
        String stem = name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
        String key = DemoLogKeys.of(logType, stem, now);
        if (prefix != null && !key.startsWith(prefix)) {
          key = prefix + key;
        }
        byte[] content =
            TimeTokens.render(Files.readString(file, StandardCharsets.UTF_8), now)
                .getBytes(StandardCharsets.UTF_8);
        objects.add(
            new DemoObject(key, gzip(content), documents(content, type, bucket, key, file)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + dir, e);
    }
    return objects;
  }

  /** Documents the ingester makes of {@code content}; a rejected record is a defect of the demo. */
  static long documents(byte[] content, LogType type, String bucket, String key, Path file)
      throws IOException {
    long[] count = {0};
    List<String> rejections = new ArrayList<>();
    ObjectParser.standard()
        .parse(
            new ByteArrayInputStream(content),
            new ObjectRef(bucket, key),
            type,
            new DocumentSink() {
              @Override
              public void document(ParsedDocument document) {
                count[0]++;
              }

              @Override
              public void rejected(Rejection rejection) {
                rejections.add("record " + rejection.record() + ": " + rejection.reason());
              }
            });
    if (!rejections.isEmpty()) {
      throw new DemoException(file + " has records the parser rejects: " + rejections);
    }
    return count[0];
  }

  private static byte[] gzip(byte[] content) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(content);
    }
    return out.toByteArray();
  }
}

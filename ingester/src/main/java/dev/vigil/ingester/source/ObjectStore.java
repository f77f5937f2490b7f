package dev.vigil.ingester.source;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** The S3 operations the ingester needs. */
public interface ObjectStore {
  /**
   * Streams an object's bytes.
   *
   * @throws NoSuchObjectException when the object (or bucket) does not exist
   */
  InputStream open(String bucket, String key) throws IOException;

  /** Reads a small object whole (a checkpoint); empty when it does not exist. */
  Optional<byte[]> read(String bucket, String key) throws IOException;

  void put(String bucket, String key, byte[] content, String contentType) throws IOException;

  /**
   * Lists keys under {@code prefix} in key order, after {@code startAfter} (null for all), handing
   * each to {@code each} as pages arrive (never the whole listing in memory).
   */
  void list(String bucket, String prefix, String startAfter, Consumer<String> each)
      throws IOException;

  /** A listed object: its key and when S3 last wrote it. */
  record Listed(String key, Instant lastModified) {}

  /**
   * Lists the objects under {@code prefix} in key order with their last-modified times, handing
   * each to {@code each} as pages arrive.
   */
  void listObjects(String bucket, String prefix, Consumer<Listed> each) throws IOException;

  /**
   * The "folders" right under {@code prefix}: the distinct key prefixes up to the next {@code /}
   * after it (a delimiter listing), in key order.
   */
  List<String> folders(String bucket, String prefix) throws IOException;

  /** The first key under {@code prefix}, empty when there is none. */
  Optional<String> firstKey(String bucket, String prefix) throws IOException;

  final class NoSuchObjectException extends IOException {
    public NoSuchObjectException(String message) {
      super(message);
    }
  }
}

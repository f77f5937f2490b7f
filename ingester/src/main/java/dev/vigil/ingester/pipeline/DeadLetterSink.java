package dev.vigil.ingester.pipeline;

import dev.vigil.core.parse.ObjectRef;
import java.io.IOException;
import java.util.List;

/** Where what can never be indexed goes, with its reason and origin (an S3 prefix or a queue). */
public interface DeadLetterSink {
  /** Writes all of {@code letters} or throws; callers retry until it succeeds. */
  void write(List<DeadLetter> letters) throws IOException;

  /**
   * True for an object this sink wrote. A bucket whose notifications cover the dead-letter prefix
   * announces each dead letter; ingesting it would fail again and loop.
   */
  default boolean wrote(ObjectRef ref) {
    return false;
  }

  /** Human-readable destination for logs, e.g. {@code s3://bucket/prefix}. */
  String describe();
}

package dev.vigil.core.parse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.vigil.core.LogType;
import java.io.IOException;

/**
 * What a parser needs while it turns one object into documents: where the object came from, the
 * reusable document builder, id and index naming, and the sink. Counts what it delivered.
 */
public final class ParseContext {
  /**
   * Shared, thread-safe factory; field names are not interned because free-form blobs have
   * unbounded key sets.
   */
  public static final JsonFactory JSON =
      JsonFactory.builder()
          .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
          .streamReadConstraints(
              StreamReadConstraints.builder().maxStringLength(64 * 1024 * 1024).build())
          .build();

  private final ObjectRef origin;
  private final DocumentSink sink;
  private final IndexNaming naming;
  private final DocumentIds ids = new DocumentIds();
  private final DocumentBuilder builder = new DocumentBuilder(JSON);
  private long documents;
  private long rejected;
  private long skipped;

  public ParseContext(ObjectRef origin, DocumentSink sink, IndexNaming naming) {
    this.origin = origin;
    this.sink = sink;
    this.naming = naming;
  }

  public ObjectRef origin() {
    return origin;
  }

  public DocumentBuilder builder() {
    return builder;
  }

  public DocumentIds ids() {
    return ids;
  }

  public IndexNaming naming() {
    return naming;
  }

  /**
   * Finishes the builder's document and hands it to the sink. The builder must have a timestamp.
   */
  public void emit(LogType type, String id) throws IOException {
    if (builder.timestamp() == null) {
      throw new IllegalStateException("a document needs an event time");
    }
    byte[] source = builder.finish(type, origin);
    sink.document(
        new ParsedDocument(
            type, naming.index(type, builder.timestamp()), id, builder.timestamp(), source));
    documents++;
  }

  public void reject(long record, long byteOffset, String reason) {
    sink.rejected(new Rejection(origin, record, byteOffset, reason));
    rejected++;
  }

  public void skip(String reason) {
    sink.skipped(origin, reason);
    skipped++;
  }

  public long documents() {
    return documents;
  }

  public long rejected() {
    return rejected;
  }

  public long skipped() {
    return skipped;
  }
}

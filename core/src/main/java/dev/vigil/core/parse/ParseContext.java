package dev.vigil.core.parse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.vigil.core.LogType;
import dev.vigil.core.geo.GeoEnrichment;
import dev.vigil.core.ingest.AccountDirectory;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

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
  private final GeoEnrichment geo;
  private final AccountDirectory accounts;
  private final DocumentBuilder builder;
  private long documents;
  private long rejected;
  private long skipped;
  private Nested nested;

  public ParseContext(ObjectRef origin, DocumentSink sink, IndexNaming naming) {
    this(origin, sink, naming, null);
  }

  /**
   * @param geo GeoIP enrichment of the documents' source and destination addresses; null for none
   */
  public ParseContext(ObjectRef origin, DocumentSink sink, IndexNaming naming, GeoEnrichment geo) {
    this(origin, sink, naming, geo, null);
  }

  /**
   * @param accounts the organization's accounts, for their names, OU paths and tags on documents;
   *     null for none
   */
  public ParseContext(
      ObjectRef origin,
      DocumentSink sink,
      IndexNaming naming,
      GeoEnrichment geo,
      AccountDirectory accounts) {
    this.origin = origin;
    this.sink = sink;
    this.naming = naming;
    this.geo = geo;
    this.accounts = accounts;
    this.builder = new DocumentBuilder(JSON, geo, accounts);
  }

  /** The organization's accounts for parsers that write documents themselves; null when none. */
  public AccountDirectory accounts() {
    return accounts;
  }

  /** GeoIP enrichment for parsers that write documents themselves; null when none is set. */
  public GeoEnrichment geo() {
    return geo;
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

  /** The top-level names the sink wants located in documents of {@code type} (null: none). */
  public String[] memberNames(LogType type) {
    return nested == null ? sink.memberNames(type) : null;
  }

  public IndexNaming naming() {
    return naming;
  }

  /**
   * Finishes the builder's document and hands it to the sink. The builder must have a timestamp.
   */
  public void emit(LogType type, String id) throws IOException {
    deliver(type, id, builder.finish(type, origin));
  }

  /** Hands over a document whose source a parser assembled itself (see {@link RawJsonWriter}). */
  public void emit(LogType type, String id, Instant timestamp, byte[] source) {
    sink.document(new ParsedDocument(type, naming.index(type, timestamp), id, timestamp, source));
    documents++;
  }

  /**
   * Hands over the document a parser assembled in {@code source}; sinks that read documents in
   * place get it without a copy, so the writer must not be touched until this returns.
   */
  public void emit(LogType type, String id, Instant timestamp, RawJsonWriter source) {
    emit(type, id, timestamp, source, null);
  }

  /**
   * As {@link #emit(LogType, String, Instant, RawJsonWriter)}, with where the source's top-level
   * members start (see {@link Members}; null when not noted).
   */
  public void emit(
      LogType type, String id, Instant timestamp, RawJsonWriter source, Members members) {
    String index = naming.index(type, timestamp);
    boolean inPlace = sink.readsDocumentsInPlace();
    ParsedDocument document =
        inPlace
            ? ParsedDocument.borrowed(type, index, id, timestamp, source.buffer(), source.length())
            : new ParsedDocument(type, index, id, timestamp, source.toByteArray());
    if (members != null) {
      document.withMembers(inPlace ? members : members.copy());
    }
    sink.document(document);
    documents++;
  }

  /**
   * As {@link #emit(LogType, String)}, for a finding whose latest state is kept too (see {@link
   * ParsedDocument.Latest}): {@code findingId} is the stable id of the finding across its updates,
   * {@code updated} the time of this update, which orders the updates.
   */
  public void emit(LogType type, String id, String findingId, Instant updated) throws IOException {
    ParsedDocument.Latest latest =
        new ParsedDocument.Latest(
            naming.latest(type), findingId, Math.max(0, updated.toEpochMilli()));
    deliver(type, id, builder.finish(type, origin), latest);
  }

  private void deliver(LogType type, String id, byte[] source) {
    deliver(type, id, source, null);
  }

  private void deliver(LogType type, String id, byte[] source, ParsedDocument.Latest latest) {
    if (builder.timestamp() == null) {
      throw new IllegalStateException("a document needs an event time");
    }
    sink.document(
        new ParsedDocument(
                type, naming.index(type, builder.timestamp()), id, builder.timestamp(), source)
            .withLatest(latest));
    documents++;
  }

  public void reject(long record, long byteOffset, String reason) {
    reject(record, byteOffset, reason, -1, -1);
  }

  /**
   * Rejects damaged input that was skipped to resume at the next readable record: {@code bytes}
   * from {@code byteOffset} on, holding {@code events} events (see {@link Rejection}).
   */
  public void rejectSkipped(long record, long byteOffset, long bytes, long events, String reason) {
    reject(record, byteOffset, reason, bytes, events);
  }

  private void reject(long record, long byteOffset, String reason, long bytes, long events) {
    if (nested != null) {
      nested.rejections.add(
          new Rejection(
              origin,
              nested.record,
              nested.byteOffset,
              nested.label
                  + (record > 0 ? ", its record " + record : "")
                  + (byteOffset >= 0 ? " at byte " + byteOffset : "")
                  + ": "
                  + reason,
              bytes,
              events));
      return;
    }
    sink.rejected(new Rejection(origin, record, byteOffset, reason, bytes, events));
    rejected++;
  }

  /**
   * Starts handing a payload embedded in record {@code record} of this object (a CloudWatch Logs
   * event's message) to another type's parser with this same context: its documents go to the sink
   * as usual, positional ids are scoped by {@code label} so they stay distinct between outer
   * records, and its rejections are held, reworded to name the outer record, until {@link
   * #endNested}.
   */
  public void beginNested(long record, long byteOffset, String label) {
    if (nested != null) {
      throw new IllegalStateException("already parsing an embedded payload");
    }
    nested = new Nested(record, byteOffset, label, documents);
    ids.scope(label);
  }

  /**
   * Ends the embedded payload begun with {@link #beginNested}. The held rejections are returned,
   * not reported: the caller reports them with {@link #reject} or, when the embedded parser made
   * nothing of the payload, may keep the payload another way instead.
   */
  public NestedOutcome endNested() {
    if (nested == null) {
      throw new IllegalStateException("not parsing an embedded payload");
    }
    NestedOutcome outcome =
        new NestedOutcome(documents - nested.documentsBefore, List.copyOf(nested.rejections));
    nested = null;
    ids.scope("");
    return outcome;
  }

  /** What the parser of an embedded payload made of it. */
  public record NestedOutcome(long documents, List<Rejection> rejections) {}

  private static final class Nested {
    final long record;
    final long byteOffset;
    final String label;
    final long documentsBefore;
    final List<Rejection> rejections = new ArrayList<>();

    Nested(long record, long byteOffset, String label, long documentsBefore) {
      this.record = record;
      this.byteOffset = byteOffset;
      this.label = label;
      this.documentsBefore = documentsBefore;
    }
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

package dev.vigil.core.parse;

/** Receives what a parser makes of an object, in order. */
public interface DocumentSink {
  void document(ParsedDocument document);

  /** A record or object that was not indexed; the records around it are still delivered. */
  void rejected(Rejection rejection);

  /**
   * Something deliberately not indexed (a CloudTrail digest, a CloudWatch Logs control message).
   */
  default void skipped(ObjectRef origin, String reason) {}

  /**
   * True when this sink is done with each document once {@link #document} returns (it copies what
   * it keeps, e.g. into a bulk body): parsers may then hand over documents whose source still lies
   * in their own buffer, which saves allocating and copying every source once more. False (the
   * default) for sinks that keep the documents themselves.
   */
  default boolean readsDocumentsInPlace() {
    return false;
  }

  /**
   * The top-level names whose values this sink reads from documents of {@code type} (null: none): a
   * parser that writes documents itself notes where they lie ({@link ParsedDocument#members()}), so
   * the sink need not scan the document again to find them. Asked once per object.
   */
  default String[] memberNames(dev.vigil.core.LogType type) {
    return null;
  }
}

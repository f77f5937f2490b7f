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
}

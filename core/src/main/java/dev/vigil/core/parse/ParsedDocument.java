package dev.vigil.core.parse;

import dev.vigil.core.LogType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/**
 * One normalized document ready for {@code _bulk}: target index, deterministic id and the JSON
 * source as UTF-8 bytes (never a tree: the hot path copies tokens straight from the input).
 *
 * <p>A document handed to a sink that {@link DocumentSink#readsDocumentsInPlace reads documents in
 * place} may be <em>borrowed</em>: its source still lies in the parser's buffer and stays valid
 * only until {@link DocumentSink#document} returns. {@link #copySourceTo} and {@link #sourceLength}
 * read it without a copy; {@link #source()} always returns bytes the caller may keep.
 */
public final class ParsedDocument {
  private final LogType type;
  private final String index;
  private final String id;
  private final Instant timestamp;
  private final byte[] buffer;
  private final int length;
  private byte[] owned;
  private Members members;
  private Latest latest;

  /**
   * Where the document's finding is kept in its latest state besides this per-update document:
   * {@code _id} stable across the finding's updates, and {@code version} (epoch millis of the
   * update) written as an external version, so OpenSearch keeps the newest update whatever order
   * updates arrive in.
   */
  public record Latest(String index, String id, long version) {}

  /** A document that owns {@code source}. */
  public ParsedDocument(LogType type, String index, String id, Instant timestamp, byte[] source) {
    this(type, index, id, timestamp, source, source.length);
    this.owned = source;
  }

  private ParsedDocument(
      LogType type, String index, String id, Instant timestamp, byte[] buffer, int length) {
    this.type = type;
    this.index = index;
    this.id = id;
    this.timestamp = timestamp;
    this.buffer = buffer;
    this.length = length;
  }

  /** A document whose source is {@code buffer[0, length)}, valid only during the sink's call. */
  static ParsedDocument borrowed(
      LogType type, String index, String id, Instant timestamp, byte[] buffer, int length) {
    return new ParsedDocument(type, index, id, timestamp, buffer, length);
  }

  public LogType type() {
    return type;
  }

  public String index() {
    return index;
  }

  public String id() {
    return id;
  }

  public Instant timestamp() {
    return timestamp;
  }

  /** The source's UTF-8 bytes, the caller's to keep (a borrowed source is copied on first call). */
  public byte[] source() {
    if (owned == null) {
      owned = Arrays.copyOf(buffer, length);
    }
    return owned;
  }

  public int sourceLength() {
    return length;
  }

  /**
   * The array the source lies in, as {@code [0, sourceLength())} — for a borrowed document the
   * parser's own buffer, valid only during the sink's call: for readers that look at the document
   * where the parser wrote it (with {@link #members()}) instead of copying it. Never write to it.
   */
  public byte[] sourceBuffer() {
    return buffer;
  }

  /** Copies the source into {@code target} at {@code at}, without an intermediate array. */
  public void copySourceTo(byte[] target, int at) {
    System.arraycopy(buffer, 0, target, at, length);
  }

  /**
   * Where the source's top-level members start, when the parser noted it (else null): valid only
   * during the sink's call, like a borrowed source.
   */
  public Members members() {
    return members;
  }

  ParsedDocument withMembers(Members members) {
    this.members = members;
    return this;
  }

  /** The latest-state copy this document also makes, or null (see {@link Latest}). */
  public Latest latest() {
    return latest;
  }

  ParsedDocument withLatest(Latest latest) {
    this.latest = latest;
    return this;
  }

  /** Whether the source still lies in the parser's buffer (for tests). */
  boolean isBorrowed() {
    return owned == null;
  }

  public String sourceAsString() {
    return new String(buffer, 0, length, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "ParsedDocument[type=" + type + ", index=" + index + ", id=" + id + "]";
  }
}

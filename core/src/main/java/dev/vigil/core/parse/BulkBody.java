package dev.vigil.core.parse;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An OpenSearch {@code _bulk} request body (NDJSON: an {@code index} action line, then the document
 * source) built from parsed documents without re-serializing their sources. Not thread-safe; reuse
 * it with {@link #reset}.
 */
public final class BulkBody {
  private static final byte[] ACTION_START =
      "{\"index\":{\"_index\":\"".getBytes(StandardCharsets.UTF_8);
  private static final byte[] ACTION_ID = "\",\"_id\":\"".getBytes(StandardCharsets.UTF_8);
  private static final byte[] ACTION_END = "\"}}\n".getBytes(StandardCharsets.UTF_8);
  private static final byte[] VERSION = "\",\"version\":".getBytes(StandardCharsets.UTF_8);
  // external_gte: an update replaces the finding's document only when it is at least as new, and
  // the same update sent again (a retry, a replayed object) is accepted, not a conflict.
  private static final byte[] VERSION_END =
      ",\"version_type\":\"external_gte\"}}\n".getBytes(StandardCharsets.UTF_8);

  private byte[] body;
  private int length;
  private int documents;
  // Consecutive documents nearly always go to the same index: the action line up to the id is
  // encoded once for it.
  private String lastIndex;
  private byte[] lastActionStart;

  public BulkBody(int initialBytes) {
    this.body = new byte[Math.max(initialBytes, 1024)];
  }

  public void add(ParsedDocument document) {
    String id = document.id();
    int sourceLength = document.sourceLength();
    ensure(
        ACTION_START.length
            + ACTION_ID.length
            + ACTION_END.length
            + id.length() * 6
            + sourceLength
            + 256);
    append(actionStart(document.index()));
    appendJsonStringContent(id);
    append(ACTION_END);
    document.copySourceTo(body, length);
    length += sourceLength;
    body[length++] = '\n';
    documents++;
  }

  /**
   * Adds the document's latest-state copy ({@link ParsedDocument#latest()}, which must be set): its
   * source again, to the latest-state index under the finding's stable id with the update's
   * external version.
   */
  public void addLatest(ParsedDocument document) {
    ParsedDocument.Latest latest = document.latest();
    ensure(
        ACTION_START.length
            + ACTION_ID.length
            + VERSION.length
            + VERSION_END.length
            + latest.id().length() * 6
            + latest.index().length() * 6
            + 20
            + document.sourceLength()
            + 1);
    append(ACTION_START);
    appendJsonStringContent(latest.index());
    append(ACTION_ID);
    appendJsonStringContent(latest.id());
    append(VERSION);
    append(Long.toString(latest.version()).getBytes(StandardCharsets.US_ASCII));
    append(VERSION_END);
    document.copySourceTo(body, length);
    length += document.sourceLength();
    body[length++] = '\n';
    documents++;
  }

  public int documents() {
    return documents;
  }

  public int bytes() {
    return length;
  }

  /** Writes the body without copying it first (e.g. to an HTTP request stream). */
  public void writeTo(OutputStream out) throws IOException {
    out.write(body, 0, length);
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(body, length);
  }

  public void reset() {
    length = 0;
    documents = 0;
  }

  private void append(byte[] bytes) {
    ensure(bytes.length);
    System.arraycopy(bytes, 0, body, length, bytes.length);
    length += bytes.length;
  }

  // Ids taken from logs (eventID, requestId) are plain ASCII in practice: copied in one pass, and
  // only a value with anything else is escaped.
  private void appendJsonStringContent(String value) {
    int n = value.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
        append(JsonStringEncoder.getInstance().quoteAsUTF8(value));
        return;
      }
      body[length + i] = (byte) c;
    }
    length += n;
  }

  private byte[] actionStart(String index) {
    if (!index.equals(lastIndex)) {
      byte[] name = JsonStringEncoder.getInstance().quoteAsUTF8(index);
      byte[] start = new byte[ACTION_START.length + name.length + ACTION_ID.length];
      System.arraycopy(ACTION_START, 0, start, 0, ACTION_START.length);
      System.arraycopy(name, 0, start, ACTION_START.length, name.length);
      System.arraycopy(ACTION_ID, 0, start, ACTION_START.length + name.length, ACTION_ID.length);
      lastIndex = index;
      lastActionStart = start;
    }
    return lastActionStart;
  }

  private void ensure(int n) {
    if (length + n > body.length) {
      body = Arrays.copyOf(body, Math.max(body.length * 2, length + n));
    }
  }
}

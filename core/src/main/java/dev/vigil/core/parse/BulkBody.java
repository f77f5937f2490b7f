package dev.vigil.core.parse;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * An OpenSearch {@code _bulk} request body (NDJSON: an {@code index} action line, then the document
 * source) built from parsed documents without re-serializing their sources.
 */
public final class BulkBody {
  private static final byte[] ACTION_START =
      "{\"index\":{\"_index\":\"".getBytes(StandardCharsets.UTF_8);
  private static final byte[] ACTION_ID = "\",\"_id\":\"".getBytes(StandardCharsets.UTF_8);
  private static final byte[] ACTION_END = "\"}}\n".getBytes(StandardCharsets.UTF_8);

  private final ByteArrayOutputStream body;
  private int documents;

  public BulkBody(int initialBytes) {
    this.body = new ByteArrayOutputStream(initialBytes);
  }

  public void add(ParsedDocument document) {
    body.writeBytes(ACTION_START);
    writeJsonStringContent(document.index());
    body.writeBytes(ACTION_ID);
    writeJsonStringContent(document.id());
    body.writeBytes(ACTION_END);
    body.writeBytes(document.source());
    body.write('\n');
    documents++;
  }

  public int documents() {
    return documents;
  }

  public int bytes() {
    return body.size();
  }

  public byte[] toByteArray() {
    return body.toByteArray();
  }

  public void reset() {
    body.reset();
    documents = 0;
  }

  private void writeJsonStringContent(String value) {
    body.writeBytes(JsonStringEncoder.getInstance().quoteAsUTF8(value));
  }
}

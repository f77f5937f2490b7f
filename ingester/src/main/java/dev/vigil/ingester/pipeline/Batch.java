package dev.vigil.ingester.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.core.LogType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * The documents of one bulk request: the NDJSON body as sent, where each item (action line and
 * source line) starts in it, and the object and type of each. Retries send a subset of the items;
 * dead letters take an item's source from the body, so no document is kept twice.
 */
final class Batch {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final byte[] body;
  private final int[] starts;
  private final ObjectWork[] owners;
  private final LogType[] types;
  private final boolean[] latest;

  Batch(byte[] body, int[] starts, ObjectWork[] owners, LogType[] types, boolean[] latest) {
    if (starts.length != owners.length + 1
        || types.length != owners.length
        || latest.length != owners.length) {
      throw new IllegalArgumentException("starts must have one entry more than the items");
    }
    this.body = body;
    this.starts = starts;
    this.owners = owners;
    this.types = types;
    this.latest = latest;
  }

  byte[] body() {
    return body;
  }

  int size() {
    return owners.length;
  }

  int bytes() {
    return body.length;
  }

  ObjectWork owner(int item) {
    return owners[item];
  }

  LogType type(int item) {
    return types[item];
  }

  /**
   * Whether the item writes a finding's latest state (an externally versioned write, which
   * OpenSearch refuses with a version conflict when the index already holds a newer update).
   */
  boolean isLatest(int item) {
    return latest[item];
  }

  /** The items at {@code items} (ascending), as a new batch. */
  Batch subset(int[] items) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int[] newStarts = new int[items.length + 1];
    ObjectWork[] newOwners = new ObjectWork[items.length];
    LogType[] newTypes = new LogType[items.length];
    boolean[] newLatest = new boolean[items.length];
    for (int i = 0; i < items.length; i++) {
      int item = items[i];
      newStarts[i] = out.size();
      out.write(body, starts[item], starts[item + 1] - starts[item]);
      newOwners[i] = owners[item];
      newTypes[i] = types[item];
      newLatest[i] = latest[item];
    }
    newStarts[items.length] = out.size();
    return new Batch(out.toByteArray(), newStarts, newOwners, newTypes, newLatest);
  }

  /** Items {@code from} (inclusive) to {@code to} (exclusive). */
  Batch range(int from, int to) {
    int[] items = new int[to - from];
    Arrays.setAll(items, i -> from + i);
    return subset(items);
  }

  /** The document source of an item (its second line). */
  byte[] source(int item) {
    int newline = newline(item);
    int end = starts[item + 1] - 1; // the item's trailing newline
    return Arrays.copyOfRange(body, newline + 1, Math.max(newline + 1, end));
  }

  /** The item's {@code _index} and {@code _id}, read back from its action line. */
  String[] target(int item) {
    try {
      JsonNode action =
          JSON.readTree(body, starts[item], newline(item) - starts[item]).path("index");
      return new String[] {action.path("_index").asText(null), action.path("_id").asText(null)};
    } catch (IOException e) {
      return new String[] {null, null};
    }
  }

  private int newline(int item) {
    for (int i = starts[item]; i < starts[item + 1]; i++) {
      if (body[i] == '\n') {
        return i;
      }
    }
    throw new IllegalStateException("bulk item " + item + " has no action line");
  }
}

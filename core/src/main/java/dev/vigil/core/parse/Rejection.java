package dev.vigil.core.parse;

/**
 * A record (or, with {@code record == 0}, a whole object) that could not be turned into a document.
 * {@code record} is 1-based within the object; {@code byteOffset} is the position in the
 * decompressed stream, -1 when unknown.
 */
public record Rejection(ObjectRef origin, long record, long byteOffset, String reason) {
  @Override
  public String toString() {
    StringBuilder where = new StringBuilder(origin.toString());
    if (record > 0) {
      where.append(" record ").append(record);
    }
    if (byteOffset >= 0) {
      where.append(" at byte ").append(byteOffset);
    }
    return where + ": " + reason;
  }
}

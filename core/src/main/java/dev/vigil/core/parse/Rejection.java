package dev.vigil.core.parse;

/**
 * A record (or, with {@code record == 0}, a whole object) that could not be turned into a document.
 * {@code record} is 1-based within the object; {@code byteOffset} is the position in the
 * decompressed stream, -1 when unknown.
 *
 * <p>A rejection of damaged input that was skipped to resume at the next readable record also says
 * how much was skipped: {@code skippedBytes} from {@code byteOffset} on, holding {@code
 * skippedEvents} events that started there (the damaged one, or none for bytes between records).
 * Both are -1 for a rejection of one well-delimited record.
 */
public record Rejection(
    ObjectRef origin,
    long record,
    long byteOffset,
    String reason,
    long skippedBytes,
    long skippedEvents) {

  public Rejection(ObjectRef origin, long record, long byteOffset, String reason) {
    this(origin, record, byteOffset, reason, -1, -1);
  }

  /** Whether this rejection stands for a skipped range of damaged input. */
  public boolean isSkippedRange() {
    return skippedBytes >= 0;
  }

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

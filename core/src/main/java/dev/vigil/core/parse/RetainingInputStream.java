package dev.vigil.core.parse;

import java.io.IOException;
import java.io.InputStream;

/**
 * Passes bytes through to a streaming parser while keeping those it has read since the last {@link
 * #release}, so a parser that knows a record's byte offsets can copy the record's raw bytes instead
 * of re-serializing its tokens. Memory stays bounded by the largest record plus the parser's
 * read-ahead.
 */
public final class RetainingInputStream extends InputStream {
  private final InputStream in;
  private byte[] buffer = new byte[256 * 1024];
  private int start; // buffer index of absolute offset `base`
  private int end;
  private long base; // absolute stream offset of buffer[start]

  public RetainingInputStream(InputStream in) {
    this.in = in;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] target, int offset, int length) throws IOException {
    int n = in.read(target, offset, length);
    if (n > 0) {
      ensureRoom(n);
      System.arraycopy(target, offset, buffer, end, n);
      end += n;
    }
    return n;
  }

  /** Bytes before {@code offset} are no longer needed. */
  public void release(long offset) {
    long drop = Math.min(offset - base, end - start);
    if (drop > 0) {
      start += (int) drop;
      base += drop;
    }
  }

  /**
   * Copies the retained bytes {@code [from, to)} (absolute stream offsets) into {@code target} at
   * {@code at}.
   */
  public void copy(long from, long to, byte[] target, int at) {
    if (from < base || to > base + (end - start) || from > to) {
      throw new IllegalArgumentException(
          "bytes "
              + from
              + ".."
              + to
              + " are not retained (have "
              + base
              + ".."
              + (base + end - start)
              + ")");
    }
    System.arraycopy(buffer, start + (int) (from - base), target, at, (int) (to - from));
  }

  /**
   * The retained bytes {@code [from, to)} as characters, one per byte, without a copy: for testing
   * raw ASCII tokens (a byte of a multi-byte character reads as a non-ASCII character). Valid until
   * the next read or release.
   */
  public CharSequence bytesAsChars(long from, long to) {
    if (from < base || to > base + (end - start) || from > to) {
      throw new IllegalArgumentException("bytes " + from + ".." + to + " are not retained");
    }
    return new ByteChars(buffer, start + (int) (from - base), (int) (to - from));
  }

  private record ByteChars(byte[] bytes, int offset, int length) implements CharSequence {
    @Override
    public char charAt(int index) {
      return (char) (bytes[offset + index] & 0xff);
    }

    @Override
    public CharSequence subSequence(int from, int to) {
      return new ByteChars(bytes, offset + from, to - from);
    }

    @Override
    public String toString() {
      return new String(bytes, offset, length, java.nio.charset.StandardCharsets.ISO_8859_1);
    }
  }

  private void ensureRoom(int n) {
    if (end + n <= buffer.length) {
      return;
    }
    int kept = end - start;
    // Grow when more than half is still needed (a large record); otherwise just move the kept bytes
    // down.
    byte[] target =
        kept + n > buffer.length / 2 ? new byte[Math.max(buffer.length * 2, kept + n)] : buffer;
    System.arraycopy(buffer, start, target, 0, kept);
    buffer = target;
    start = 0;
    end = kept;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}

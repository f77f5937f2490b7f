package dev.vigil.core.parse;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Assembles a JSON document from byte slices: raw tokens copied from the input (already valid,
 * escaped JSON), ASCII constants, and the odd computed string. For hot paths where re-encoding
 * values through a generator costs more than the rest of the work.
 */
public final class RawJsonWriter {
  private byte[] bytes = new byte[4096];
  private int length;

  public RawJsonWriter reset() {
    length = 0;
    return this;
  }

  /** Appends retained input bytes {@code [from, to)}. */
  public RawJsonWriter raw(JsonScanner input, long from, long to) {
    int n = (int) (to - from);
    ensure(n);
    input.copy(from, to, bytes, length);
    length += n;
    return this;
  }

  /** Appends pre-encoded bytes. */
  public RawJsonWriter bytes(byte[] constant) {
    ensure(constant.length);
    System.arraycopy(constant, 0, bytes, length, constant.length);
    length += constant.length;
    return this;
  }

  /**
   * Appends text known to be plain ASCII needing no escaping (field names, punctuation, fixed
   * values).
   */
  public RawJsonWriter ascii(String text) {
    ensure(text.length());
    for (int i = 0; i < text.length(); i++) {
      bytes[length++] = (byte) text.charAt(i);
    }
    return this;
  }

  /** Appends any string as a quoted, escaped JSON string. */
  public RawJsonWriter string(String text) {
    byte[] escaped =
        com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsUTF8(text);
    ensure(escaped.length + 2);
    bytes[length++] = '"';
    System.arraycopy(escaped, 0, bytes, length, escaped.length);
    length += escaped.length;
    bytes[length++] = '"';
    return this;
  }

  /**
   * Replaces raw line breaks in {@code [from, length)} by spaces (they can only be whitespace in
   * valid JSON).
   */
  public RawJsonWriter flattenLineBreaks(int from) {
    for (int i = from; i < length; i++) {
      if (bytes[i] == '\n' || bytes[i] == '\r') {
        bytes[i] = ' ';
      }
    }
    return this;
  }

  public int length() {
    return length;
  }

  /** The buffer holding the bytes written so far, {@code [0, length())}; reused after reset. */
  byte[] buffer() {
    return bytes;
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(bytes, length);
  }

  @Override
  public String toString() {
    return new String(bytes, 0, length, StandardCharsets.UTF_8);
  }

  private void ensure(int n) {
    if (length + n > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + n));
    }
  }
}

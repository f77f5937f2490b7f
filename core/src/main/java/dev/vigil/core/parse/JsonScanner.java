package dev.vigil.core.parse;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * A validating JSON scanner over a byte stream that builds no tokens: it walks values, checks them
 * against the JSON grammar (structure, strings with their escapes and UTF-8, numbers, literals,
 * nesting depth) and reports where each one lies, so a parser can pick out a few values and copy
 * the rest of a record as its raw bytes. The bytes from {@link #retainFrom} on stay readable
 * ({@link #copy}); memory stays bounded by the largest record plus one read.
 *
 * <p>Skipping a value this way does far less than a tokenizer, which names every field, decodes
 * every string and tracks locations token by token: the CloudTrail hot path uses it instead of
 * Jackson, which still reads anything unusual (see {@code CloudTrailParser}).
 */
public final class JsonScanner {
  /** Jackson's default limit too: deeper input is refused rather than risk the stack. */
  public static final int MAX_DEPTH = 1000;

  /** Jackson's limit on one string as Vigil configures it; one record may not exceed it either. */
  public static final int MAX_RECORD = 64 * 1024 * 1024;

  /** Jackson's default limit on a number's length. */
  public static final int MAX_NUMBER_LENGTH = 1000;

  private static final int READ = 64 * 1024;

  // What a byte means inside a string.
  private static final byte PLAIN = 0;
  private static final byte QUOTE = 1;
  private static final byte BACKSLASH = 2;
  private static final byte CONTROL = 3;
  private static final byte INVALID = 4;
  // UTF-8 lead bytes are their count of continuation bytes + 4: 5, 6, 7.
  private static final byte[] STRING_BYTES = new byte[256];

  static {
    for (int b = 0; b < 0x20; b++) {
      STRING_BYTES[b] = CONTROL;
    }
    STRING_BYTES['"'] = QUOTE;
    STRING_BYTES['\\'] = BACKSLASH;
    for (int b = 0x80; b < 0x100; b++) {
      STRING_BYTES[b] = (byte) (b <= 0xdf ? 5 : b <= 0xef ? 6 : 7);
      if (b < 0xc2 || b > 0xf4) {
        STRING_BYTES[b] = INVALID; // continuation bytes, overlong leads, beyond U+10FFFF
      }
    }
  }

  private final InputStream in;
  private byte[] buf;
  private int pos;
  private int end;
  private long base; // stream offset of buf[0]
  private long retained; // stream offset from which bytes are kept
  private boolean eof;
  private int lines = 1;
  private int lineBreaks;
  private boolean plainString;

  public JsonScanner(InputStream in) {
    this.in = in;
    // A small in-memory payload (a CloudWatch Logs message holding one event) gets a buffer its
    // size, not one sized for streaming a large object.
    int known = 0;
    try {
      known = in.available();
    } catch (IOException e) {
      // unknown size: the streaming buffer
    }
    this.buf = new byte[known > 0 && known < 4 * READ ? known + 1 : 4 * READ];
  }

  private JsonScanner(byte[] bytes, int length) {
    this.in = null;
    this.buf = bytes;
    this.end = length;
    this.eof = true;
  }

  /**
   * A scanner over {@code bytes[0, length)} in place (no copy, never written to): for reading parts
   * of a document already in memory, in any order, with {@link #seek}.
   */
  public static JsonScanner over(byte[] bytes, int length) {
    return new JsonScanner(bytes, length);
  }

  /** Goes to {@code offset} of a scanner made {@link #over} an array (line counts are not kept). */
  public void seek(long offset) {
    if (in != null || offset < 0 || offset > end) {
      throw new IllegalArgumentException("cannot seek to " + offset);
    }
    pos = (int) offset;
  }

  /** Stream offset of the next byte. */
  public long offset() {
    return base + pos;
  }

  /** The line of the next byte, for messages. */
  public int line() {
    return lines;
  }

  /** How many line breaks were skipped as whitespace so far (a record spans lines if it grows). */
  public int lineBreaks() {
    return lineBreaks;
  }

  /** Keeps the bytes from {@code offset} (at most {@link #offset()}) on readable. */
  public void retainFrom(long offset) {
    retained = offset;
  }

  /** The offset from which bytes are kept (see {@link #retainFrom}). */
  public long retained() {
    return retained;
  }

  /**
   * Goes back to {@code offset}, which must still be retained, for reading again from there (to try
   * a place to resume after damage, and give up on it). Line counts go back with it.
   */
  public void rewind(long offset) {
    int to = index(offset, offset);
    if (to > pos) {
      throw new IllegalArgumentException("cannot rewind forward to " + offset);
    }
    for (int i = to; i < pos; i++) {
      if (buf[i] == '\n') {
        lines--;
        lineBreaks--;
      } else if (buf[i] == '\r') {
        lineBreaks--;
      }
    }
    pos = to;
  }

  /**
   * Consumes and returns the next byte as it is, whitespace included, without checking anything; -1
   * at the end of the input. For looking for a place to resume after damage.
   */
  public int rawByte() throws IOException {
    int c = nextOrEnd();
    if (c == '\n') {
      lines++;
      lineBreaks++;
    } else if (c == '\r') {
      lineBreaks++;
    }
    return c;
  }

  /** Skips whitespace; returns the next byte, not consumed, or -1 at the end of the input. */
  public int peek() throws IOException {
    while (true) {
      while (pos < end) {
        byte b = buf[pos];
        if (b == ' ' || b == '\t') {
          pos++;
        } else if (b == '\n' || b == '\r') {
          lineBreaks++;
          if (b == '\n') {
            lines++;
          }
          pos++;
        } else {
          return b & 0xff;
        }
      }
      if (!fill()) {
        return -1;
      }
    }
  }

  /** Consumes the byte {@link #peek} returned. */
  public void advance() {
    pos++;
  }

  /** Consumes {@code c} after optional whitespace, or fails naming what was expected. */
  public void expect(char c) throws IOException {
    if (peek() != c) {
      throw unexpected("'" + c + "'");
    }
    pos++;
  }

  /**
   * Reads a field name and its colon; returns the name's index in {@code names}, or -1 for other
   * names.
   */
  public int name(Names names) throws IOException {
    if (peek() != '"') {
      throw unexpected("a field name");
    }
    long from = offset();
    string();
    int found =
        plainString
            ? names.find(buf, (int) (from - base) + 1, pos - 1)
            : names.find(text(from, offset()));
    expect(':');
    return found;
  }

  /** Reads a field name and its colon, and returns the name. */
  public String nameText() throws IOException {
    if (peek() != '"') {
      throw unexpected("a field name");
    }
    long from = offset();
    string();
    String name = text(from, offset());
    expect(':');
    return name;
  }

  /** Consumes the string at hand (the next byte is its opening quote). */
  public void string() throws IOException {
    pos++;
    boolean plain = true;
    while (true) {
      byte[] b = buf;
      int p = pos;
      int e = end;
      while (p < e && STRING_BYTES[b[p] & 0xff] == PLAIN) {
        p++;
      }
      pos = p;
      if (p == e) {
        if (!fill()) {
          throw malformed("the input ends inside a string");
        }
        continue;
      }
      int kind = STRING_BYTES[b[p] & 0xff];
      pos++;
      if (kind == QUOTE) {
        plainString = plain;
        return;
      }
      plain = false;
      if (kind == BACKSLASH) {
        escape();
      } else if (kind == CONTROL) {
        pos--;
        throw malformed(String.format("control character 0x%02x inside a string", b[p] & 0xff));
      } else if (kind == INVALID) {
        pos--;
        throw malformed(String.format("invalid UTF-8 byte 0x%02x", b[p] & 0xff));
      } else {
        for (int i = kind - 4; i > 0; i--) {
          if ((next("inside a string") & 0xc0) != 0x80) {
            pos--;
            throw malformed("invalid UTF-8 continuation byte");
          }
        }
      }
    }
  }

  /**
   * The text of the string {@code [from, to)} (quotes included) scanned last: plain ASCII is read
   * as is, anything else decoded.
   */
  public String lastStringText(long from, long to) throws IOException {
    int start = (int) (from - base) + 1;
    return plainString
        ? new String(buf, start, (int) (to - from) - 2, StandardCharsets.ISO_8859_1)
        : text(from, to);
  }

  /**
   * The index in {@code names} of the string {@code [from, to)} (quotes included) scanned last, or
   * -1: plain ASCII is looked up by its raw bytes, anything else decoded first.
   */
  public int lastStringIn(Names names, long from, long to) throws IOException {
    int start = (int) (from - base) + 1;
    return plainString
        ? names.find(buf, start, start + (int) (to - from) - 2)
        : names.find(text(from, to));
  }

  /** Skips the value at hand, checking it. */
  public void skipValue() throws IOException {
    skipValue(0);
  }

  private void skipValue(int depth) throws IOException {
    int c = peek();
    switch (c) {
      case '"' -> string();
      case '{' -> object(depth + 1);
      case '[' -> array(depth + 1);
      case 't' -> literal("true");
      case 'f' -> literal("false");
      case 'n' -> literal("null");
      case -1 -> throw malformed("the input ends where a value was expected");
      default -> {
        if (c == '-' || (c >= '0' && c <= '9')) {
          number();
        } else {
          throw unexpected("a value");
        }
      }
    }
  }

  private void object(int depth) throws IOException {
    checkDepth(depth);
    pos++;
    int c = peek();
    if (c == '}') {
      pos++;
      return;
    }
    while (true) {
      if (c != '"') {
        throw unexpected("a field name");
      }
      string();
      expect(':');
      skipValue(depth);
      c = peek();
      pos++;
      if (c == '}') {
        return;
      }
      if (c != ',') {
        pos--;
        throw unexpected("',' or '}'");
      }
      c = peek();
    }
  }

  private void array(int depth) throws IOException {
    checkDepth(depth);
    pos++;
    if (peek() == ']') {
      pos++;
      return;
    }
    while (true) {
      skipValue(depth);
      int c = peek();
      pos++;
      if (c == ']') {
        return;
      }
      if (c != ',') {
        pos--;
        throw unexpected("',' or ']'");
      }
    }
  }

  private void checkDepth(int depth) throws MalformedJsonException {
    if (depth > MAX_DEPTH) {
      throw malformed("nesting deeper than " + MAX_DEPTH + " levels");
    }
  }

  private void literal(String word) throws IOException {
    for (int i = 0; i < word.length(); i++) {
      int c = nextOrEnd();
      if (c < 0) {
        throw malformed("the input ends inside '" + word + "'"); // the message only when thrown
      }
      if (c != word.charAt(i)) {
        pos--;
        throw unexpected("'" + word + "'");
      }
    }
  }

  // -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
  private void number() throws IOException {
    long start = offset();
    int c = nextOrEnd();
    if (c == '-') {
      c = nextOrEnd();
    }
    if (c == '0') {
      c = nextOrEnd();
    } else if (c >= '1' && c <= '9') {
      c = digits();
    } else {
      throw badNumber();
    }
    if (c == '.') {
      if (!isDigit(nextOrEnd())) {
        throw badNumber();
      }
      c = digits();
    }
    if (c == 'e' || c == 'E') {
      c = nextOrEnd();
      if (c == '+' || c == '-') {
        c = nextOrEnd();
      }
      if (!isDigit(c)) {
        throw badNumber();
      }
      c = digits();
    }
    if (c >= 0) {
      pos--; // the byte after the number is not part of it (callers check what follows a value)
    }
    if (offset() - start > MAX_NUMBER_LENGTH) {
      throw malformed("a number longer than " + MAX_NUMBER_LENGTH + " characters");
    }
  }

  private int digits() throws IOException {
    int c;
    do {
      c = nextOrEnd();
    } while (isDigit(c));
    return c;
  }

  private static boolean isDigit(int c) {
    return c >= '0' && c <= '9';
  }

  private void escape() throws IOException {
    int c = next("inside an escape");
    switch (c) {
      case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> {}
      case 'u' -> {
        for (int i = 0; i < 4; i++) {
          int h = next("inside an escape");
          if (!isDigit(h) && !(h >= 'a' && h <= 'f') && !(h >= 'A' && h <= 'F')) {
            pos--;
            throw malformed("invalid \\u escape inside a string");
          }
        }
      }
      default -> {
        pos--;
        throw malformed("invalid escape '\\" + (char) c + "' inside a string");
      }
    }
  }

  private int next(String where) throws IOException {
    int c = nextOrEnd();
    if (c < 0) {
      throw malformed("the input ends " + where);
    }
    return c;
  }

  private int nextOrEnd() throws IOException {
    if (pos == end && !fill()) {
      return -1;
    }
    return buf[pos++] & 0xff;
  }

  /** Whether the retained bytes {@code [from, to)} hold {@code c}. */
  public boolean holds(char c, long from, long to) {
    int start = index(from, to);
    int stop = start + (int) (to - from);
    for (int i = start; i < stop; i++) {
      if (buf[i] == c) {
        return true;
      }
    }
    return false;
  }

  /** The value at {@code offset} (retained), as an unsigned byte. */
  public int byteAt(long offset) {
    return buf[index(offset, offset + 1)] & 0xff;
  }

  /** Copies the retained bytes {@code [from, to)} into {@code target} at {@code at}. */
  public void copy(long from, long to, byte[] target, int at) {
    System.arraycopy(buf, index(from, to), target, at, (int) (to - from));
  }

  private int index(long from, long to) {
    if (from < base || to > base + end || from > to) {
      throw new IllegalArgumentException(
          "bytes "
              + from
              + ".."
              + to
              + " are not retained (have "
              + base
              + ".."
              + (base + end)
              + ")");
    }
    return (int) (from - base);
  }

  /**
   * The retained bytes {@code [from, to)} as characters, one per byte, without a copy: for testing
   * raw ASCII tokens (a byte of a multi-byte character reads as a non-ASCII character). Valid until
   * the scanner reads on.
   */
  public CharSequence bytesAsChars(long from, long to) {
    return new ByteChars(buf, index(from, to), (int) (to - from));
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
      return new String(bytes, offset, length, StandardCharsets.ISO_8859_1);
    }
  }

  /** Decodes the JSON string {@code [from, to)}, quotes included, escapes and all. */
  private String text(long from, long to) throws IOException {
    try (var parser = ParseContext.JSON.createParser(buf, index(from, to), (int) (to - from))) {
      parser.nextToken();
      return parser.getText();
    }
  }

  /** Reads more input, keeping the retained bytes; false at the end of the input. */
  private boolean fill() throws IOException {
    if (eof) {
      return false;
    }
    if (buf.length - end < READ) {
      int keep = (int) Math.max(0, Math.min(retained - base, pos));
      if (keep > 0) {
        System.arraycopy(buf, keep, buf, 0, end - keep);
        base += keep;
        pos -= keep;
        end -= keep;
      }
      if (end == buf.length) {
        if (end >= MAX_RECORD) {
          throw malformed("a record larger than " + (MAX_RECORD >> 20) + " MiB");
        }
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, 4 * READ)); // a record larger than it
      }
    }
    int n;
    do {
      n = in.read(buf, end, buf.length - end);
    } while (n == 0);
    if (n < 0) {
      eof = true;
      return false;
    }
    end += n;
    return true;
  }

  /** An error at the next byte: it is not {@code expected}. */
  public MalformedJsonException unexpected(String expected) throws IOException {
    int c = pos < end || fill() ? buf[pos] & 0xff : -1;
    String found =
        c < 0
            ? "the end of the input"
            : c >= 0x20 && c < 0x7f ? "'" + (char) c + "'" : String.format("byte 0x%02x", c);
    return malformed("expected " + expected + " but found " + found);
  }

  private MalformedJsonException badNumber() {
    pos--;
    return malformed("invalid number");
  }

  private MalformedJsonException malformed(String problem) {
    return new MalformedJsonException(problem + " at line " + lines, offset());
  }

  /** Input that is not JSON; {@link #offset()} says where it broke. */
  public static final class MalformedJsonException extends IOException {
    private final long offset;

    MalformedJsonException(String message, long offset) {
      super(message);
      this.offset = offset;
    }

    public long offset() {
      return offset;
    }
  }

  /** A fixed set of field names, found by their raw bytes without making a String. */
  public static final class Names {
    private static final VarHandle LONGS =
        MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long MIX = 0x9E3779B97F4A7C15L;

    private final byte[][] keys;
    private final int[] values;
    private final int mask;
    private final int longest;
    private final boolean few;
    private final Map<String, Integer> byText;

    /** Each name's value is its index in {@code names}. */
    public Names(String... names) {
      few = names.length <= 4;
      // A few names are kept in a list (compared in turn), more in an open-addressing table.
      int size = few ? names.length : Integer.highestOneBit(names.length * 4) * 2;
      keys = new byte[size][];
      values = new int[size];
      mask = size - 1;
      byText = new java.util.HashMap<>();
      int max = 0;
      for (int i = 0; i < names.length; i++) {
        byte[] key = names[i].getBytes(StandardCharsets.UTF_8);
        max = Math.max(max, key.length);
        int slot = few ? i : hash(key, 0, key.length) & mask;
        while (keys[slot] != null) {
          slot = (slot + 1) & mask;
        }
        keys[slot] = key;
        values[slot] = i;
        byText.put(names[i], i);
      }
      longest = max;
    }

    int find(byte[] bytes, int from, int to) {
      if (to - from > longest) {
        return -1;
      }
      if (few) { // comparing lengths first rejects most names sooner than hashing them
        for (int slot = 0; slot < keys.length; slot++) {
          if (same(keys[slot], bytes, from, to)) {
            return values[slot];
          }
        }
        return -1;
      }
      for (int slot = hash(bytes, from, to) & mask; keys[slot] != null; slot = (slot + 1) & mask) {
        if (same(keys[slot], bytes, from, to)) {
          return values[slot];
        }
      }
      return -1;
    }

    /** Whether {@code key} holds the bytes {@code [from, to)}, compared eight at a time. */
    private static boolean same(byte[] key, byte[] bytes, int from, int to) {
      int n = key.length;
      if (n != to - from) {
        return false;
      }
      int i = 0;
      for (; i + 8 <= n; i += 8) {
        if ((long) LONGS.get(key, i) != (long) LONGS.get(bytes, from + i)) {
          return false;
        }
      }
      for (; i < n; i++) {
        if (key[i] != bytes[from + i]) {
          return false;
        }
      }
      return true;
    }

    public int find(String name) {
      return byText.getOrDefault(name, -1);
    }

    /** Eight bytes at a time: names and values can be long, and each is hashed once per read. */
    private static int hash(byte[] bytes, int from, int to) {
      long h = to - from;
      int i = from;
      for (; i + 8 <= to; i += 8) {
        h = (h ^ (long) LONGS.get(bytes, i)) * MIX;
        h ^= h >>> 29;
      }
      long tail = 0;
      for (int k = to - 1; k >= i; k--) {
        tail = (tail << 8) | (bytes[k] & 0xff);
      }
      h = (h ^ tail) * MIX;
      return (int) (h ^ (h >>> 32));
    }
  }
}

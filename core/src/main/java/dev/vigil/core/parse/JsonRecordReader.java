package dev.vigil.core.parse;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a stream of JSON root values — newline-delimited, concatenated with no delimiter (as
 * Firehose writes), or pretty-printed over many lines — and recovers from malformed input: after a
 * broken value it resumes at the next line that starts with {@code {} or {@code [}, or at the next
 * {@code {} right after a {@code }}, so one damaged record costs only itself.
 *
 * <p>Memory stays bounded: the bytes of the root value being read are kept so the reader can go back
 * to the line after its start, up to {@value #MAX_KEPT} bytes; a larger root value that breaks is
 * resumed from the line after the point where it broke instead.
 *
 * <p>Use: {@link #nextRoot()} until null, reading each value with {@link #parser()}; on a {@link
 * com.fasterxml.jackson.core.JsonProcessingException} note {@link #rootOffset()} and {@link
 * #rootLine()}, then call {@link #recover()} and go on with {@link #nextRoot()}.
 */
public final class JsonRecordReader implements Closeable {
  static final int MAX_KEPT = 8 * 1024 * 1024;

  private final Replay input;
  private JsonParser parser;
  private long baseOffset;
  private long baseLine = 1;
  private long rootOffset;
  private long rootLine = 1;

  public JsonRecordReader(InputStream in) throws IOException {
    this.input = new Replay(in);
    this.parser = ParseContext.JSON.createParser(input);
  }

  /** The parser positioned on the current root value. Replaced by {@link #recover()}. */
  public JsonParser parser() {
    return parser;
  }

  /**
   * Moves to the next root value and returns its first token, or null at the end of the input.
   * Throws when what follows the previous value is not JSON (then {@link #recover()}).
   */
  public JsonToken nextRoot() throws IOException {
    JsonLocation end = parser.currentLocation();
    rootOffset = baseOffset + end.getByteOffset();
    rootLine = baseLine + end.getLineNr() - 1;
    input.retainFrom(rootOffset);
    JsonToken token = parser.nextToken();
    if (token != null) {
      JsonLocation start = parser.currentTokenLocation();
      rootOffset = baseOffset + start.getByteOffset();
      rootLine = baseLine + start.getLineNr() - 1;
      input.retainFrom(rootOffset);
    }
    return token;
  }

  /** Byte offset (in the decompressed stream) where the current root value starts. */
  public long rootOffset() {
    return rootOffset;
  }

  /** Line (1-based) where the current root value starts. */
  public long rootLine() {
    return rootLine;
  }

  /** Byte offset of the parser's current token. */
  public long offset() {
    return baseOffset + parser.currentTokenLocation().getByteOffset();
  }

  /** Line (1-based) of the parser's current token. */
  public long line() {
    return baseLine + parser.currentTokenLocation().getLineNr() - 1;
  }

  /**
   * Abandons the current root value after malformed JSON and resumes at the next place a value
   * starts: a {@code {} or {@code [} that begins a line (after blanks), or a {@code {} right after a
   * {@code }} (values concatenated with no delimiter, as Firehose writes them). The bytes before it
   * are skipped. Returns the line reading resumes at, or -1 when the input ended.
   */
  public long recover() throws IOException {
    long line = rootLine;
    boolean lineStart = false; // only blanks before the next byte on its line
    JsonLocation broke = parser.currentLocation();
    long broken = rootOffset; // where the broken value starts: no place to resume
    if (!input.rewind(rootOffset)) {
      // The value was too large to keep: resume after the point where it broke, which Jackson may
      // have left just past the newline ending the broken line.
      long from = baseOffset + broke.getByteOffset();
      line = baseLine + broke.getLineNr() - 1;
      lineStart = input.byteAt(from - 1) == '\n';
      if (lineStart && broke.getColumnNr() != 1) {
        line++; // Jackson took the newline into the broken token without counting it
      }
      input.rewind(from);
    }
    parser.close();
    long resumeAt = -1;
    int last = 0; // the last byte read that is not blank
    int c;
    while ((c = input.read()) != -1) {
      if (c == '\n') {
        line++;
        lineStart = true;
      } else if (c != ' ' && c != '\t' && c != '\r') {
        boolean start = (lineStart && (c == '{' || c == '[')) || (c == '{' && last == '}');
        if (start && input.position() - 1 != broken) {
          input.rewind(input.position() - 1);
          resumeAt = line;
          break;
        }
        last = c;
        lineStart = false;
      }
    }
    baseOffset = input.position();
    baseLine = resumeAt > 0 ? resumeAt : line;
    rootOffset = baseOffset;
    rootLine = baseLine;
    parser = ParseContext.JSON.createParser(input);
    return resumeAt;
  }

  @Override
  public void close() throws IOException {
    parser.close();
    input.in.close();
  }

  /**
   * The input, keeping the bytes delivered since the start of the current root value (and at least
   * the last {@value #TAIL} bytes) so reading can go back to any of them.
   */
  private static final class Replay extends InputStream {
    private static final int TAIL = 64 * 1024;
    private static final byte[] NONE = new byte[0];

    final InputStream in;
    private byte[] pending = NONE;
    private int pendingPos;
    private byte[] kept = new byte[TAIL];
    private int keptBegin;
    private int keptEnd;
    // absolute offset of kept[0]
    private long keptStart;
    // absolute offset of the next byte delivered
    private long position;

    Replay(InputStream in) {
      this.in = in;
    }

    long position() {
      return position;
    }

    /** The byte delivered at {@code offset}, if still kept; -1 otherwise. */
    int byteAt(long offset) {
      long at = offset - keptStart;
      return at >= keptBegin && at < keptEnd ? kept[(int) at] & 0xff : -1;
    }

    /** Bytes before {@code offset} are no longer needed. */
    void retainFrom(long offset) {
      long begin = Math.min(offset, position) - keptStart;
      if (begin > keptBegin) {
        keptBegin = (int) begin;
      }
    }

    /** Delivers again from {@code offset}; false when those bytes are no longer kept. */
    boolean rewind(long offset) {
      if (offset < keptStart + keptBegin || offset > position) {
        return false;
      }
      int from = (int) (offset - keptStart);
      int again = keptEnd - from;
      int rest = pending.length - pendingPos;
      byte[] replay = new byte[again + rest];
      System.arraycopy(kept, from, replay, 0, again);
      System.arraycopy(pending, pendingPos, replay, again, rest);
      pending = replay;
      pendingPos = 0;
      keptStart = offset;
      keptBegin = 0;
      keptEnd = 0;
      position = offset;
      return true;
    }

    @Override
    public int read() throws IOException {
      int c;
      if (pendingPos < pending.length) {
        c = pending[pendingPos++] & 0xff;
      } else {
        c = in.read();
        if (c < 0) {
          return c;
        }
      }
      keep1((byte) c);
      return c;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      int n;
      if (pendingPos < pending.length) {
        n = Math.min(len, pending.length - pendingPos);
        System.arraycopy(pending, pendingPos, b, off, n);
        pendingPos += n;
        if (pendingPos == pending.length) {
          pending = NONE;
          pendingPos = 0;
        }
      } else {
        n = in.read(b, off, len);
        if (n <= 0) {
          return n;
        }
      }
      keep(b, off, n);
      return n;
    }

    private void keep1(byte c) {
      if (keptEnd == kept.length) {
        makeRoom(1);
      }
      kept[keptEnd++] = c;
      position++;
    }

    private void keep(byte[] b, int off, int n) {
      if (keptEnd + n > kept.length) {
        makeRoom(n);
      }
      System.arraycopy(b, off, kept, keptEnd, n);
      keptEnd += n;
      position += n;
    }

    /** Makes room for {@code n} more bytes: drops unneeded bytes, grows, or keeps only the tail. */
    private void makeRoom(int n) {
      int live = keptEnd - keptBegin;
      if (live + n > MAX_KEPT) {
        // The current root value is too large to replay: keep only the recent tail.
        int tail = Math.min(TAIL, live);
        keptBegin = keptEnd - tail;
        live = tail;
      }
      byte[] target = kept;
      if (live + n > kept.length) {
        int size = kept.length;
        while (size < live + n) {
          size *= 2;
        }
        target = new byte[size];
      }
      System.arraycopy(kept, keptBegin, target, 0, live);
      kept = target;
      keptStart += keptBegin;
      keptBegin = 0;
      keptEnd = live;
    }

    @Override
    public void close() {
      // the reader closes the underlying stream itself; parsers replaced on recovery must not
    }
  }
}

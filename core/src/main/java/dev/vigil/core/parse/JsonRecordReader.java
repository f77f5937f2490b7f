package dev.vigil.core.parse;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.CharConversionException;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

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
 *
 * <p>Arrays of records inside a root value (findings in an EventBridge event, a CloudWatch Logs
 * payload's log events) cost only their damaged elements too: the reader of such an array marks it
 * ({@link #markArray}) and notes each element read ({@link #elementRead()}); after malformed JSON
 * {@link #resumeInArray} finds the next element and re-creates the values enclosing the array in
 * front of it, so reading goes on with {@link #nextRoot()} as if that element began an array of
 * its own.
 */
public final class JsonRecordReader implements Closeable {
  static final int MAX_KEPT = 8 * 1024 * 1024;

  private final Replay input;
  private JsonParser parser;
  private long baseOffset;
  private long baseLine = 1;
  private long rootOffset;
  private long rootLine = 1;
  // Root values start no earlier than this: a resumed root's re-created enclosing values come
  // first.
  private long floor;
  // The array of records the current root value is reading, if any (see markArray).
  private ArrayMark array;

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
    // Damage right after a root value may be garbage that closed the array it was reading early:
    // its mark (and the bytes after its last element) stays until a root value begins that does
    // not look like garbage.
    input.retainFrom(array != null ? Math.min(array.afterLastElement, rootOffset) : rootOffset);
    JsonToken token = parser.nextToken();
    if (token == null) {
      array = null;
      return null;
    }
    JsonLocation start = parser.currentTokenLocation();
    rootOffset = Math.max(floor, baseOffset + start.getByteOffset());
    rootLine = baseLine + start.getLineNr() - 1;
    if (array == null || startsPlausibly(token, rootOffset)) {
      array = null;
      input.retainFrom(rootOffset);
    }
    return token;
  }

  /**
   * Whether the root value at {@code offset} goes on as JSON after its first token, as far as the
   * bytes read ahead show: garbage after a value (a stray '{', say) does not.
   */
  private boolean startsPlausibly(JsonToken first, long offset) {
    if (first != JsonToken.START_OBJECT && first != JsonToken.START_ARRAY) {
      return true;
    }
    for (long i = offset + 1; ; i++) {
      int b = input.byteAt(i);
      if (b == ' ' || b == '\t' || b == '\r' || b == '\n') {
        continue;
      }
      if (b < 0) {
        return true; // not read yet
      }
      return first == JsonToken.START_OBJECT
          ? b == '"' || b == '}'
          : "{[\"-0123456789tfn]".indexOf(b) >= 0;
    }
  }

  /** Byte offset just after the last token read. */
  public long position() {
    return baseOffset + parser.currentLocation().getByteOffset();
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
    restart(input.position(), resumeAt > 0 ? resumeAt : line);
    return resumeAt;
  }

  /** Reads on from {@code offset} (on {@code line}) as from the start of the input. */
  private void restart(long offset, long line) throws IOException {
    input.rewind(offset);
    array = null;
    baseOffset = offset;
    baseLine = line;
    floor = offset;
    rootOffset = offset;
    rootLine = line;
    parser = ParseContext.JSON.createParser(input);
  }

  /**
   * Marks the array whose START_ARRAY the parser just read as an array of records, so damage in it
   * costs only its damaged elements (see {@link #resumeInArray}). {@code siblings} gives members
   * (as JSON, each followed by a comma) of the object holding the array that the records need, e.g.
   * a payload's fields: a resumed array gets them again; asked for only then. Returns the mark,
   * which the current root value keeps until it ends.
   */
  public ArrayMark markArray(Supplier<byte[]> siblings) {
    List<String> names = new ArrayList<>(); // outermost first; null for an array
    for (JsonStreamContext c = parser.getParsingContext(); !c.inRoot(); c = c.getParent()) {
      names.add(0, c.inArray() ? null : c.getCurrentName());
    }
    array = new ArrayMark(names, siblings, position());
    return array;
  }

  /** Notes that an element of the marked array was read to its end. */
  public void elementRead() {
    array.afterLastElement = position();
  }

  /**
   * The array of records the current root value marked, or null: after malformed JSON outside its
   * elements (garbage closing it early, say) reading may still resume inside it.
   */
  public ArrayMark markedArray() {
    return array;
  }

  /** An array of records being read: how to re-create its enclosing values, and its progress. */
  public static final class ArrayMark {
    private final List<String> names;
    private final Supplier<byte[]> siblings;
    private long afterLastElement;

    private ArrayMark(List<String> names, Supplier<byte[]> siblings, long afterOpening) {
      this.names = names;
      this.siblings = siblings;
      this.afterLastElement = afterOpening;
    }

    /** The enclosing values up to the array's '[', e.g. {@code {"detail":{"findings":[}. */
    private byte[] prefix() {
      ByteArrayOutputStream prefix = new ByteArrayOutputStream();
      for (int i = 0; i < names.size(); i++) {
        String name = names.get(i);
        if (name == null) {
          prefix.write('[');
          continue;
        }
        prefix.write('{');
        if (i == names.size() - 2) {
          prefix.writeBytes(siblings.get());
        }
        prefix.write('"');
        prefix.writeBytes(JsonStringEncoder.getInstance().quoteAsUTF8(name));
        prefix.writeBytes(new byte[] {'"', ':'});
      }
      return prefix.toByteArray();
    }

    /** Where the last element read ends (just after the '[' before any). */
    public long afterLastElement() {
      return afterLastElement;
    }
  }

  /** Where reading goes on after {@link #resumeInArray}. */
  public enum Resumed {
    /** At a later element of the array: the next root value re-creates the values around it. */
    IN_ARRAY,
    /** At the next root value: the rest of the damaged one is abandoned. */
    AT_ROOT,
    /** Nothing readable follows. */
    END
  }

  /**
   * What {@link #resumeInArray} skipped: {@code bytes} from byte {@code from} on, holding {@code
   * records} records that started there (the damaged one, or none for bytes between records);
   * {@code damageAt} and {@code damage} say where and how the JSON broke.
   */
  public record Skip(
      long from, long bytes, long records, long damageAt, String damage, Resumed resumed) {
    /** Where reading resumed (the end of the input for {@link Resumed#END}). */
    public long to() {
      return from + bytes;
    }
  }

  /**
   * After malformed JSON in {@code array} (its mark), skips to the next place reading can resume,
   * from {@code from}: where the element that broke starts ({@code failedElement}, no place to
   * resume), or, when the damage followed a complete element ({@code failedElement} -1), where that
   * element ends. Nesting and strings are not trusted on the way — damage may have thrown either
   * off — so each opening brace is read on its own, from scratch: the first one that starts a
   * complete object {@code isElement} accepts resumes reading in the array; a root value that
   * begins first (as {@link #recover()} finds them, not after ',', '[' or ':') resumes reading
   * there. Either way the caller abandons the current root value and goes on with {@link
   * #nextRoot()}.
   */
  public Skip resumeInArray(
      ArrayMark array,
      long from,
      long failedElement,
      Predicate<JsonNode> isElement,
      JsonProcessingException damage)
      throws IOException {
    JsonLocation where = damage.getLocation();
    long damageAt =
        baseOffset
            + (where != null && where.getByteOffset() >= 0
                ? where.getByteOffset()
                : parser.currentLocation().getByteOffset());
    String reason = damage.getOriginalMessage();
    long start = Math.max(from, floor);
    if (input.byteAt(start) < 0) {
      start = Math.max(start, baseOffset + parser.currentLocation().getByteOffset());
    }
    long line = lineAt(start);
    int last = lastNonBlankBefore(start);
    boolean lineStart = start == 0 || input.byteAt(start - 1) == '\n';
    long records = start == failedElement && input.byteAt(start) == '{' ? 1 : 0;
    parser.close();
    input.rewind(start);
    while (true) {
      long at = input.position();
      input.retainFrom(at);
      int c = input.read();
      if (c < 0) {
        restart(at, line);
        return new Skip(start, at - start, records, damageAt, reason, Resumed.END);
      }
      if (c == '\n') {
        line++;
        lineStart = true;
        continue;
      }
      if (c == ' ' || c == '\t' || c == '\r') {
        continue;
      }
      if ((c == '{' || c == '[') && at != failedElement) {
        if (c == '{' && startsElement(at, isElement)) {
          resume(array, at, line);
          return new Skip(start, at - start, records, damageAt, reason, Resumed.IN_ARRAY);
        }
        boolean inside = last == ',' || last == '[' || last == ':';
        if (!inside && (lineStart || (c == '{' && last == '}')) && startsRoot(at)) {
          restart(at, line);
          return new Skip(start, at - start, records, damageAt, reason, Resumed.AT_ROOT);
        }
      }
      last = c;
      lineStart = false;
    }
  }

  /**
   * Whether a complete object {@code isElement} accepts starts at {@code at} (its brace just read,
   * where the input is left).
   */
  private boolean startsElement(long at, Predicate<JsonNode> isElement) throws IOException {
    input.rewind(at);
    boolean found = false;
    try (JsonParser candidate = ParseContext.JSON.createParser(input)) {
      JsonNode node = CANDIDATES.readTree(candidate);
      found = node != null && node.isObject() && isElement.test(node);
    } catch (JsonProcessingException | CharConversionException notHere) {
      found = false;
    }
    input.rewind(at);
    input.read(); // back after the brace
    return found;
  }

  /**
   * Whether a root value starts at {@code at} (its first byte just read): a complete JSON value (or
   * one the end of the input cut short) followed by another object or array or the end — not an
   * object inside a damaged record, which a ',' follows, nor a stray '{' in garbage. Values longer
   * than {@value #ROOT_CHECKED} bytes are taken on their start. The input is left after {@code at}.
   */
  private boolean startsRoot(long at) throws IOException {
    input.rewind(at);
    boolean starts;
    try (JsonParser candidate = ParseContext.JSON.createParser(input)) {
      candidate.nextToken();
      int depth = 1;
      while (depth > 0 && candidate.currentLocation().getByteOffset() < ROOT_CHECKED) {
        JsonToken token = candidate.nextToken();
        if (token.isStructStart()) {
          depth++;
        } else if (token.isStructEnd()) {
          depth--;
        }
      }
      JsonToken next = depth == 0 ? candidate.nextToken() : null;
      starts = next == null || next.isStructStart(); // another root value, or the end
    } catch (JsonEOFException cutShort) {
      starts = true;
    } catch (JsonProcessingException | CharConversionException notHere) {
      starts = false;
    }
    input.rewind(at);
    input.read(); // back after the brace
    return starts;
  }

  private static final int ROOT_CHECKED = 1024 * 1024;

  private static final ObjectMapper CANDIDATES = new ObjectMapper();

  /** Reads on at the element at {@code at}, behind the array's re-created enclosing values. */
  private void resume(ArrayMark mark, long at, long line) throws IOException {
    byte[] prefix = mark.prefix();
    input.rewind(at);
    array = null;
    baseOffset = at - prefix.length;
    baseLine = line;
    floor = at;
    rootOffset = at;
    rootLine = line;
    parser =
        ParseContext.JSON.createParser(
            new SequenceInputStream(new ByteArrayInputStream(prefix), input));
  }

  /** The line of a kept byte, counted from the current root value's start (when kept). */
  private long lineAt(long offset) {
    long line = rootLine;
    for (long i = rootOffset; i < offset; i++) {
      int b = input.byteAt(i);
      if (b < 0) {
        return rootLine; // not kept: the root's line is the best known
      }
      if (b == '\n') {
        line++;
      }
    }
    return line;
  }

  /** The last byte before {@code offset} that is not blank, among those kept; 0 when none. */
  private int lastNonBlankBefore(long offset) {
    for (long i = offset - 1; ; i--) {
      int b = input.byteAt(i);
      if (b < 0) {
        return 0;
      }
      if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
        return b;
      }
    }
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

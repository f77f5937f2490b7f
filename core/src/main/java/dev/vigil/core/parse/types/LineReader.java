package dev.vigil.core.parse.types;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads lines of a stream one at a time with their 1-based number and the byte offset where each
 * starts, without holding more than one line (plus a read buffer) in memory. Lines end at {@code
 * \n}; a trailing {@code \r} is dropped, and so is a UTF-8 byte order mark before the first line. A
 * line longer than {@link #MAX_LINE_BYTES} is not kept: it is reported through {@link #tooLong()}
 * with its number and offset, and reading goes on after it.
 */
final class LineReader {
  static final int MAX_LINE_BYTES = 1 << 20;
  private static final int READ_SIZE = 64 * 1024;

  private final InputStream in;
  private final int maxLine;
  private byte[] buffer = new byte[READ_SIZE];
  private int position;
  private int limit;
  private long bufferOffset; // stream offset of buffer[0]
  private boolean eof;
  private boolean started;

  private long number;
  private long offset;
  private int start;
  private int length;
  private boolean tooLong;

  LineReader(InputStream in) {
    this(in, MAX_LINE_BYTES);
  }

  LineReader(InputStream in, int maxLineBytes) {
    this.in = in;
    this.maxLine = maxLineBytes;
  }

  /** Moves to the next line; false at the end of the stream. */
  boolean next() throws IOException {
    if (!started) {
      started = true;
      skipByteOrderMark();
    }
    int scanFrom = position;
    while (true) {
      int newline = indexOfNewline(scanFrom);
      if (newline >= 0) {
        setLine(position, newline - position);
        position = newline + 1;
        return true;
      }
      if (eof) {
        if (position < limit) {
          setLine(position, limit - position);
          position = limit;
          return true;
        }
        return false;
      }
      if (limit - position > maxLine) {
        skipOverlongLine();
        return true;
      }
      scanFrom = limit - position;
      fill();
      scanFrom += position; // fill() moved the unread bytes to the start of the buffer
    }
  }

  long number() {
    return number;
  }

  /** Byte offset of the line's first byte in the (decompressed) stream. */
  long offset() {
    return offset;
  }

  /** True when the line was longer than the limit; its content is then not available. */
  boolean tooLong() {
    return tooLong;
  }

  int maxLineBytes() {
    return maxLine;
  }

  /** The line's bytes are {@code buffer()[start() .. start() + length())}, valid until next(). */
  byte[] buffer() {
    return buffer;
  }

  int start() {
    return start;
  }

  int length() {
    return length;
  }

  boolean isBlank() {
    for (int i = start; i < start + length; i++) {
      byte b = buffer[i];
      if (b != ' ' && b != '\t') {
        return false;
      }
    }
    return true;
  }

  String text() {
    return new String(buffer, start, length, StandardCharsets.UTF_8);
  }

  /**
   * Everything from the start of the current line to the end of the stream, for a caller that
   * decides after one line to read the rest another way. The reader must not be used afterwards.
   */
  InputStream fromCurrentLine() {
    int from = tooLong ? position : start;
    byte[] rest = Arrays.copyOfRange(buffer, from, limit);
    return new SequenceInputStream(new ByteArrayInputStream(rest), in);
  }

  private void setLine(int lineStart, int lineLength) {
    number++;
    offset = bufferOffset + lineStart;
    start = lineStart;
    length = lineLength;
    tooLong = false;
    if (length > 0 && buffer[start + length - 1] == '\r') {
      length--;
    }
    if (length > maxLine) {
      tooLong = true;
      length = 0;
    }
  }

  private void skipOverlongLine() throws IOException {
    number++;
    offset = bufferOffset + position;
    tooLong = true;
    start = 0;
    length = 0;
    while (true) {
      bufferOffset += limit;
      position = limit = 0;
      fillRaw();
      if (limit == 0 && eof) {
        return;
      }
      int newline = indexOfNewline(0);
      if (newline >= 0) {
        position = newline + 1;
        return;
      }
    }
  }

  private int indexOfNewline(int from) {
    for (int i = from; i < limit; i++) {
      if (buffer[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  /** Keeps the unread bytes, moved to the start of the buffer, and reads more after them. */
  private void fill() throws IOException {
    if (position > 0) {
      System.arraycopy(buffer, position, buffer, 0, limit - position);
      bufferOffset += position;
      limit -= position;
      position = 0;
    }
    if (limit == buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.min(buffer.length * 2, maxLine + READ_SIZE + 2));
    }
    fillRaw();
  }

  private void fillRaw() throws IOException {
    int read = in.read(buffer, limit, buffer.length - limit);
    if (read < 0) {
      eof = true;
    } else {
      limit += read;
    }
  }

  private void skipByteOrderMark() throws IOException {
    while (limit < 3 && !eof) {
      fillRaw();
    }
    if (limit >= 3
        && (buffer[0] & 0xff) == 0xef
        && (buffer[1] & 0xff) == 0xbb
        && (buffer[2] & 0xff) == 0xbf) {
      position = 3;
    }
  }
}

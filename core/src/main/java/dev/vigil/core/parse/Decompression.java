package dev.vigil.core.parse;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

/**
 * Opens gzip (one member or several concatenated, as Firehose writes), zlib (CloudWatch Logs
 * subscription payloads) or uncompressed input, recognised by its first bytes rather than by a file
 * name that may lie. Gzip whose content is gzip again is opened twice: a Firehose stream with GZIP
 * compression that carries CloudWatch Logs subscriptions wraps the gzip members CloudWatch Logs
 * sends in a gzip of its own.
 */
public final class Decompression {
  private static final int BUFFER = 64 * 1024;

  private Decompression() {}

  public enum Format {
    GZIP,
    ZLIB,
    NONE
  }

  public static Format sniff(byte first, byte second) {
    if ((first & 0xff) == 0x1f && (second & 0xff) == 0x8b) {
      return Format.GZIP;
    }
    int cmf = first & 0xff;
    int flg = second & 0xff;
    // zlib: deflate method (8) with a window of at most 32K, and a header checksum divisible by 31
    // (RFC 1950).
    if ((cmf & 0x0f) == 8 && (cmf >> 4) <= 7 && ((cmf << 8) | flg) % 31 == 0) {
      return Format.ZLIB;
    }
    return Format.NONE;
  }

  /** The decompressed content of {@code raw}. */
  public static InputStream open(InputStream raw) throws IOException {
    BufferedInputStream in = new BufferedInputStream(raw, BUFFER);
    in.mark(2);
    int first = in.read();
    int second = in.read();
    in.reset();
    if (first < 0 || second < 0) {
      return in;
    }
    return switch (sniff((byte) first, (byte) second)) {
      case GZIP -> innerGzip(new GZIPInputStream(new AvailableUntilEof(in), BUFFER));
      case ZLIB -> new InflaterInputStream(in, new java.util.zip.Inflater(), BUFFER);
      case NONE -> in;
    };
  }

  /**
   * The content of a gzip stream, itself opened as gzip when it starts as one (once only: no
   * producer nests deeper, and each level multiplies what a small object can expand to).
   */
  private static InputStream innerGzip(InputStream outer) throws IOException {
    // Pushback, not BufferedInputStream: the latter reads on while available() > 0 and loses the
    // bytes it already had when damaged data throws, so nothing before the damage would be parsed.
    PushbackInputStream in = new PushbackInputStream(outer, 2);
    int first = in.read();
    int second = first < 0 ? -1 : in.read();
    if (second >= 0) {
      in.unread(second);
    }
    if (first >= 0) {
      in.unread(first);
    }
    if (first < 0 || second < 0 || sniff((byte) first, (byte) second) != Format.GZIP) {
      return in;
    }
    return new GZIPInputStream(new AvailableUntilEof(in), BUFFER);
  }

  /**
   * The JDK's GZIPInputStream reads the next concatenated member only if {@code available() > 0}
   * after a member ends — a network stream can report 0 there and silently lose every later member.
   * This stream answers {@code available()} by peeking one byte, so 0 means end of input.
   */
  private static final class AvailableUntilEof extends PushbackInputStream {
    AvailableUntilEof(InputStream in) {
      super(in, 1);
    }

    @Override
    public int available() throws IOException {
      int buffered = super.available();
      if (buffered > 0) {
        return buffered;
      }
      int next = read();
      if (next < 0) {
        return 0;
      }
      unread(next);
      return 1;
    }
  }
}

package dev.vigil.testing;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads the entries of a tar stream one after the other: ustar headers with the GNU long-name
 * records ('L', 'K') Python's tarfile writes and the PAX records ('x') Jib writes. Enough for
 * checking image archives; not a general archiver (no sparse files, no global PAX defaults).
 */
final class TarEntries {
  private static final int BLOCK = 512;

  /** One entry; {@code type} is the tar type flag ('0' file, '5' directory, '2' symlink, …). */
  record Header(String name, char type, int mode, int uid, int gid, long size, String linkName) {}

  private final InputStream in;
  private long remaining; // unread content bytes of the current entry, padding included

  TarEntries(InputStream in) {
    this.in = in;
  }

  /**
   * The next entry's header (its content is then readable with {@link #content}), or null at the
   * end.
   */
  Header next() throws IOException {
    skip(remaining);
    remaining = 0;
    String longName = null;
    String longLink = null;
    Map<String, String> pax = new HashMap<>();
    while (true) {
      byte[] block = in.readNBytes(BLOCK);
      if (block.length == 0 || isZero(block)) {
        return null; // end-of-archive marker (or a stream that simply ends)
      }
      if (block.length < BLOCK) {
        throw new EOFException("tar header cut short");
      }
      char type = (char) block[156];
      long size = number(block, 124, 12);
      switch (type) {
        case 'L' -> longName = cString(readPadded(size), 0, (int) size);
        case 'K' -> longLink = cString(readPadded(size), 0, (int) size);
        case 'x' -> pax.putAll(paxRecords(readPadded(size), (int) size));
        case 'g' -> readPadded(size);
        default -> {
          String name = cString(block, 0, 100);
          String prefix = cString(block, 345, 155);
          if (!prefix.isEmpty() && "ustar".equals(cString(block, 257, 5))) {
            name = prefix + "/" + name;
          }
          name = pax.getOrDefault("path", longName != null ? longName : name);
          String link =
              pax.getOrDefault("linkpath", longLink != null ? longLink : cString(block, 157, 100));
          if (pax.containsKey("size")) {
            size = Long.parseLong(pax.get("size"));
          }
          remaining = padded(size);
          return new Header(
              name,
              type == '\0' ? '0' : type,
              (int) number(block, 100, 8),
              (int) number(block, 108, 8),
              (int) number(block, 116, 8),
              size,
              link);
        }
      }
    }
  }

  /** The current entry's content (for entries of modest size). */
  byte[] content(Header header) throws IOException {
    byte[] data = readPadded(header.size());
    remaining = 0;
    return java.util.Arrays.copyOf(data, (int) header.size());
  }

  /** The current entry's content as a stream, valid until the next call to {@link #next}. */
  InputStream stream(Header header) {
    long size = header.size();
    return new InputStream() {
      long left = size;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (left == 0) {
          return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, left));
        if (n < 0) {
          throw new EOFException("tar entry cut short");
        }
        left -= n;
        remaining -= n;
        return n;
      }
    };
  }

  private byte[] readPadded(long size) throws IOException {
    byte[] data = in.readNBytes((int) padded(size));
    if (data.length < padded(size)) {
      throw new EOFException("tar entry cut short");
    }
    return data;
  }

  /** Reads past N bytes (not InputStream.skip: a DigestInputStream below must see them). */
  private void skip(long n) throws IOException {
    byte[] buffer = new byte[8192];
    while (n > 0) {
      int read = in.read(buffer, 0, (int) Math.min(buffer.length, n));
      if (read < 0) {
        throw new EOFException("tar entry cut short");
      }
      n -= read;
    }
  }

  private static long padded(long size) {
    return (size + BLOCK - 1) / BLOCK * BLOCK;
  }

  private static boolean isZero(byte[] block) {
    for (byte b : block) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  /** Octal, or base-256 when the first byte has its high bit set (GNU, for large values). */
  private static long number(byte[] block, int offset, int length) {
    if ((block[offset] & 0x80) != 0) {
      long value = block[offset] & 0x7f;
      for (int i = 1; i < length; i++) {
        value = (value << 8) | (block[offset + i] & 0xff);
      }
      return value;
    }
    String text = cString(block, offset, length).trim();
    return text.isEmpty() ? 0 : Long.parseLong(text, 8);
  }

  private static String cString(byte[] data, int offset, int length) {
    int end = offset;
    while (end < offset + length && data[end] != 0) {
      end++;
    }
    return new String(data, offset, end - offset, StandardCharsets.UTF_8);
  }

  /** PAX records: "LENGTH KEY=VALUE\n", LENGTH counting the whole record. */
  private static Map<String, String> paxRecords(byte[] data, int size) {
    Map<String, String> records = new HashMap<>();
    int pos = 0;
    while (pos < size) {
      int space = pos;
      while (data[space] != ' ') {
        space++;
      }
      int length = Integer.parseInt(new String(data, pos, space - pos, StandardCharsets.UTF_8));
      String record =
          new String(data, space + 1, length - (space - pos) - 2, StandardCharsets.UTF_8);
      int eq = record.indexOf('=');
      records.put(record.substring(0, eq), record.substring(eq + 1));
      pos += length;
    }
    return records;
  }
}

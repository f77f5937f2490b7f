package dev.vigil.core.parse.parquet;

import java.nio.charset.StandardCharsets;

/** A read position in a byte range, little-endian as Parquet's values are. */
final class Cursor {
  final byte[] bytes;
  int position;
  final int limit;

  Cursor(byte[] bytes, int position, int limit) throws ParquetException {
    if (position < 0 || limit > bytes.length || position > limit) {
      throw new ParquetException("a length points outside its page");
    }
    this.bytes = bytes;
    this.position = position;
    this.limit = limit;
  }

  int byte8() throws ParquetException {
    require(1);
    return bytes[position++] & 0xff;
  }

  int int32() throws ParquetException {
    require(4);
    int value =
        (bytes[position] & 0xff)
            | (bytes[position + 1] & 0xff) << 8
            | (bytes[position + 2] & 0xff) << 16
            | (bytes[position + 3] & 0xff) << 24;
    position += 4;
    return value;
  }

  long int64() throws ParquetException {
    long low = int32() & 0xffffffffL;
    long high = int32() & 0xffffffffL;
    return low | high << 32;
  }

  long varint() throws ParquetException {
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = byte8();
      value |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        return value;
      }
    }
    throw new ParquetException("varint longer than 10 bytes");
  }

  long zigzag() throws ParquetException {
    long n = varint();
    return (n >>> 1) ^ -(n & 1);
  }

  String text(int length) throws ParquetException {
    require(length);
    String text = new String(bytes, position, length, StandardCharsets.UTF_8);
    position += length;
    return text;
  }

  void bytes(byte[] into, int offset, int length) throws ParquetException {
    require(length);
    System.arraycopy(bytes, position, into, offset, length);
    position += length;
  }

  /** The {@code width}-bit value at bit {@code bit} of the bytes from here, least bit first. */
  long bits(long bit, int width) throws ParquetException {
    long value = 0;
    for (int i = 0; i < width; i++) {
      long at = bit + i;
      int index = position + (int) (at >>> 3);
      if (index >= limit) {
        throw new ParquetException("bit-packed values run past their page");
      }
      value |= (long) ((bytes[index] >>> (at & 7)) & 1) << i;
    }
    return value;
  }

  void require(int count) throws ParquetException {
    if (count < 0 || position + count > limit) {
      throw new ParquetException("values run past their page");
    }
  }
}

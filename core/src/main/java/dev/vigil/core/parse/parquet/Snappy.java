package dev.vigil.core.parse.parquet;

/**
 * Snappy's raw format (https://github.com/google/snappy/blob/main/format_description.txt): the
 * uncompressed length, then literals and back-references.
 */
final class Snappy {
  private Snappy() {}

  static byte[] decompress(byte[] in, int offset, int length, int expected)
      throws ParquetException {
    Cursor cursor = new Cursor(in, offset, offset + length);
    long size = cursor.varint();
    if (size != expected) {
      throw new ParquetException("snappy page of " + size + " bytes, its header says " + expected);
    }
    byte[] out = new byte[expected];
    int n = 0;
    while (cursor.position < cursor.limit) {
      int tag = cursor.byte8();
      int kind = tag & 3;
      if (kind == 0) {
        int literal = tag >>> 2;
        if (literal >= 60) {
          int bytes = literal - 59;
          literal = 0;
          for (int i = 0; i < bytes; i++) {
            literal |= cursor.byte8() << (8 * i);
          }
        }
        literal += 1;
        if (literal < 0 || n + literal > out.length) {
          throw new ParquetException("snappy literal runs past the page");
        }
        cursor.bytes(out, n, literal);
        n += literal;
        continue;
      }
      int copy;
      int distance;
      if (kind == 1) {
        copy = 4 + ((tag >>> 2) & 7);
        distance = ((tag >>> 5) << 8) | cursor.byte8();
      } else if (kind == 2) {
        copy = (tag >>> 2) + 1;
        distance = cursor.byte8() | cursor.byte8() << 8;
      } else {
        copy = (tag >>> 2) + 1;
        distance = cursor.int32();
      }
      if (distance <= 0 || distance > n || n + copy > out.length) {
        throw new ParquetException("snappy back-reference outside the page");
      }
      for (int i = 0; i < copy; i++, n++) {
        out[n] = out[n - distance];
      }
    }
    if (n != expected) {
      throw new ParquetException("snappy page holds " + n + " bytes, its header says " + expected);
    }
    return out;
  }
}

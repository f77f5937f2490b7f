package dev.vigil.core.parse.parquet;

/**
 * DELTA_BINARY_PACKED: a header (block size, miniblocks per block, value count, first value), then
 * blocks of a minimum delta and bit-packed miniblocks of deltas above it.
 */
final class Delta {
  private Delta() {}

  static long[] binaryPacked(Cursor in, int count) throws ParquetException {
    long blockSize = in.varint();
    long miniblocks = in.varint();
    long total = in.varint();
    long value = in.zigzag();
    if (blockSize <= 0 || miniblocks <= 0 || blockSize % miniblocks != 0 || total < count) {
      throw new ParquetException(
          "delta header: block " + blockSize + ", miniblocks " + miniblocks + ", values " + total);
    }
    int perMiniblock = (int) (blockSize / miniblocks);
    long[] out = new long[(int) total];
    if (total == 0) {
      return new long[count];
    }
    out[0] = value;
    int n = 1;
    while (n < total) {
      long minDelta = in.zigzag();
      int[] widths = new int[(int) miniblocks];
      for (int i = 0; i < miniblocks; i++) {
        widths[i] = in.byte8();
      }
      for (int m = 0; m < miniblocks && n < total; m++) {
        int width = widths[m];
        if (width > 64) {
          throw new ParquetException("delta bit width " + width);
        }
        for (int i = 0; i < perMiniblock && n < total; i++) {
          value += minDelta + in.bits((long) i * width, width);
          out[n++] = value;
        }
        in.position += perMiniblock * width / 8;
      }
    }
    if (out.length == count) {
      return out;
    }
    long[] exact = new long[count];
    System.arraycopy(out, 0, exact, 0, count);
    return exact;
  }
}

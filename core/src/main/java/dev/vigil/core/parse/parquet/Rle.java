package dev.vigil.core.parse.parquet;

/**
 * The RLE / bit-packing hybrid of definition levels and dictionary indexes: runs of one repeated
 * value, and groups of 8 values bit-packed least bit first.
 */
final class Rle {
  private Rle() {}

  static int[] decode(Cursor in, int width, int count) throws ParquetException {
    if (width < 0 || width > 32) {
      throw new ParquetException("bit width " + width);
    }
    int[] out = new int[count];
    int n = 0;
    int valueBytes = (width + 7) / 8;
    while (n < count) {
      long header = in.varint();
      if ((header & 1) == 0) {
        long run = header >>> 1;
        int value = 0;
        for (int i = 0; i < valueBytes; i++) {
          value |= in.byte8() << (8 * i);
        }
        for (long i = 0; i < run && n < count; i++) {
          out[n++] = value;
        }
      } else {
        long values = (header >>> 1) * 8;
        int bytes = (int) ((header >>> 1) * width);
        in.require(bytes);
        for (long i = 0; i < values && n < count; i++) {
          out[n++] = (int) in.bits(i * width, width);
        }
        in.position += bytes;
      }
    }
    return out;
  }
}

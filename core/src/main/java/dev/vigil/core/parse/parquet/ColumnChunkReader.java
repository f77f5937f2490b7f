package dev.vigil.core.parse.parquet;

import dev.vigil.core.parse.parquet.ParquetFile.Column;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;

/**
 * Decodes the pages of one flat column chunk into one value per row. Page layouts, levels and
 * encodings as the format specification defines them
 * (https://parquet.apache.org/docs/file-format/data-pages/,
 * https://parquet.apache.org/docs/file-format/data-pages/encodings/).
 */
final class ColumnChunkReader {
  private static final int DATA_PAGE = 0;
  private static final int DICTIONARY_PAGE = 2;
  private static final int DATA_PAGE_V2 = 3;

  private static final int PLAIN = 0;
  private static final int PLAIN_DICTIONARY = 2;
  private static final int RLE = 3;
  private static final int DELTA_BINARY_PACKED = 5;
  private static final int DELTA_LENGTH_BYTE_ARRAY = 6;
  private static final int DELTA_BYTE_ARRAY = 7;
  private static final int RLE_DICTIONARY = 8;

  private static final int UNCOMPRESSED = 0;
  private static final int SNAPPY = 1;
  private static final int GZIP = 2;

  private final byte[] file;
  private final Column column;
  private final ParquetFile.Chunk chunk;
  private Object[] dictionary;

  ColumnChunkReader(byte[] file, Column column, ParquetFile.Chunk chunk) throws ParquetException {
    this.file = file;
    this.column = column;
    this.chunk = chunk;
    if (chunk.codec() != UNCOMPRESSED && chunk.codec() != GZIP && chunk.codec() != SNAPPY) {
      throw new ParquetException(
          "compression codec " + chunk.codec() + " (Vigil reads uncompressed, gzip and snappy)");
    }
    long last = chunk.start() + chunk.length();
    if (chunk.start() < 4 || chunk.length() < 0 || last > file.length - 8) {
      throw new ParquetException("column chunk lies outside the file");
    }
    this.position = (int) chunk.start();
    this.end = (int) last;
  }

  private final int end;
  private int position;
  private Object[] page;
  private int index;

  /** The next value of the column, null where the row has none; pages are decoded one at a time. */
  Object next() throws ParquetException {
    while (page == null || index >= page.length) {
      if (position >= end) {
        throw new ParquetException("has fewer values than the row group has rows");
      }
      nextPage();
    }
    return page[index++];
  }

  private void nextPage() throws ParquetException {
    CompactThrift in = new CompactThrift(file, position, end);
    PageHeader header = PageHeader.read(in);
    int body = in.position();
    if (header.compressedSize < 0 || body + header.compressedSize > end) {
      throw new ParquetException("page at byte " + position + " runs past its column chunk");
    }
    switch (header.type) {
      case DICTIONARY_PAGE -> {
        byte[] bytes = decompress(body, header.compressedSize, header.uncompressedSize);
        dictionary = new Object[header.valueCount];
        Cursor cursor = new Cursor(bytes, 0, bytes.length);
        for (int i = 0; i < header.valueCount; i++) {
          dictionary[i] = plain(cursor);
        }
      }
      case DATA_PAGE -> {
        page = dataPageV1(header, body);
        index = 0;
      }
      case DATA_PAGE_V2 -> {
        page = dataPageV2(header, body);
        index = 0;
      }
      default -> {} // index pages carry nothing to read
    }
    position = body + header.compressedSize;
  }

  private Object[] dataPageV1(PageHeader header, int body) throws ParquetException {
    byte[] page = decompress(body, header.compressedSize, header.uncompressedSize);
    Cursor cursor = new Cursor(page, 0, page.length);
    boolean[] defined = null;
    if (column.optional()) {
      if (header.definitionEncoding != RLE) {
        throw new ParquetException("definition levels in encoding " + header.definitionEncoding);
      }
      int length = cursor.int32();
      defined = levels(new Cursor(page, cursor.position, cursor.position + length), header);
      cursor.position += length;
    }
    return values(header, cursor, defined);
  }

  private Object[] dataPageV2(PageHeader header, int body) throws ParquetException {
    int levelBytes = header.repetitionLength + header.definitionLength;
    if (header.repetitionLength != 0) {
      throw new ParquetException("repetition levels in a flat column");
    }
    boolean[] defined =
        column.optional()
            ? levels(new Cursor(file, body, body + header.definitionLength), header)
            : null;
    int valuesStart = body + levelBytes;
    int valuesLength = header.compressedSize - levelBytes;
    byte[] page =
        header.compressed
            ? decompress(valuesStart, valuesLength, header.uncompressedSize - levelBytes)
            : copy(valuesStart, valuesLength);
    return values(header, new Cursor(page, 0, page.length), defined);
  }

  private boolean[] levels(Cursor levels, PageHeader header) throws ParquetException {
    int[] decoded = Rle.decode(levels, 1, header.valueCount);
    boolean[] defined = new boolean[header.valueCount];
    for (int i = 0; i < decoded.length; i++) {
      defined[i] = decoded[i] == 1;
    }
    return defined;
  }

  private Object[] values(PageHeader header, Cursor cursor, boolean[] defined)
      throws ParquetException {
    int count = header.valueCount;
    if (count < 0) {
      throw new ParquetException("negative value count");
    }
    int present = 0;
    for (int i = 0; i < count; i++) {
      if (defined == null || defined[i]) {
        present++;
      }
    }
    Object[] decoded = decode(header.encoding, cursor, present);
    if (defined == null) {
      return decoded;
    }
    Object[] values = new Object[count];
    int next = 0;
    for (int i = 0; i < count; i++) {
      values[i] = defined[i] ? decoded[next++] : null;
    }
    return values;
  }

  private Object[] decode(int encoding, Cursor cursor, int count) throws ParquetException {
    Object[] out = new Object[count];
    switch (encoding) {
      case PLAIN -> {
        for (int i = 0; i < count; i++) {
          out[i] = plain(cursor);
        }
      }
      case PLAIN_DICTIONARY, RLE_DICTIONARY -> {
        if (dictionary == null) {
          throw new ParquetException("dictionary-encoded page without a dictionary page");
        }
        int width = cursor.byte8();
        int[] indexes = Rle.decode(cursor, width, count);
        for (int i = 0; i < count; i++) {
          if (indexes[i] < 0 || indexes[i] >= dictionary.length) {
            throw new ParquetException("dictionary index " + indexes[i] + " out of range");
          }
          out[i] = dictionary[indexes[i]];
        }
      }
      case DELTA_BINARY_PACKED -> {
        long[] numbers = Delta.binaryPacked(cursor, count);
        for (int i = 0; i < count; i++) {
          out[i] = column.type() == Column.INT32 ? (long) (int) numbers[i] : numbers[i];
        }
      }
      case DELTA_LENGTH_BYTE_ARRAY -> {
        long[] lengths = Delta.binaryPacked(cursor, count);
        for (int i = 0; i < count; i++) {
          out[i] = cursor.text((int) lengths[i]);
        }
      }
      case DELTA_BYTE_ARRAY -> {
        long[] prefixes = Delta.binaryPacked(cursor, count);
        long[] lengths = Delta.binaryPacked(cursor, count);
        byte[] previous = new byte[0];
        for (int i = 0; i < count; i++) {
          int prefix = (int) prefixes[i];
          int suffix = (int) lengths[i];
          if (prefix < 0 || prefix > previous.length) {
            throw new ParquetException(
                "delta prefix " + prefix + " longer than the previous value");
          }
          byte[] value = new byte[prefix + suffix];
          System.arraycopy(previous, 0, value, 0, prefix);
          cursor.bytes(value, prefix, suffix);
          out[i] = new String(value, StandardCharsets.UTF_8);
          previous = value;
        }
      }
      default -> throw new ParquetException("encoding " + encoding + " is not read");
    }
    return out;
  }

  private Object plain(Cursor cursor) throws ParquetException {
    return switch (column.type()) {
      case Column.INT32 -> (long) cursor.int32();
      case Column.INT64 -> cursor.int64();
      case Column.BYTE_ARRAY -> cursor.text(cursor.int32());
      case Column.DOUBLE -> Double.longBitsToDouble(cursor.int64());
      case Column.FLOAT -> (double) Float.intBitsToFloat(cursor.int32());
      default -> throw new ParquetException("physical type " + column.type() + " is not read");
    };
  }

  private byte[] decompress(int offset, int length, int uncompressed) throws ParquetException {
    if (length < 0 || uncompressed < 0) {
      throw new ParquetException("negative page size");
    }
    return switch (chunk.codec()) {
      case UNCOMPRESSED -> copy(offset, length);
      case SNAPPY -> Snappy.decompress(file, offset, length, uncompressed);
      default -> gunzip(offset, length, uncompressed);
    };
  }

  private byte[] gunzip(int offset, int length, int uncompressed) throws ParquetException {
    byte[] out = new byte[uncompressed];
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(file, offset, length))) {
      int read = in.readNBytes(out, 0, uncompressed);
      if (read != uncompressed || in.read() >= 0) {
        throw new ParquetException(
            "gzip page holds "
                + (read < uncompressed ? read : "more than " + uncompressed)
                + " bytes, its header says "
                + uncompressed);
      }
    } catch (ParquetException e) {
      throw e;
    } catch (IOException e) {
      throw new ParquetException("damaged gzip page: " + e.getMessage(), e);
    }
    return out;
  }

  private byte[] copy(int offset, int length) {
    byte[] out = new byte[length];
    System.arraycopy(file, offset, out, 0, length);
    return out;
  }

  /** The fields of a page header Vigil needs. */
  private static final class PageHeader {
    int type;
    int uncompressedSize;
    int compressedSize;
    int valueCount;
    int encoding;
    int definitionEncoding = RLE;
    int definitionLength;
    int repetitionLength;
    boolean compressed = true;

    // PageHeader: 1 type, 2 uncompressed_page_size, 3 compressed_page_size, 5 data_page_header,
    // 7 dictionary_page_header, 8 data_page_header_v2.
    static PageHeader read(CompactThrift in) throws ParquetException {
      PageHeader header = new PageHeader();
      CompactThrift.Field field = in.newField();
      while (in.next(field)) {
        switch (field.id) {
          case 1 -> header.type = in.i32();
          case 2 -> header.uncompressedSize = in.i32();
          case 3 -> header.compressedSize = in.i32();
          case 5 -> header.dataPage(in);
          case 7 -> header.dictionaryPage(in);
          case 8 -> header.dataPageV2(in);
          default -> in.skip(field.type);
        }
      }
      return header;
    }

    // DataPageHeader: 1 num_values, 2 encoding, 3 definition_level_encoding.
    private void dataPage(CompactThrift in) throws ParquetException {
      CompactThrift.Field field = in.newField();
      while (in.next(field)) {
        switch (field.id) {
          case 1 -> valueCount = in.i32();
          case 2 -> encoding = in.i32();
          case 3 -> definitionEncoding = in.i32();
          default -> in.skip(field.type);
        }
      }
    }

    // DictionaryPageHeader: 1 num_values, 2 encoding.
    private void dictionaryPage(CompactThrift in) throws ParquetException {
      CompactThrift.Field field = in.newField();
      while (in.next(field)) {
        switch (field.id) {
          case 1 -> valueCount = in.i32();
          case 2 -> encoding = in.i32();
          default -> in.skip(field.type);
        }
      }
      if (encoding != PLAIN && encoding != PLAIN_DICTIONARY) {
        throw new ParquetException("dictionary page in encoding " + encoding);
      }
    }

    // DataPageHeaderV2: 1 num_values, 4 encoding, 5 definition_levels_byte_length,
    // 6 repetition_levels_byte_length, 7 is_compressed.
    private void dataPageV2(CompactThrift in) throws ParquetException {
      CompactThrift.Field field = in.newField();
      while (in.next(field)) {
        switch (field.id) {
          case 1 -> valueCount = in.i32();
          case 4 -> encoding = in.i32();
          case 5 -> definitionLength = in.i32();
          case 6 -> repetitionLength = in.i32();
          case 7 -> compressed = in.bool(field);
          default -> in.skip(field.type);
        }
      }
    }
  }
}

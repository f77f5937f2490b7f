package dev.vigil.core.parse.parquet;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A Parquet file of flat columns, read from memory with the JDK alone
 * (https://parquet.apache.org/docs/file-format/): the footer's schema and row groups, and each row
 * group's rows decoded a page per column at a time. What it reads is what AWS writes for the
 * Parquet option of VPC Flow Logs' S3 destination — primitive required or optional columns, data
 * pages v1 and v2, plain, dictionary and delta encodings, uncompressed, gzip or snappy pages.
 * Anything else (nested or repeated columns, other codecs or encodings) is refused with a {@link
 * ParquetException} naming the column.
 */
public final class ParquetFile {
  private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);

  private final byte[] bytes;
  private final List<Column> columns;
  private final List<RowGroup> rowGroups;
  private final String createdBy;

  /** A column of the schema: its name, physical type and whether it may be null. */
  public record Column(String name, int type, boolean optional) {
    public static final int BOOLEAN = 0;
    public static final int INT32 = 1;
    public static final int INT64 = 2;
    public static final int FLOAT = 4;
    public static final int DOUBLE = 5;
    public static final int BYTE_ARRAY = 6;
  }

  record Chunk(int codec, long start, long length, long values) {}

  record RowGroup(long rows, List<Chunk> chunks) {}

  private ParquetFile(
      byte[] bytes, List<Column> columns, List<RowGroup> rowGroups, String createdBy) {
    this.bytes = bytes;
    this.columns = columns;
    this.rowGroups = rowGroups;
    this.createdBy = createdBy;
  }

  /** True when {@code head} starts as a Parquet file does. */
  public static boolean isParquet(byte[] head, int length) {
    if (length < MAGIC.length) {
      return false;
    }
    for (int i = 0; i < MAGIC.length; i++) {
      if (head[i] != MAGIC[i]) {
        return false;
      }
    }
    return true;
  }

  /** Reads the footer of the whole file in {@code bytes}. */
  public static ParquetFile open(byte[] bytes) throws ParquetException {
    int n = bytes.length;
    if (n < 12 || !isParquet(bytes, n) || !endsWithMagic(bytes)) {
      throw new ParquetException("not a whole Parquet file (PAR1 at its start and end)");
    }
    int footerLength =
        (bytes[n - 8] & 0xff)
            | (bytes[n - 7] & 0xff) << 8
            | (bytes[n - 6] & 0xff) << 16
            | (bytes[n - 5] & 0xff) << 24;
    int footerStart = n - 8 - footerLength;
    if (footerLength <= 0 || footerStart < 4) {
      throw new ParquetException("footer length " + footerLength + " does not fit the file");
    }
    return readFooter(bytes, new CompactThrift(bytes, footerStart, n - 8));
  }

  public List<Column> columns() {
    return columns;
  }

  public int rowGroupCount() {
    return rowGroups.size();
  }

  /** The writer that made the file, as its footer says. */
  public String createdBy() {
    return createdBy;
  }

  /** The rows of a row group, read a page of each column at a time. */
  public Rows rows(int rowGroup) throws ParquetException {
    RowGroup group = rowGroups.get(rowGroup);
    ColumnChunkReader[] readers = new ColumnChunkReader[columns.size()];
    for (int c = 0; c < readers.length; c++) {
      try {
        readers[c] = new ColumnChunkReader(bytes, columns.get(c), group.chunks().get(c));
      } catch (ParquetException e) {
        throw located(c, rowGroup, e);
      }
    }
    return new Rows(rowGroup, group.rows(), readers);
  }

  /**
   * One row group's rows in order: each row's values by column — {@code Long} for integers, {@code
   * String} for byte arrays (UTF-8), {@code Boolean}, {@code Double}, null where the row has none.
   */
  public final class Rows {
    private final int rowGroup;
    private final ColumnChunkReader[] readers;
    private long left;

    private Rows(int rowGroup, long rows, ColumnChunkReader[] readers) {
      this.rowGroup = rowGroup;
      this.left = rows;
      this.readers = readers;
    }

    /** Fills {@code row} (one slot per column) with the next row; false after the last. */
    public boolean next(Object[] row) throws ParquetException {
      if (left <= 0) {
        return false;
      }
      for (int c = 0; c < readers.length; c++) {
        try {
          row[c] = readers[c].next();
        } catch (ParquetException e) {
          throw located(c, rowGroup, e);
        }
      }
      left--;
      return true;
    }
  }

  private ParquetException located(int column, int rowGroup, ParquetException e) {
    return new ParquetException(
        "column "
            + columns.get(column).name()
            + " of row group "
            + rowGroup
            + ": "
            + e.getMessage(),
        e);
  }

  private static boolean endsWithMagic(byte[] bytes) {
    int n = bytes.length;
    for (int i = 0; i < MAGIC.length; i++) {
      if (bytes[n - MAGIC.length + i] != MAGIC[i]) {
        return false;
      }
    }
    return true;
  }

  // FileMetaData: 2 schema, 3 num_rows, 4 row_groups, 6 created_by.
  private static ParquetFile readFooter(byte[] bytes, CompactThrift in) throws ParquetException {
    List<Column> columns = null;
    List<RowGroup> rowGroups = new ArrayList<>();
    String createdBy = null;
    CompactThrift.Field field = in.newField();
    while (in.next(field)) {
      switch (field.id) {
        case 2 -> columns = readSchema(in);
        case 4 -> {
          int size = in.listSize();
          for (int i = 0; i < size; i++) {
            rowGroups.add(readRowGroup(in));
          }
        }
        case 6 ->
            createdBy = field.type == CompactThrift.BINARY ? in.string() : skipNull(in, field);
        default -> in.skip(field.type);
      }
    }
    if (columns == null) {
      throw new ParquetException("the footer has no schema");
    }
    for (int g = 0; g < rowGroups.size(); g++) {
      if (rowGroups.get(g).chunks().size() != columns.size()) {
        throw new ParquetException(
            "row group "
                + g
                + " has "
                + rowGroups.get(g).chunks().size()
                + " column chunks for "
                + columns.size()
                + " columns");
      }
    }
    return new ParquetFile(bytes, List.copyOf(columns), List.copyOf(rowGroups), createdBy);
  }

  private static String skipNull(CompactThrift in, CompactThrift.Field field)
      throws ParquetException {
    in.skip(field.type);
    return null;
  }

  // SchemaElement: 1 type, 3 repetition_type, 4 name, 5 num_children. The first element is the
  // root; every other must be a primitive leaf for the schema to be flat.
  private static List<Column> readSchema(CompactThrift in) throws ParquetException {
    int size = in.listSize();
    List<Column> columns = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      Integer type = null;
      int repetition = 0;
      String name = null;
      int children = 0;
      CompactThrift.Field field = in.newField();
      while (in.next(field)) {
        switch (field.id) {
          case 1 -> type = in.i32();
          case 3 -> repetition = in.i32();
          case 4 -> name = in.string();
          case 5 -> children = in.i32();
          default -> in.skip(field.type);
        }
      }
      if (i == 0) {
        if (children != size - 1) {
          throw new ParquetException(
              "nested schema (the root has " + children + " of " + (size - 1) + " elements)");
        }
        continue;
      }
      if (type == null || children > 0) {
        throw new ParquetException("column " + name + " is a group; only flat schemas are read");
      }
      if (repetition == 2) {
        throw new ParquetException("column " + name + " is repeated; only flat schemas are read");
      }
      columns.add(new Column(name, type, repetition == 1));
    }
    return columns;
  }

  // RowGroup: 1 columns, 3 num_rows.
  private static RowGroup readRowGroup(CompactThrift in) throws ParquetException {
    List<Chunk> chunks = new ArrayList<>();
    long rows = 0;
    CompactThrift.Field field = in.newField();
    while (in.next(field)) {
      switch (field.id) {
        case 1 -> {
          int size = in.listSize();
          for (int i = 0; i < size; i++) {
            chunks.add(readColumnChunk(in));
          }
        }
        case 3 -> rows = in.i64();
        default -> in.skip(field.type);
      }
    }
    return new RowGroup(rows, chunks);
  }

  // ColumnChunk: 1 file_path, 3 meta_data. ColumnMetaData: 4 codec, 5 num_values,
  // 7 total_compressed_size, 9 data_page_offset, 11 dictionary_page_offset.
  private static Chunk readColumnChunk(CompactThrift in) throws ParquetException {
    Chunk chunk = null;
    CompactThrift.Field field = in.newField();
    while (in.next(field)) {
      if (field.id == 1 && field.type == CompactThrift.BINARY) {
        String path = in.string();
        if (!path.isEmpty()) {
          throw new ParquetException("column data in another file (" + path + ")");
        }
      } else if (field.id == 3 && field.type == CompactThrift.STRUCT) {
        int codec = 0;
        long values = 0;
        long length = 0;
        long dataPage = -1;
        long dictionaryPage = -1;
        CompactThrift.Field meta = in.newField();
        while (in.next(meta)) {
          switch (meta.id) {
            case 4 -> codec = in.i32();
            case 5 -> values = in.i64();
            case 7 -> length = in.i64();
            case 9 -> dataPage = in.i64();
            case 11 -> dictionaryPage = in.i64();
            default -> in.skip(meta.type);
          }
        }
        long start = dictionaryPage > 0 && dictionaryPage < dataPage ? dictionaryPage : dataPage;
        chunk = new Chunk(codec, start, length, values);
      } else {
        in.skip(field.type);
      }
    }
    if (chunk == null) {
      throw new ParquetException("a column chunk without metadata");
    }
    return chunk;
  }
}

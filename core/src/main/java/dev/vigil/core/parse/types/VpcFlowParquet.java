package dev.vigil.core.parse.types;

import dev.vigil.core.parse.parquet.ParquetException;
import dev.vigil.core.parse.parquet.ParquetFile;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;

/**
 * VPC Flow Logs in the Parquet option of the S3 destination
 * (https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-path.html), read as the plain-text
 * format it mirrors: the columns are the record fields with {@code _} for {@code -} ({@code
 * account_id}, {@code log_status}, types as the "Parquet data type" of
 * https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html), so the column names make
 * the header line and each row a record line, and {@link VpcFlowParser} reads them as it reads text
 * — one reading of the fields for both formats. A null value is {@code -}, as in text. Row {@code
 * n} (from 1, across row groups) is record line {@code n + 1}, the header being line 1.
 */
public final class VpcFlowParquet {
  private static final int ROWS_PER_BATCH = 1024;

  private VpcFlowParquet() {}

  /** The header line the columns of {@code file} make, without its line break. */
  public static String header(ParquetFile file) {
    StringBuilder line = new StringBuilder();
    for (ParquetFile.Column column : file.columns()) {
      if (line.length() > 0) {
        line.append(' ');
      }
      line.append(column.name().replace('_', '-'));
    }
    return line.toString();
  }

  /**
   * The file as flow log text, decoded a batch of rows at a time. Damage found in a later row group
   * surfaces as a {@link ParquetException} from {@code read}, after the rows before it.
   */
  public static InputStream text(ParquetFile file) {
    byte[] header = (header(file) + "\n").getBytes(StandardCharsets.UTF_8);
    return new SequenceInputStream(
        new ByteArrayInputStream(header), new SequenceInputStream(new Batches(file)));
  }

  /** Text of {@link #ROWS_PER_BATCH} rows at a time, row group after row group. */
  private static final class Batches implements Enumeration<InputStream> {
    private final ParquetFile file;
    private final Object[] row;
    private int group = -1;
    private ParquetFile.Rows rows;
    private byte[] batch;
    private ParquetException damage;

    Batches(ParquetFile file) {
      this.file = file;
      this.row = new Object[file.columns().size()];
    }

    @Override
    public boolean hasMoreElements() {
      if (batch == null && damage == null) {
        try {
          batch = nextBatch();
        } catch (ParquetException e) {
          damage = e;
        }
      }
      return batch != null || damage != null;
    }

    @Override
    public InputStream nextElement() {
      hasMoreElements();
      if (damage != null) {
        ParquetException thrown = damage;
        group = file.rowGroupCount(); // nothing after damage
        rows = null;
        damage = null;
        return new InputStream() {
          @Override
          public int read() throws IOException {
            throw thrown;
          }
        };
      }
      byte[] out = batch;
      batch = null;
      return new ByteArrayInputStream(out);
    }

    /** The text of up to {@link #ROWS_PER_BATCH} rows, or null after the last row. */
    private byte[] nextBatch() throws ParquetException {
      StringBuilder text = new StringBuilder();
      int count = 0;
      while (count < ROWS_PER_BATCH) {
        if (rows == null) {
          if (group + 1 >= file.rowGroupCount()) {
            break;
          }
          rows = file.rows(++group);
        }
        if (!rows.next(row)) {
          rows = null;
          continue;
        }
        for (int c = 0; c < row.length; c++) {
          if (c > 0) {
            text.append(' ');
          }
          text.append(row[c] == null ? "-" : row[c]);
        }
        text.append('\n');
        count++;
      }
      return count == 0 ? null : text.toString().getBytes(StandardCharsets.UTF_8);
    }
  }
}

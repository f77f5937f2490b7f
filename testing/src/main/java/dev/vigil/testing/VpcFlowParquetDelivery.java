package dev.vigil.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.ParquetProperties.WriterVersion;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

/**
 * VPC Flow Logs as the S3 destination's Parquet option delivers them, written by parquet-java (the
 * reference Java implementation), never by Vigil's reader's own code:
 *
 * <ul>
 *   <li>columns: the record fields with {@code _} for {@code -}, typed as the "Parquet data type"
 *       of each field in https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html
 *       (INT_32 for version, ports, protocol, tcp-flags, traffic-path; INT_64 for packets, bytes,
 *       start, end; STRING otherwise) — the names Athena's Parquet table for flow logs uses
 *       (https://docs.aws.amazon.com/athena/latest/ug/vpc-flow-logs-partition-projection-parquet-example.html);
 *       a field with no value ({@code -} in text) is null;
 *   <li>pages gzip-compressed ("Data in Parquet format with Gzip compression"), objects named
 *       {@code <account>_vpcflowlogs_<region>_<flow log id>_<YYYYMMDDTHHmmZ>_<hash>.log.parquet}
 *       under {@code AWSLogs/<account>/vpcflowlogs/<region>/<yyyy>/<MM>/<dd>/[<HH>/]}, or with
 *       Hive-compatible prefixes {@code AWSLogs/aws-account-id=…/aws-service=vpcflowlogs/
 *       aws-region=…/year=…/month=…/day=…/[hour=…/]}
 *       (https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-path.html).
 * </ul>
 */
public final class VpcFlowParquetDelivery {
  private static final DateTimeFormatter FILE_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm'Z'").withZone(ZoneOffset.UTC);

  /** The documented Parquet type of each field Vigil's fixtures use, in the default order. */
  public static final Map<String, PrimitiveTypeName> FIELDS = fields();

  private VpcFlowParquetDelivery() {}

  private static Map<String, PrimitiveTypeName> fields() {
    Map<String, PrimitiveTypeName> fields = new LinkedHashMap<>();
    PrimitiveTypeName int32 = PrimitiveTypeName.INT32;
    PrimitiveTypeName int64 = PrimitiveTypeName.INT64;
    PrimitiveTypeName string = PrimitiveTypeName.BINARY;
    fields.put("version", int32);
    fields.put("account_id", string);
    fields.put("interface_id", string);
    fields.put("srcaddr", string);
    fields.put("dstaddr", string);
    fields.put("srcport", int32);
    fields.put("dstport", int32);
    fields.put("protocol", int32);
    fields.put("packets", int64);
    fields.put("bytes", int64);
    fields.put("start", int64);
    fields.put("end", int64);
    fields.put("action", string);
    fields.put("log_status", string);
    fields.put("vpc_id", string);
    fields.put("subnet_id", string);
    fields.put("instance_id", string);
    fields.put("tcp_flags", int32);
    fields.put("type", string);
    fields.put("pkt_srcaddr", string);
    fields.put("pkt_dstaddr", string);
    fields.put("region", string);
    fields.put("az_id", string);
    fields.put("flow_direction", string);
    fields.put("traffic_path", int32);
    return java.util.Collections.unmodifiableMap(fields);
  }

  /** How the file is laid out inside: Parquet writer version and dictionary encoding. */
  public enum Layout {
    /** Data pages v1, dictionary-encoded where it pays (parquet-java's defaults). */
    V1_DICTIONARY,
    /** Data pages v2 without dictionaries: delta encodings for numbers and strings. */
    V2_PLAIN
  }

  /**
   * A flow log Parquet file of {@code columns} (names from {@link #FIELDS}) and rows (values by
   * column name, Integer/Long/String, absent or null for no value), split into row groups of about
   * {@code rowGroupBytes}.
   */
  public static byte[] file(
      List<String> columns, List<Map<String, Object>> rows, Layout layout, int rowGroupBytes) {
    Types.MessageTypeBuilder schema = Types.buildMessage();
    for (String column : columns) {
      PrimitiveTypeName type = FIELDS.get(column);
      if (type == null) {
        throw new IllegalArgumentException("no documented Parquet type for " + column);
      }
      if (type == PrimitiveTypeName.BINARY) {
        schema.optional(type).as(LogicalTypeAnnotation.stringType()).named(column);
      } else {
        schema.optional(type).named(column);
      }
    }
    MessageType type = schema.named("schema");
    InMemoryFile out = new InMemoryFile();
    try (ParquetWriter<Group> writer =
        ExampleParquetWriter.builder(out)
            .withConf(new PlainParquetConfiguration())
            .withType(type)
            .withCodecFactory(new JdkGzip())
            .withCompressionCodec(CompressionCodecName.GZIP)
            .withRowGroupSize((long) rowGroupBytes)
            .withPageSize(Math.max(1024, rowGroupBytes / 4))
            .withWriterVersion(
                layout == Layout.V1_DICTIONARY
                    ? WriterVersion.PARQUET_1_0
                    : WriterVersion.PARQUET_2_0)
            .withDictionaryEncoding(layout == Layout.V1_DICTIONARY)
            .build()) {
      SimpleGroupFactory groups = new SimpleGroupFactory(type);
      for (Map<String, Object> row : rows) {
        Group group = groups.newGroup();
        for (String column : columns) {
          Object value = row.get(column);
          if (value instanceof Integer i) {
            group.append(column, i);
          } else if (value instanceof Long l) {
            group.append(column, l);
          } else if (value instanceof String s) {
            group.append(column, s);
          } else if (value != null) {
            throw new IllegalArgumentException(column + ": " + value.getClass());
          }
        }
        writer.write(group);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.bytes.toByteArray();
  }

  /** The key a flow log delivers a file under, with the documented prefix options. */
  public static String key(
      String account,
      String region,
      String flowLogId,
      Instant time,
      String hash,
      boolean hiveCompatible,
      boolean hourly) {
    var utc = time.atZone(ZoneOffset.UTC);
    String yyyy = String.format("%04d", utc.getYear());
    String mm = String.format("%02d", utc.getMonthValue());
    String dd = String.format("%02d", utc.getDayOfMonth());
    String hh = String.format("%02d", utc.getHour());
    String prefix =
        hiveCompatible
            ? "AWSLogs/aws-account-id="
                + account
                + "/aws-service=vpcflowlogs/aws-region="
                + region
                + "/year="
                + yyyy
                + "/month="
                + mm
                + "/day="
                + dd
                + "/"
                + (hourly ? "hour=" + hh + "/" : "")
            : "AWSLogs/"
                + account
                + "/vpcflowlogs/"
                + region
                + "/"
                + yyyy
                + "/"
                + mm
                + "/"
                + dd
                + "/"
                + (hourly ? hh + "/" : "");
    return prefix
        + account
        + "_vpcflowlogs_"
        + region
        + "_"
        + flowLogId
        + "_"
        + FILE_TIME.format(time)
        + "_"
        + hash
        + ".log.parquet";
  }

  /** Gzip pages with the JDK (parquet-java would look for Hadoop's GzipCodec). */
  private static final class JdkGzip implements CompressionCodecFactory {
    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codec) {
      if (codec != CompressionCodecName.GZIP) {
        throw new IllegalArgumentException(codec.name());
      }
      return new BytesInputCompressor() {
        @Override
        public BytesInput compress(BytesInput bytes) throws IOException {
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes.toByteArray());
          }
          return BytesInput.from(out.toByteArray());
        }

        @Override
        public CompressionCodecName getCodecName() {
          return CompressionCodecName.GZIP;
        }

        @Override
        public void release() {}
      };
    }

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
      throw new UnsupportedOperationException("fixtures are only written");
    }

    @Override
    public void release() {}
  }

  /** parquet-java's output, kept in memory. */
  private static final class InMemoryFile implements OutputFile {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    @Override
    public PositionOutputStream create(long blockSizeHint) {
      return new PositionOutputStream() {
        @Override
        public long getPos() {
          return bytes.size();
        }

        @Override
        public void write(int b) {
          bytes.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
          bytes.write(b, off, len);
        }
      };
    }

    @Override
    public PositionOutputStream createOrOverwrite(long blockSizeHint) {
      return create(blockSizeHint);
    }

    @Override
    public boolean supportsBlockSize() {
      return false;
    }

    @Override
    public long defaultBlockSize() {
      return 0;
    }
  }
}

package dev.vigil.core.parse;

import dev.vigil.core.LogType;
import dev.vigil.core.geo.GeoEnrichment;
import dev.vigil.core.ingest.AccountDirectory;
import dev.vigil.core.parse.parquet.ParquetException;
import dev.vigil.core.parse.parquet.ParquetFile;
import dev.vigil.core.parse.types.VpcFlowParquet;
import dev.vigil.core.parse.types.VpcFlowParser;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.zip.ZipException;

/**
 * Entry point for one object: decompresses, tells the type (given, from the key, or from the
 * content), and streams it through that type's parser. Shared by the ingester, the CLI and tests.
 */
public final class ObjectParser {
  private static final int SNIFF_BYTES = 16 * 1024;
  // VPC Flow Logs closes a file at 75 MB; room for that and more.
  private static final int MAX_PARQUET_BYTES = 512 * 1024 * 1024;

  private final Map<LogType, LogParser> parsers = new EnumMap<>(LogType.class);
  private final IndexNaming naming;
  private final GeoEnrichment geo;
  private final Supplier<AccountDirectory> accounts;

  public ObjectParser(IndexNaming naming, List<LogParser> parsers) {
    this(naming, parsers, null);
  }

  /**
   * @param geo GeoIP enrichment of source and destination addresses; null for none (then nothing on
   *     the hot path looks at addresses)
   */
  public ObjectParser(IndexNaming naming, List<LogParser> parsers, GeoEnrichment geo) {
    this(naming, parsers, geo, () -> null);
  }

  /**
   * @param accounts the organization's accounts as they are now (asked once per object, so a
   *     refreshed directory applies from the next object on); answering null: no account fields
   */
  public ObjectParser(
      IndexNaming naming,
      List<LogParser> parsers,
      GeoEnrichment geo,
      Supplier<AccountDirectory> accounts) {
    this.naming = naming;
    this.geo = geo;
    this.accounts = accounts;
    parsers.forEach(p -> this.parsers.put(p.type(), p));
  }

  /** Every parser Vigil has, with the default index naming. */
  public static ObjectParser standard() {
    return new ObjectParser(IndexNaming.defaults(), LogParsers.all());
  }

  public IndexNaming naming() {
    return naming;
  }

  /**
   * Parses {@code raw} (compressed or not). {@code type} may be null for auto-detection.
   *
   * @throws UnreadableInputException when nothing can be made of the object (its type cannot be
   *     told, or it is not valid compressed data); records already delivered stay delivered.
   */
  public ParseSummary parse(InputStream raw, ObjectRef origin, LogType type, DocumentSink sink)
      throws IOException {
    InputStream content = open(raw, origin);
    // The head tells binary from text, and the type when the key does not; it is then put back in
    // front of the rest without another buffering layer.
    Head head = Head.read(content);
    if (ParquetFile.isParquet(head.bytes, head.length)) {
      return parseParquet(head.followedBy(content), origin, type, sink);
    }
    String binary = BinaryContent.problem(head.bytes, head.length);
    if (binary != null) {
      throw new UnreadableInputException(origin + ": neither gzip/zlib data nor text: " + binary);
    }
    LogType resolved = type;
    if (resolved == null) {
      resolved =
          detect(LogTypeDetector.fromKey(origin.key()).isEmpty() ? head.text() : null, origin);
    }
    content = head.followedBy(content);
    LogParser parser = parsers.get(resolved);
    if (parser == null) {
      throw new UnreadableInputException(origin + ": no parser for log type " + resolved.id());
    }
    ParseContext context = new ParseContext(origin, sink, naming, geo, accounts.get());
    try {
      parser.parse(content, context);
    } catch (EOFException | ZipException e) {
      // Truncated or corrupt compressed data: what was read before the damage is kept, the rest is
      // reported.
      context.reject(
          0,
          -1,
          "compressed data is damaged after "
              + context.documents()
              + " documents: "
              + e.getMessage());
    }
    return new ParseSummary(resolved, context.documents(), context.rejected(), context.skipped());
  }

  /**
   * A Parquet object: VPC Flow Logs' Parquet option is the one Parquet delivery Vigil reads, so it
   * is read as a flow log when the type is not given and the key names no other. The whole object
   * is held in memory (the footer is at its end), up to {@link #MAX_PARQUET_BYTES}.
   */
  private ParseSummary parseParquet(
      InputStream content, ObjectRef origin, LogType type, DocumentSink sink) throws IOException {
    LogType resolved = type != null ? type : LogTypeDetector.fromKey(origin.key()).orElse(null);
    if (resolved != null && resolved != LogType.VPCFLOW) {
      throw new UnreadableInputException(
          origin
              + ": a Parquet file; Vigil reads Parquet as VPC flow logs only, not "
              + resolved.id());
    }
    byte[] whole = content.readNBytes(MAX_PARQUET_BYTES + 1);
    if (whole.length > MAX_PARQUET_BYTES) {
      throw new UnreadableInputException(
          origin + ": a Parquet file larger than " + MAX_PARQUET_BYTES + " bytes");
    }
    ParquetFile file;
    try {
      file = ParquetFile.open(whole);
    } catch (ParquetException e) {
      throw new UnreadableInputException(origin + ": unreadable Parquet: " + e.getMessage(), e);
    }
    if (resolved == null && !VpcFlowParser.looksLikeFlowLog(VpcFlowParquet.header(file))) {
      throw new UnreadableInputException(
          origin + ": a Parquet file whose columns are not VPC flow log fields");
    }
    LogParser parser = parsers.get(LogType.VPCFLOW);
    if (parser == null) {
      throw new UnreadableInputException(origin + ": no parser for log type vpcflow");
    }
    ParseContext context = new ParseContext(origin, sink, naming, geo, accounts.get());
    try {
      parser.parse(VpcFlowParquet.text(file), context);
    } catch (ParquetException e) {
      context.reject(
          0,
          -1,
          "Parquet data is damaged after " + context.documents() + " documents: " + e.getMessage());
    }
    return new ParseSummary(
        LogType.VPCFLOW, context.documents(), context.rejected(), context.skipped());
  }

  private static InputStream open(InputStream raw, ObjectRef origin)
      throws UnreadableInputException {
    try {
      return Decompression.open(raw);
    } catch (IOException e) {
      throw new UnreadableInputException(
          origin + ": not valid gzip/zlib data: " + e.getMessage(), e);
    }
  }

  /**
   * The first bytes of the content. Damaged compressed data found while reading them is kept to be
   * thrown when the parser reads on, so what came before the damage is still parsed.
   */
  private record Head(byte[] bytes, int length, IOException damage) {
    static Head read(InputStream content) throws IOException {
      byte[] bytes = new byte[SNIFF_BYTES];
      int length = 0;
      try {
        int n;
        while (length < bytes.length
            && (n = content.read(bytes, length, bytes.length - length)) > 0) {
          length += n;
        }
      } catch (EOFException | ZipException e) {
        return new Head(bytes, length, e);
      }
      return new Head(bytes, length, null);
    }

    String text() {
      return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }

    InputStream followedBy(InputStream rest) {
      InputStream after =
          damage == null
              ? rest
              : new InputStream() {
                @Override
                public int read() throws IOException {
                  throw damage;
                }
              };
      boolean whole = damage == null && length < bytes.length;
      return new SequenceInputStream(new ByteArrayInputStream(bytes, 0, length), after) {
        // Readers size their buffer by this: exact for content that fits the head, unknown else.
        @Override
        public int available() throws IOException {
          return whole ? super.available() : 0;
        }
      };
    }
  }

  private static LogType detect(String head, ObjectRef origin) throws UnreadableInputException {
    return LogTypeDetector.detect(origin.key(), head)
        .orElseThrow(
            () ->
                new UnreadableInputException(
                    origin
                        + ": cannot tell the log type from the key or the content; name it with --type"));
  }
}

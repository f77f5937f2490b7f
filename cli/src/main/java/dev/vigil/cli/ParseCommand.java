package dev.vigil.cli;

import dev.vigil.core.LogType;
import dev.vigil.core.ingest.AccountDirectory;
import dev.vigil.core.parse.DocumentSink;
import dev.vigil.core.parse.IndexNaming;
import dev.vigil.core.parse.LogParsers;
import dev.vigil.core.parse.ObjectParser;
import dev.vigil.core.parse.ObjectRef;
import dev.vigil.core.parse.ParsedDocument;
import dev.vigil.core.parse.Rejection;
import dev.vigil.core.parse.UnreadableInputException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vigil parse}: the log core on local files. One JSON line per document on stdout, a summary
 * and one line per rejection on stderr. Exit 0: all good; 1: some records rejected (the good ones
 * are printed); 5: an input could not be read at all.
 */
@Command(
    name = "parse",
    mixinStandardHelpOptions = true,
    description = {
      "Parse AWS log files as the ingester would and print one JSON line per document:",
      "  {\"index\": \"...\", \"id\": \"...\", \"source\": {...}}",
      "Exit 0 when nothing was rejected, 1 when some records were rejected, 5 when an input cannot be read."
    })
final class ParseCommand implements Callable<Integer> {
  static final int REJECTED = ExitCodes.NOT_OK;
  static final int UNREADABLE = ExitCodes.NOT_FOUND;

  @Option(
      names = "--type",
      defaultValue = "auto",
      description =
          "Log type: auto, cloudtrail, cloudwatch, vpcflow, waf, securityhub, guardduty, s3access, alb,"
              + " route53resolver (default: ${DEFAULT-VALUE}: from the S3 key, else the content).")
  String type;

  @Option(
      names = "--s3-key",
      description =
          "The S3 key the file had: drives type detection and document ids, as in the ingester.")
  String s3Key;

  @Option(
      names = "--s3-bucket",
      description = "The S3 bucket the file came from (part of positional ids).")
  String s3Bucket;

  @Option(
      names = "--accounts",
      paramLabel = "FILE",
      description =
          "An account directory (accounts.json, as in the ConfigMap vigil-accounts: kubectl get"
              + " configmap vigil-accounts -o jsonpath='{.data.accounts\\.json}'): documents get"
              + " cloud.account.name and vigil.account.* as the ingester writes them.")
  Path accounts;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Log files (gzip, zlib or plain).")
  List<Path> files;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    LogType forced = resolveType();
    PrintWriter err = spec.commandLine().getErr();
    ObjectParser parser;
    if (accounts == null) {
      parser = ObjectParser.standard();
    } else {
      AccountDirectory directory;
      try {
        directory = AccountDirectory.parse(Files.readAllBytes(accounts));
      } catch (IOException e) {
        err.println("--accounts " + accounts + ": " + describe(e));
        return UNREADABLE;
      }
      parser = new ObjectParser(IndexNaming.defaults(), LogParsers.all(), null, () -> directory);
    }
    Counts counts = new Counts();
    OutputStream out = new BufferedOutputStream(System.out, 1 << 16);
    boolean unreadable = false;
    for (Path file : files) {
      ObjectRef origin =
          s3Key != null ? new ObjectRef(s3Bucket, s3Key) : new ObjectRef(s3Bucket, file.toString());
      try (InputStream in = Files.newInputStream(file)) {
        parser.parse(in, origin, forced, new Printer(out, err, file, counts));
      } catch (NoSuchFileException e) {
        err.println(file + ": no such file");
        unreadable = true;
      } catch (UnreadableInputException e) {
        err.println(e.getMessage()); // names the file already
        unreadable = true;
      } catch (IOException e) {
        err.println(file + ": cannot read: " + e.getMessage());
        unreadable = true;
      }
    }
    out.flush();
    err.printf(
        "parsed %d records, skipped %d, rejected %d%n",
        counts.documents, counts.skipped, counts.rejected);
    err.flush();
    if (unreadable) {
      return UNREADABLE;
    }
    return counts.rejected > 0 ? REJECTED : 0;
  }

  private static String describe(IOException e) {
    return e instanceof NoSuchFileException ? "no such file" : e.getMessage();
  }

  private LogType resolveType() {
    if ("auto".equalsIgnoreCase(type)) {
      return null;
    }
    return LogType.fromId(type.toLowerCase(Locale.ROOT))
        .orElseThrow(
            () ->
                new CommandLine.ParameterException(
                    spec.commandLine(), "unknown --type '" + type + "'; see vigil parse --help"));
  }

  private static final class Counts {
    long documents;
    long rejected;
    long skipped;
  }

  /** Writes documents as they come, so memory stays flat whatever the input size. */
  private record Printer(OutputStream out, PrintWriter err, Path file, Counts counts)
      implements DocumentSink {
    private static final byte[] INDEX = "{\"index\":".getBytes(StandardCharsets.UTF_8);
    private static final byte[] ID = ",\"id\":".getBytes(StandardCharsets.UTF_8);
    private static final byte[] SOURCE = ",\"source\":".getBytes(StandardCharsets.UTF_8);

    @Override
    public void document(ParsedDocument document) {
      try {
        out.write(INDEX);
        out.write(quoted(document.index()));
        out.write(ID);
        out.write(quoted(document.id()));
        out.write(SOURCE);
        out.write(document.source());
        out.write('}');
        out.write('\n');
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      counts.documents++;
    }

    @Override
    public void rejected(Rejection rejection) {
      counts.rejected++;
      StringBuilder line = new StringBuilder(file.toString());
      if (rejection.record() > 0) {
        line.append(": record ").append(rejection.record());
      }
      if (rejection.byteOffset() >= 0) {
        line.append(" (byte ").append(rejection.byteOffset()).append(')');
      }
      err.println(line + ": " + rejection.reason());
    }

    @Override
    public void skipped(ObjectRef origin, String reason) {
      counts.skipped++;
    }

    private static byte[] quoted(String value) {
      byte[] content =
          com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsUTF8(value);
      byte[] result = new byte[content.length + 2];
      result[0] = '"';
      System.arraycopy(content, 0, result, 1, content.length);
      result[result.length - 1] = '"';
      return result;
    }
  }
}

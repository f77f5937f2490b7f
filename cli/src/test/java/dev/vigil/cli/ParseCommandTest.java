package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ParseCommandTest {
  @TempDir Path dir;

  private final StringWriter err = new StringWriter();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  private int run(String... args) {
    PrintStream original = System.out;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      CommandLine cli = VigilCommand.commandLine();
      cli.setErr(new PrintWriter(err, true));
      return cli.execute(args);
    } finally {
      System.setOut(original);
    }
  }

  @Test
  void goodRecordsArePrintedAsJsonLinesAndExitIsZero() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("trail.json"),
            "{\"Records\":[{\"eventID\":\"e1\",\"eventTime\":\"2026-11-27T01:02:03Z\",\"eventName\":\"X\"}]}");
    assertThat(run("parse", "--type", "cloudtrail", file.toString())).isZero();
    String line = out.toString(StandardCharsets.UTF_8).trim();
    assertThat(line)
        .startsWith("{\"index\":\"vigil-cloudtrail-2026.11.27\",\"id\":\"e1\",\"source\":{");
    assertThat(err.toString()).contains("parsed 1 records, skipped 0, rejected 0");
  }

  @Test
  void anAccountDirectoryNamesTheAccountsItListsAsTheIngesterDoes() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("trail.json"),
            "{\"Records\":[{\"eventID\":\"e1\",\"eventTime\":\"2026-11-27T01:02:03Z\","
                + "\"recipientAccountId\":\"111122223333\"},{\"eventID\":\"e2\","
                + "\"eventTime\":\"2026-11-27T01:02:04Z\",\"recipientAccountId\":\"444455556666\"}]}");
    Path accounts =
        Files.writeString(
            dir.resolve("accounts.json"),
            new dev.vigil.core.ingest.AccountDirectory(
                    java.util.Map.of(
                        "111122223333",
                        new dev.vigil.core.ingest.AccountDirectory.Account(
                            "payments-prod", "Root/Workloads", java.util.Map.of("env", "prod"))),
                    "2026-12-07T00:00:00Z")
                .toJson());

    assertThat(
            run(
                "parse",
                "--type",
                "cloudtrail",
                "--accounts",
                accounts.toString(),
                file.toString()))
        .isZero();

    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    var lines = out.toString(StandardCharsets.UTF_8).lines().map(l -> read(json, l)).toList();
    assertThat(lines.get(0).at("/source/cloud/account/name").asText()).isEqualTo("payments-prod");
    assertThat(lines.get(0).at("/source/vigil/account/ou_path").asText())
        .isEqualTo("Root/Workloads");
    assertThat(lines.get(1).at("/source/cloud/account/name").isMissingNode())
        .as("an account the directory does not list")
        .isTrue();
  }

  @Test
  void anUnreadableAccountDirectoryIsNamedAndNothingIsParsed() throws Exception {
    Path file = Files.writeString(dir.resolve("trail.json"), "{\"Records\":[]}");
    Path accounts =
        Files.writeString(dir.resolve("accounts.json"), "{\"accounts\":{\"111122223333\":{}}}");

    assertThat(run("parse", "--accounts", accounts.toString(), file.toString())).isEqualTo(5);
    assertThat(err.toString())
        .contains("--accounts " + accounts + ": accounts.111122223333.name: missing");
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  private static com.fasterxml.jackson.databind.JsonNode read(
      com.fasterxml.jackson.databind.ObjectMapper json, String line) {
    try {
      return json.readTree(line);
    } catch (java.io.IOException e) {
      throw new AssertionError(line, e);
    }
  }

  @Test
  void rejectedRecordIsNamedOnStderrKeepsTheGoodOnesAndExitsOne() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("trail.json"),
            "{\"Records\":[{\"eventID\":\"bad\"},{\"eventID\":\"e2\",\"eventTime\":\"2026-11-27T01:02:03Z\"}]}");
    assertThat(run("parse", "--type", "cloudtrail", file.toString())).isEqualTo(1);
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("\"id\":\"e2\"")
        .doesNotContain("\"id\":\"bad\"");
    assertThat(err.toString())
        .contains(file + ": record 1 (byte 12): eventTime is missing")
        .contains("parsed 1 records, skipped 0, rejected 1");
  }

  @Test
  void unreadableInputExitsFiveWithTheReason() throws Exception {
    Path notGzip = Files.write(dir.resolve("x.json.gz"), new byte[] {0x1f, (byte) 0x8b, 1, 2, 3});
    assertThat(run("parse", notGzip.toString(), dir.resolve("missing.log").toString()))
        .isEqualTo(5);
    assertThat(err.toString()).contains("not valid gzip").contains("missing.log: no such file");
  }

  @Test
  void unknownTypeIsAUsageError() {
    assertThat(run("parse", "--type", "syslog", "x")).isEqualTo(2);
    assertThat(err.toString()).contains("unknown --type 'syslog'");
  }
}

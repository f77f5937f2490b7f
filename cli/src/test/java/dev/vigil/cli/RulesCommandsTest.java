package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** vigil sigma convert, rules test, rules eval and validate, on the repository's own content. */
class RulesCommandsTest {
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  private static final Path SIGMA = ROOT.resolveSibling("shared").resolve("testdata/sigmahq-sigma");

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = VigilCommand.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void theSampleDetectionsPassTheirOwnTests() {
    int code = run("rules", "test", ROOT.resolve("samples").toString());
    assertThat(code).as(out + "\n" + err).isZero();
    assertThat(out.toString()).doesNotContain("FAIL").contains("PASS root-account-usage");
    assertThat(err.toString()).contains("0 failed").contains("0 invalid");
  }

  @Test
  void aWrongExpectationFailsTheRunAndNamesTheCase() throws Exception {
    String manifest =
        Files.readString(ROOT.resolve("samples/detections/kms-key-deletion.yaml"))
            .replace("expect: NoMatch", "expect: Match");
    Files.writeString(dir.resolve("kms.yaml"), manifest);
    assertThat(run("rules", "test", dir.toString())).isEqualTo(1);
    assertThat(out.toString())
        .contains("FAIL kms-key-deletion / DescribeKey does not: expected Match, got NoMatch");
  }

  @Test
  void sigmaConvertPrintsJsonAndCreditsTheAuthors() {
    int code =
        run(
            "sigma",
            "convert",
            SIGMA.resolve("rules/cloudtrail/aws_cloudtrail_disable_logging.yml").toString());
    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString()).contains("\"vigil-cloudtrail-*\"").contains("\"StopLogging\"");
    assertThat(err.toString()).contains("by vitaliy0x1").contains("DRL");
  }

  @Test
  void sigmaConvertPrintsAFieldrefRuleWithItsPostFilterAndReason() {
    int code =
        run(
            "sigma",
            "convert",
            SIGMA.resolve("rules/cloudtrail/aws_update_login_profile.yml").toString());
    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString())
        .contains("\"postFilter\"")
        .contains("\"vigil_field_equals\"")
        .contains("OpenSearch cannot without scripts");
    assertThat(err.toString()).contains("by toffeebr33k");
  }

  @Test
  void sigmaConvertExitsOneNamingTheUnsupportedConstructAndLine() {
    int code =
        run(
            "sigma",
            "convert",
            SIGMA
                .resolve("unsupported/cloudtrail/aws_lambda_function_created_or_invoked.yml")
                .toString());
    assertThat(code).isEqualTo(1);
    assertThat(err.toString())
        .contains("aws_lambda_function_created_or_invoked.yml:23: the aggregation 'near'");
  }

  @Test
  void sigmaConvertWithIndexKeepsFieldNamesForAnyLogsource() throws Exception {
    Files.writeString(
        dir.resolve("win.yml"),
        "title: t\nauthor: a\nlogsource:\n  product: windows\ndetection:\n  s:\n"
            + "    Image|endswith: '\\\\cmd.exe'\n  condition: s\n");
    assertThat(run("sigma", "convert", "--index", "winlogs-*", dir.resolve("win.yml").toString()))
        .as(err.toString())
        .isZero();
    assertThat(out.toString()).contains("\"winlogs-*\"").contains("\"Image\"");
  }

  @Test
  void evalPrintsOneLinePerMatch() throws Exception {
    Path events = dir.resolve("events.json");
    Files.writeString(
        events,
        "{\"Records\":[{\"eventVersion\":\"1.08\",\"eventTime\":\"2026-11-27T10:00:00Z\","
            + "\"eventSource\":\"kms.amazonaws.com\",\"eventName\":\"ScheduleKeyDeletion\","
            + "\"awsRegion\":\"eu-west-1\",\"eventID\":\"ev-1\",\"userIdentity\":{\"type\":\"IAMUser\"}},"
            + "{\"eventVersion\":\"1.08\",\"eventTime\":\"2026-11-27T10:00:01Z\","
            + "\"eventSource\":\"kms.amazonaws.com\",\"eventName\":\"DescribeKey\","
            + "\"awsRegion\":\"eu-west-1\",\"eventID\":\"ev-2\",\"userIdentity\":{\"type\":\"IAMUser\"}}]}");
    int code =
        run(
            "rules",
            "eval",
            "--rules",
            ROOT.resolve("samples/detections").toString(),
            "--events",
            events.toString(),
            "--type",
            "cloudtrail");
    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString().trim())
        .isEqualTo(
            "{\"rule\":\"kms-key-deletion\",\"severity\":1,\"id\":\"ev-1\",\"index\":\"vigil-cloudtrail-2026.11.27\"}");
    assertThat(err.toString()).contains("over 2 documents: 1 matches");
  }

  @Test
  void validateReportsSchemaAndCompilerProblemsWithLines() throws Exception {
    Files.writeString(
        dir.resolve("bad.yaml"),
        String.join(
            "\n",
            "apiVersion: siem.vigil.dev/v1alpha1",
            "kind: DetectionRule",
            "metadata:",
            "  name: bad",
            "spec:",
            "  severity: 9",
            "  logType: cloudtrail",
            "  interval: 5 minutes",
            "  query: StopLogging",
            "  colour: red",
            ""));
    int code =
        run(
            "validate",
            "--crds",
            ROOT.resolve("crds").toString(),
            dir.resolve("bad.yaml").toString());
    assertThat(code).isEqualTo(1);
    String bad = dir.resolve("bad.yaml").toString();
    assertThat(out.toString())
        .contains(bad + ":6: spec.severity: must be at most 5")
        .contains(bad + ":8: spec.interval: '5 minutes' does not match")
        .contains(bad + ":10: spec: unknown field 'colour'")
        .contains(bad + ":9: query: 'StopLogging' has no field");
  }

  @Test
  void validateRunsTheCrdsCelRulesOffline() throws Exception {
    Files.writeString(
        dir.resolve("cel.yaml"),
        String.join(
            "\n",
            "apiVersion: siem.vigil.dev/v1alpha1",
            "kind: NotificationChannel",
            "metadata:",
            "  name: sns",
            "spec:",
            "  type: SNS",
            "  severities: [1, 7]",
            "---",
            "apiVersion: siem.vigil.dev/v1alpha1",
            "kind: OpenSearchConnection",
            "metadata:",
            "  name: c",
            "spec:",
            "  endpoint: http://search.example.com",
            "  auth: {type: SigV4, sigv4: {region: eu-west-1}}",
            ""));
    int code =
        run(
            "validate",
            "--crds",
            ROOT.resolve("crds").toString(),
            dir.resolve("cel.yaml").toString());
    assertThat(code).isEqualTo(1);
    String f = dir.resolve("cel.yaml").toString();
    assertThat(out.toString())
        .contains(f + ":5: spec: type SNS needs sns.topicArn")
        .contains(f + ":5: spec: severities are 1 (highest) to 5 (lowest)")
        .contains(f + ":13: spec: SigV4 needs an https:// endpoint");
    assertThat(err.toString()).contains("2 objects checked, 3 problems").doesNotContain("warning");
  }

  @Test
  void theSamplesValidate() {
    assertThat(
            run(
                "validate",
                "--crds",
                ROOT.resolve("crds").toString(),
                ROOT.resolve("samples").toString()))
        .as(out.toString())
        .isZero();
    assertThat(err.toString()).doesNotContain("warning");
  }
}

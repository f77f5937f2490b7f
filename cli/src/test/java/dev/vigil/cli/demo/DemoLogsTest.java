package dev.vigil.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The demo logs shipped in samples/demo-logs parse cleanly into the documents the demo expects. */
class DemoLogsTest {
  static final Path LOGS = Path.of("..", "samples", "demo-logs");
  static final Instant NOW = Instant.parse("2026-11-27T22:40:17Z");

  @Test
  void everyLogTypeParsesWithoutRejectionIntoTheDocumentsTheDemoExpects() {
    assertThat(documents("cloudtrail"))
        .isEqualTo(31); // 4 routine, root login, 2 trail tampering, 24 AccessDenied
    assertThat(documents("vpcflow")).isEqualTo(66); // v2: 4 + NODATA; v5: 60 rejected + 1
    assertThat(documents("waf")).isEqualTo(10);
    assertThat(documents("securityhub")).isEqualTo(2);
  }

  @Test
  void objectsGoUnderTheKeysAwsDeliversToAndUnderTheLogSourcePrefix() {
    List<DemoLogs.DemoObject> trail = DemoLogs.of(LOGS, "cloudtrail", "b", "AWSLogs/", NOW);
    assertThat(trail)
        .extracting(DemoLogs.DemoObject::key)
        .containsExactly(
            "AWSLogs/123456789012/CloudTrail/us-east-1/2026/11/27/"
                + "123456789012_CloudTrail_us-east-1_20261127T2240Z_management-events.json.gz");
    assertThat(DemoLogs.of(LOGS, "securityhub", "b", "findings/", NOW))
        .extracting(DemoLogs.DemoObject::key)
        .containsExactly(
            "findings/2026/11/27/22/vigil-demo-securityhub-1-2026-11-27-22-40-17-findings-imported.gz");
    assertThat(DemoLogs.of(LOGS, "waf", "b", "AWSLogs/", NOW).get(0).key())
        .startsWith("AWSLogs/123456789012/WAFLogs/us-east-1/shop-web-acl/2026/11/27/22/40/");
  }

  @Test
  void aDirectoryForATypeWithNoFilesYieldsNothing() {
    assertThat(DemoLogs.of(LOGS, "guardduty", "b", "", NOW)).isEmpty();
    assertThat(Files.isDirectory(LOGS.resolve("cloudtrail"))).isTrue();
  }

  private static long documents(String type) {
    return DemoLogs.of(LOGS, type, "demo-bucket", "AWSLogs/", NOW).stream()
        .mapToLong(DemoLogs.DemoObject::documents)
        .sum();
  }
}

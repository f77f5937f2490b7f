package dev.vigil.ingester.scan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.ingester.support.Objects;
import dev.vigil.ingester.support.PipelineFixture;
import dev.vigil.ingester.support.TestConfigs;
import dev.vigil.testing.TestClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScanJobTest {
  private static final String BUCKET = "archive";
  private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
  private static final String[] ACCOUNTS = {"111111111111", "222222222222"};

  /** A clock the test moves. */
  private final TestClock clock = new TestClock(NOW);

  private static String key(String account, LocalDate day, String name) {
    return "AWSLogs/"
        + account
        + "/CloudTrail/eu-west-1/"
        + day.toString().replace('-', '/')
        + "/"
        + account
        + "_CloudTrail_eu-west-1_"
        + day.toString().replace("-", "")
        + "T"
        + name
        + "Z_x.json.gz";
  }

  private static String put(PipelineFixture f, String key, Instant written, long seed) {
    f.store.put(BUCKET, key, Objects.cloudTrail(3, seed, written), written);
    return key;
  }

  private ScanJob job(PipelineFixture f, Map<String, String> extra) {
    Map<String, String> props = new HashMap<>();
    props.put("vigil.ingester.mode", "scan");
    props.put("vigil.ingester.scan.bucket", BUCKET);
    props.put("vigil.ingester.scan.prefix", "AWSLogs/");
    props.putAll(extra);
    var config = TestConfigs.queueMode(props);
    return new ScanJob(config.scan(), null, f.store, f.ingester(), f.metrics, 2, clock);
  }

  @Test
  void firstPassIngestsTheLookBackWindowListingOnlyItsDayFoldersUnderEveryDateRoot()
      throws Exception {
    try (PipelineFixture f = new PipelineFixture()) {
      LocalDate today = LocalDate.of(2026, 11, 27);
      for (int a = 0; a < ACCOUNTS.length; a++) {
        String account = ACCOUNTS[a];
        put(f, key(account, today, "1100"), NOW.minusSeconds(3600), 10 * a + 1);
        put(f, key(account, today.minusDays(1), "2300"), NOW.minusSeconds(13 * 3600), 10 * a + 2);
        put(f, key(account, today.minusDays(10), "0900"), NOW.minus(Duration.ofDays(10)), 10 * a);
      }

      ScanJob.Pass pass = job(f, Map.of()).scanOnce();

      assertThat(pass.roots()).isEqualTo(2);
      // The first pass takes what was written since 11-26 12:00, which may sit in folders one
      // look-back older: per root 11-25 .. tomorrow 11-28, four day folders.
      assertThat(pass.listings()).isEqualTo(8);
      assertThat(pass.listed()).isEqualTo(4);
      assertThat(pass.ingested()).isEqualTo(4);
      assertThat(pass.completed()).isTrue();
      assertThat(f.openSearch.documents()).hasSize(12);
      assertThat(f.counter("vigil.ingester.scan.objects", "outcome", "ingested")).isEqualTo(4);
    }
  }

  @Test
  void aLateObjectInAnOlderDayFolderIsFoundAndNothingIsIngestedTwice() throws Exception {
    try (PipelineFixture f = new PipelineFixture()) {
      LocalDate today = LocalDate.of(2026, 11, 27);
      put(f, key(ACCOUNTS[0], today.minusDays(1), "2300"), NOW.minusSeconds(3600), 1);
      put(f, key(ACCOUNTS[0], today, "1100"), NOW.minusSeconds(600), 2);
      ScanJob job = job(f, Map.of());
      assertThat(job.scanOnce().ingested()).isEqualTo(2);

      // Yesterday's folder gets an object late; its key sorts before the ones already seen.
      clock.now = NOW.plusSeconds(300);
      put(f, key(ACCOUNTS[0], today.minusDays(1), "0100"), NOW.plusSeconds(200), 3);
      ScanJob.Pass second = job.scanOnce();

      assertThat(second.listed()).isEqualTo(3);
      assertThat(second.ingested()).isEqualTo(1);
      clock.now = NOW.plusSeconds(600);
      assertThat(job.scanOnce().ingested()).isZero();
      assertThat(f.counter("vigil.ingester.scan.objects", "outcome", "ingested")).isEqualTo(3);
      assertThat(f.openSearch.documents()).hasSize(9);
    }
  }

  @Test
  void anObjectStillUploadingDuringAPassIsFoundByTheNextOne() throws Exception {
    try (PipelineFixture f = new PipelineFixture()) {
      LocalDate today = LocalDate.of(2026, 11, 27);
      ScanJob job = job(f, Map.of());
      assertThat(job.scanOnce().ingested()).isZero();

      // S3 stamps the upload's start: a minute before the pass started, but listed only after.
      clock.now = NOW.plusSeconds(300);
      put(f, key(ACCOUNTS[1], today, "1159"), NOW.minusSeconds(60), 1);

      assertThat(job.scanOnce().ingested()).isEqualTo(1);
    }
  }

  @Test
  void aRestartedScanResumesFromItsCheckpointWithoutReadingObjectsAgain(@TempDir Path dir)
      throws Exception {
    try (PipelineFixture f = new PipelineFixture()) {
      LocalDate today = LocalDate.of(2026, 11, 27);
      for (int i = 0; i < 5; i++) {
        put(f, key(ACCOUNTS[0], today, "10" + i + "0"), NOW.minusSeconds(100 - i), i);
      }
      Map<String, String> props =
          Map.of("vigil.ingester.scan.checkpoint", dir.resolve("scan.json").toString());
      assertThat(job(f, props).scanOnce().ingested()).isEqualTo(5);
      assertThat(Files.readString(dir.resolve("scan.json")))
          .contains("\"scope\" : \"scan s3://archive/AWSLogs/\"")
          .contains("\"watermark\" : \"2026-11-27T12:00:00Z\"");

      clock.now = NOW.plusSeconds(300);
      put(f, key(ACCOUNTS[0], today, "1200"), NOW.plusSeconds(100), 9);
      ScanJob.Pass afterRestart = job(f, props).scanOnce();

      assertThat(afterRestart.listed()).isEqualTo(6);
      assertThat(afterRestart.ingested()).isEqualTo(1);
      assertThat(f.counter("vigil.ingester.scan.objects", "outcome", "ingested")).isEqualTo(6);
    }
  }

  @Test
  void withoutDayFoldersTheWholePrefixIsListedAndOnlyRecentObjectsWithTheSuffixAreIngested()
      throws Exception {
    try (PipelineFixture f = new PipelineFixture()) {
      put(f, "AWSLogs/flat/recent.json.gz", NOW.minusSeconds(60), 1);
      put(f, "AWSLogs/flat/old.json.gz", NOW.minus(Duration.ofDays(3)), 2);
      put(f, "AWSLogs/flat/recent.digest", NOW.minusSeconds(60), 3);

      ScanJob.Pass pass = job(f, Map.of("vigil.ingester.scan.suffix", ".json.gz")).scanOnce();

      assertThat(pass.roots()).isZero();
      assertThat(pass.listings()).isEqualTo(1);
      assertThat(pass.listed()).isEqualTo(3);
      assertThat(pass.ingested()).isEqualTo(1);
    }
  }
}

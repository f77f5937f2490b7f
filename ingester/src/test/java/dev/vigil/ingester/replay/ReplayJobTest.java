package dev.vigil.ingester.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.parse.ObjectParser;
import dev.vigil.ingester.support.Objects;
import dev.vigil.ingester.support.PipelineFixture;
import dev.vigil.ingester.support.TestConfigs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayJobTest {
  private static final String BUCKET = "archive";
  private static final String PREFIX = "AWSLogs/123456789012/CloudTrail/us-east-1/";

  private static List<String> putDays(PipelineFixture f, LocalDate first, int days) {
    List<String> keys = new ArrayList<>();
    for (int d = 0; d < days; d++) {
      LocalDate day = first.plusDays(d);
      for (int n = 0; n < 2; n++) {
        String key =
            PREFIX
                + day.toString().replace('-', '/')
                + "/123456789012_CloudTrail_us-east-1_"
                + day.toString().replace("-", "")
                + "T0000Z_"
                + n
                + ".json.gz";
        f.store.put(
            BUCKET, key, Objects.cloudTrail(5, d * 10L + n, Instant.parse(day + "T01:00:00Z")));
        keys.add(key);
      }
    }
    return keys;
  }

  private static ReplayJob job(PipelineFixture f, Map<String, String> replay) {
    Map<String, String> props = new HashMap<>();
    props.put("vigil.ingester.mode", "replay");
    props.put("vigil.ingester.replay.bucket", BUCKET);
    props.put("vigil.ingester.replay.index-prefix", "audit");
    props.putAll(replay);
    var config = TestConfigs.queueMode(props);
    var parser =
        new ObjectParser(
            new dev.vigil.core.parse.IndexNaming(
                "audit", dev.vigil.core.parse.IndexNaming.Granularity.DAILY),
            dev.vigil.core.parse.LogParsers.all());
    return new ReplayJob(
        config.replay(),
        null,
        f.store,
        f.pipeline.ingester(f.store, parser, d -> {}),
        f.metrics,
        3,
        () -> true);
  }

  @Test
  void picksExactlyTheObjectsWhoseKeyDateIsInTheRangeAndIndexesThemUnderThePrefix()
      throws Exception {
    try (PipelineFixture f = new PipelineFixture()) {
      List<String> keys = putDays(f, LocalDate.of(2026, 1, 29), 6); // 01-29 .. 02-03
      f.store.put(BUCKET, "unrelated/2026/01/31/readme.txt", "hello".getBytes());

      ReplayJob.Summary summary =
          job(
                  f,
                  Map.of(
                      "vigil.ingester.replay.prefix", PREFIX,
                      "vigil.ingester.replay.from", "2026-01-31",
                      "vigil.ingester.replay.to", "2026-02-02"))
              .run();

      List<String> inRange = keys.subList(4, 10);
      assertThat(summary.selectedKeys()).containsExactlyInAnyOrderElementsOf(inRange);
      assertThat(summary.succeeded()).isTrue();
      assertThat(summary.documents()).isEqualTo(30);
      assertThat(f.openSearch.documents()).hasSize(30);
      assertThat(f.openSearch.documents().keySet())
          .allSatisfy(
              k -> assertThat(k).matches("audit-cloudtrail-2026\\.(01\\.31|02\\.0[12])/.*"));
    }
  }

  @Test
  void withoutDayFoldersUnderThePrefixEveryKeyIsListedAndFiltered() throws Exception {
    try (PipelineFixture f = new PipelineFixture()) {
      List<String> keys = putDays(f, LocalDate.of(2026, 1, 30), 3);

      ReplayJob.Summary summary =
          job(
                  f,
                  Map.of(
                      "vigil.ingester.replay.prefix", "AWSLogs/",
                      "vigil.ingester.replay.from", "2026-01-31",
                      "vigil.ingester.replay.to", "2026-01-31"))
              .run();

      assertThat(summary.listed()).isEqualTo(6);
      assertThat(summary.selectedKeys()).containsExactlyInAnyOrderElementsOf(keys.subList(2, 4));
    }
  }

  @Test
  void aStoppedReplayResumesAfterItsCheckpoint(@TempDir Path dir) throws Exception {
    try (PipelineFixture f = new PipelineFixture()) {
      List<String> keys = putDays(f, LocalDate.of(2026, 1, 1), 4);
      Path checkpoint = dir.resolve("replay.json");
      Map<String, String> replay =
          Map.of(
              "vigil.ingester.replay.prefix",
              PREFIX,
              "vigil.ingester.replay.from",
              "2026-01-01",
              "vigil.ingester.replay.to",
              "2026-01-04",
              "vigil.ingester.replay.checkpoint",
              checkpoint.toString());
      // A first run got through the first three objects (and the fifth, out of order: it is done
      // again and must not count twice), then stopped.
      new Checkpoint(
              f.store,
              checkpoint.toString(),
              String.join(
                  " ", "s3://" + BUCKET + "/" + PREFIX, "2026-01-01", "2026-01-04", "audit"))
          .save(keys.get(2), 4, 3, false);

      ReplayJob.Summary summary = job(f, replay).run();

      assertThat(summary.selectedKeys()).containsExactlyElementsOf(keys.subList(3, 8));
      assertThat(summary.checkpointKey()).isEqualTo(keys.get(7));
      assertThat(Files.readString(checkpoint))
          .contains("\"lastCompletedKey\" : \"" + keys.get(7) + "\"")
          .contains("\"objectsDone\" : 8")
          .contains("\"objectsThroughKey\" : 8")
          .contains("\"finished\" : true");
    }
  }
}

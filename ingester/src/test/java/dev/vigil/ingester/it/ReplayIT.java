package dev.vigil.ingester.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.ingester.support.Objects;
import dev.vigil.parts.MotoServer;
import dev.vigil.parts.OpenSearchNode;
import dev.vigil.testing.IdSets;
import dev.vigil.testing.RealPartsExtension;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Replay mode of the packaged ingester against an S3 archive in moto: exactly the objects whose key
 * date is in the range end up in the chosen index prefix, progress is logged and checkpointed in
 * S3, and the process exits when done.
 */
@ExtendWith(RealPartsExtension.class)
class ReplayIT {
  private static final String PREFIX = "AWSLogs/123456789012/CloudTrail/eu-west-1/";

  @Test
  void replayIngestsExactlyTheObjectsOfTheDateRangeIntoTheChosenIndexPrefix(
      MotoServer moto, OpenSearchNode openSearch) throws Exception {
    AwsSetup aws = new AwsSetup(moto, "replay", Duration.ofSeconds(10));
    Map<String, JsonNode> expected = new LinkedHashMap<>();
    LocalDate first = LocalDate.of(2025, 12, 30);
    for (int d = 0; d < 5; d++) { // 2025-12-30 .. 2026-01-03
      LocalDate day = first.plusDays(d);
      for (int n = 0; n < 2; n++) {
        String key =
            PREFIX
                + day.toString().replace('-', '/')
                + "/123456789012_CloudTrail_eu-west-1_"
                + day.toString().replace("-", "")
                + "T0"
                + n
                + "00Z_r.json.gz";
        byte[] object =
            Objects.cloudTrail(300, d * 10L + n, Instant.parse(day + "T0" + n + ":00:00Z"));
        aws.s3.putObject(
            p -> p.bucket(aws.bucket).key(key),
            software.amazon.awssdk.core.sync.RequestBody.fromBytes(object));
        if (d >= 1 && d <= 3) {
          expected.putAll(Documents.expected("audit", aws.bucket, key, object));
        }
      }
    }
    Map<String, String> props = new HashMap<>(aws.ingesterProperties());
    props.put("vigil.ingester.mode", "replay");
    props.put("vigil.ingester.opensearch.endpoint", openSearch.uri().toString());
    props.put("vigil.ingester.replay.bucket", aws.bucket);
    props.put("vigil.ingester.replay.prefix", PREFIX);
    props.put("vigil.ingester.replay.from", "2025-12-31");
    props.put("vigil.ingester.replay.to", "2026-01-02");
    props.put("vigil.ingester.replay.index-prefix", "audit");
    props.put(
        "vigil.ingester.replay.checkpoint", "s3://" + aws.deadLetterBucket + "/replay/audit.json");

    IngesterProcess replay = IngesterProcess.start("ingester-replay", props);

    await().atMost(Duration.ofMinutes(2)).until(() -> !replay.isAlive());
    assertThat(replay.logText())
        .contains("replay starting bucket=replay-logs prefix=" + PREFIX)
        .contains("replay finished listed=6 selected=6 done=6 failed=0 documents=1800");
    assertThat(Documents.count(openSearch, "audit-*")).isEqualTo(expected.size());
    IdSets.assertSame(
        "audit-*", Documents.all(openSearch, "audit-*", false).keySet(), expected.keySet());
    JsonNode checkpoint = new ObjectMapper().readTree(aws.deadLetterObject("replay/audit.json"));
    assertThat(checkpoint.path("finished").asBoolean()).isTrue();
    assertThat(checkpoint.path("lastCompletedKey").asText()).startsWith(PREFIX + "2026/01/02/");
  }
}

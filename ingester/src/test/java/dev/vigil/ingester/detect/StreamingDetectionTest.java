package dev.vigil.ingester.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.core.LogType;
import dev.vigil.core.alerts.Alert;
import dev.vigil.core.alerts.StreamDetector;
import dev.vigil.core.parse.ParsedDocument;
import dev.vigil.testing.TestClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class StreamingDetectionTest {
  private static final Path RULE = Path.of("../samples/detectionrule-cloudtrail-tampering.yaml");

  /** Records what the writer asks; answers "open" for keys marked open. */
  private static final class RecordingStore implements AlertStore {
    final List<Alert> created = new CopyOnWriteArrayList<>();
    final List<String> lookups = new CopyOnWriteArrayList<>();
    volatile boolean open;

    @Override
    public boolean hasOpen(Alert alert) {
      lookups.add(alert.id);
      return open;
    }

    @Override
    public boolean create(Alert alert) {
      created.add(alert);
      return true;
    }
  }

  @Test
  void aBurstOfMatchesIsOneLookupAndOneAlertAndOtherLogTypesAreNotEvenParsed() {
    RecordingStore store = new RecordingStore();
    SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    StreamDetector detector = StreamingDetection.load(RULE);
    try (StreamingDetection streaming =
        new StreamingDetection(detector, store, Clock.systemUTC(), metrics)) {
      for (int i = 0; i < 5; i++) {
        streaming.inspect(document(LogType.CLOUDTRAIL, "e" + i, "StopLogging", "mallory"));
      }
      streaming.inspect(document(LogType.CLOUDTRAIL, "x", "GetTrailStatus", "mallory"));
      // Not JSON at all: a type no rule reads is never parsed.
      streaming.inspect(
          new ParsedDocument(
              LogType.VPCFLOW,
              "i",
              "v",
              Instant.now(),
              "not json".getBytes(StandardCharsets.UTF_8)));

      await().until(() -> count(metrics, "suppressed") == 4);
      assertThat(store.created)
          .singleElement()
          .satisfies(
              a -> {
                assertThat(a.source).isEqualTo("stream");
                assertThat(a.matchingDocumentIds).containsExactly("e0");
              });
      assertThat(store.lookups).hasSize(1);
    }
  }

  @Test
  void aKeyWithAnOpenAlertIsLeftToTheScheduledEngineAndNotLookedUpAgainForAnInterval() {
    RecordingStore store = new RecordingStore();
    store.open = true;
    SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    TestClock clock = new TestClock(Instant.now());
    Instant start = clock.now;
    try (StreamingDetection streaming =
        new StreamingDetection(StreamingDetection.load(RULE), store, clock, metrics)) {
      streaming.inspect(document(LogType.CLOUDTRAIL, "e1", "DeleteTrail", "eve"));
      await().until(() -> count(metrics, "open") == 1);
      assertThat(store.created).isEmpty();

      // Past the 60 s a raised key is held, within the rule's default interval (5m): still held.
      clock.now = start.plusSeconds(120);
      streaming.inspect(document(LogType.CLOUDTRAIL, "e2", "DeleteTrail", "eve"));
      await().until(() -> count(metrics, "suppressed") == 1);
      assertThat(store.lookups).hasSize(1);

      clock.now = start.plusSeconds(301);
      streaming.inspect(document(LogType.CLOUDTRAIL, "e3", "DeleteTrail", "eve"));
      await().until(() -> count(metrics, "open") == 2);
      assertThat(store.lookups).hasSize(2);
    }
  }

  private static double count(SimpleMeterRegistry metrics, String outcome) {
    var c = metrics.find("vigil_ingester_stream_alerts_total").tag("outcome", outcome).counter();
    return c == null ? 0 : c.count();
  }

  private static ParsedDocument document(LogType type, String id, String eventName, String user) {
    String json =
        "{\"@timestamp\":\""
            + Instant.now()
            + "\",\"eventSource\":\"cloudtrail.amazonaws.com\",\"eventName\":\""
            + eventName
            + "\",\"userIdentity\":{\"arn\":\"arn:aws:iam::1:user/"
            + user
            + "\"}}";
    return new ParsedDocument(
        type, "idx", id, Instant.now(), json.getBytes(StandardCharsets.UTF_8));
  }
}

package dev.vigil.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What --once waits for, told before anything was uploaded or alerted. */
class ExpectationsTest {
  final Uploads nothingUploaded = new Uploads(null, DemoLogsTest.LOGS, null);

  @Test
  void namesEveryLogSourceNotReadyTheMissingUploadsAndEveryRuleWithoutAlert() throws Exception {
    Expectations expect =
        new Expectations(List.of("cloudtrail", "waf"), List.of("root-login"), false);
    List<String> pending =
        expect.pending(
            Map.of(
                "LogSource/cloudtrail",
                new ResourceStatusFeed.Ready(
                    "LogSource", "cloudtrail", "False", "NotReady", "IngesterReady: 0/1 ready"),
                "LogSource/waf",
                new ResourceStatusFeed.Ready("LogSource", "waf", "True", "Ingesting", "")),
            nothingUploaded,
            Map.of(),
            List.of(
                new ObjectMapper()
                    .readTree("{\"rule\":{\"name\":\"another-rule\"},\"severity\":1}")),
            null);
    assertThat(pending)
        .containsExactly(
            "LogSource/cloudtrail Ready (NotReady: IngesterReady: 0/1 ready)",
            "demo logs uploaded for every LogSource (0/2; a LogSource's notifications must be Ready"
                + " first)",
            "an alert from DetectionRule/root-login");
  }

  @Test
  void withoutAnEngineNoAlertIsExpected() {
    Expectations expect = new Expectations(List.of(), List.of(), false);
    assertThat(expect.pending(Map.of(), nothingUploaded, Map.of(), List.of(), null)).isEmpty();
  }
}

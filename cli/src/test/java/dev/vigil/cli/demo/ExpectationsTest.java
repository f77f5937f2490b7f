package dev.vigil.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What --once waits for, told before anything was uploaded or alerted. */
class ExpectationsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
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

  @Test
  void withAWebhookEveryRulesAlertMustReachIt() throws Exception {
    Expectations expect = new Expectations(List.of(), List.of("root-login", "port-scan"), true);
    List<JsonNode> alerted =
        List.of(
            JSON.readTree("{\"rule\":{\"name\":\"root-login\"}}"),
            JSON.readTree("{\"rule\":{\"name\":\"port-scan\"}}"));
    try (WebhookReceiver receiver =
        WebhookReceiver.start(new Console(new PrintWriter(new StringWriter())))) {
      HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(receiver.url())
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"alert\":{\"rule\":{\"name\":\"root-login\"},\"severity\":1}}"))
                  .build(),
              HttpResponse.BodyHandlers.discarding());

      assertThat(expect.pending(Map.of(), nothingUploaded, Map.of(), alerted, receiver))
          .containsExactly("the webhook's delivery of an alert from DetectionRule/port-scan");
    }
  }
}

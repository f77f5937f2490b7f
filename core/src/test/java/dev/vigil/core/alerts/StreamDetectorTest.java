package dev.vigil.core.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.core.LogType;
import dev.vigil.core.rules.RuleCompiler;
import dev.vigil.core.rules.RuleManifest;
import dev.vigil.core.rules.RuleTester;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StreamDetectorTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2026-11-27T10:00:30Z");

  @Test
  void everyMatchRulesRunInTheStreamCountingRulesStayWithTheSchedule() throws Exception {
    StreamDetector.Selection selection =
        select("detectionrule-cloudtrail-tampering.yaml", "detections/s3-access-denied-spike.yaml");

    assertThat(selection.rules())
        .extracting(r -> r.alerts().name())
        .containsExactly("cloudtrail-tampering");
    assertThat(selection.skipped())
        .singleElement()
        .asString()
        .startsWith("s3-access-denied-spike: counts");
  }

  @Test
  void aMatchingEventRaisesTheAlertTheScheduledRunWouldRaiseWithTheSameId() throws Exception {
    List<RuleManifest> manifests = manifests("detectionrule-cloudtrail-tampering.yaml");
    StreamDetector.Selection selection = StreamDetector.select(manifests, RuleCompiler.defaults());
    StreamDetector detector = new StreamDetector(selection.rules());
    RuleManifest manifest = manifests.get(0);
    JsonNode stop = normalized(manifest, 0);
    JsonNode read = normalized(manifest, 1);

    assertThat(detector.watches(LogType.CLOUDTRAIL)).isTrue();
    assertThat(detector.watches(LogType.VPCFLOW)).isFalse();
    assertThat(detector.inspect(LogType.CLOUDTRAIL, "r1", read, NOW)).isEmpty();
    List<Alert> streamed = detector.inspect(LogType.CLOUDTRAIL, "s1", stop, NOW);
    assertThat(streamed)
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.source).isEqualTo("stream");
              assertThat(a.state).isEqualTo(AlertState.ACTIVE);
              assertThat(a.severity).isEqualTo(1);
              assertThat(a.key)
                  .containsEntry("userIdentity.arn", "arn:aws:iam::111122223333:user/mallory");
              assertThat(a.message)
                  .isEqualTo(
                      "arn:aws:iam::111122223333:user/mallory called StopLogging on org-trail in eu-west-1");
              assertThat(a.matchingDocumentIds).containsExactly("s1");
            });

    // Read from the document's JSON source (the ingester's path): the same alert.
    byte[] source = JSON.writeValueAsBytes(stop);
    assertThat(detector.inspect(LogType.CLOUDTRAIL, "s1", source, source.length, NOW))
        .extracting(a -> a.id)
        .containsExactly(streamed.get(0).id);
    byte[] other = JSON.writeValueAsBytes(read);
    assertThat(detector.inspect(LogType.CLOUDTRAIL, "r1", other, other.length, NOW)).isEmpty();

    // The scheduled engine, seeing the same document in its search response a little later.
    StreamDetector.StreamRule rule = selection.rules().get(0);
    ObjectNode response = JSON.createObjectNode();
    ObjectNode hit = response.putObject("hits").putArray("hits").addObject();
    hit.put("_id", "s1");
    hit.set("_source", stop);
    List<Trigger> triggers = Triggers.evaluate(rule.compiled(), rule.alerts(), response);
    var plan =
        AlertLifecycle.afterRun(
            rule.alerts(), NOW.plusSeconds(240), triggers, new ArrayList<>(), Set.of());
    assertThat(plan.create())
        .singleElement()
        .satisfies(a -> assertThat(a.id).isEqualTo(streamed.get(0).id));
  }

  /**
   * A rule written against the ECS names a CloudTrail document no longer holds (field aliases of
   * the mapping, as in OpenSearch) matches, keys and words its alert from the fields they read.
   */
  @Test
  void aRuleOnCloudTrailFieldAliasesReadsTheFieldsTheyName() throws Exception {
    String yaml =
        """
        apiVersion: siem.vigil.dev/v1alpha1
        kind: DetectionRule
        metadata: {name: aliases, namespace: vigil}
        spec:
          severity: 2
          logType: cloudtrail
          query: 'event.provider:"cloudtrail.amazonaws.com" AND event.action:StopLogging AND cloud.region:eu-west-1'
          suppression: {window: 1h, key: [cloud.account.id]}
          message: "{{event.action}} in {{cloud.account.id}} ({{cloud.region}}, {{user_agent.original}})"
          tests:
            - name: stop
              expect: Match
              event:
                eventTime: "2026-11-27T10:00:00Z"
                eventSource: cloudtrail.amazonaws.com
                eventName: StopLogging
                awsRegion: eu-west-1
                recipientAccountId: "111122223333"
                userAgent: aws-cli/2.15
                eventID: 5b1e2c3d-0000-4000-8000-000000000009
        """;
    List<RuleManifest> manifests = RuleManifest.read(yaml, "aliases.yaml");
    StreamDetector detector =
        new StreamDetector(StreamDetector.select(manifests, RuleCompiler.defaults()).rules());
    JsonNode event = normalized(manifests.get(0), 0);
    assertThat(event.path("event").has("action")).isFalse();
    byte[] source = JSON.writeValueAsBytes(event);

    for (List<Alert> alerts :
        List.of(
            detector.inspect(LogType.CLOUDTRAIL, "a1", event, NOW),
            detector.inspect(LogType.CLOUDTRAIL, "a1", source, source.length, NOW))) {
      assertThat(alerts)
          .singleElement()
          .satisfies(
              a -> {
                assertThat(a.key).containsEntry("cloud.account.id", "111122223333");
                assertThat(a.message)
                    .isEqualTo("StopLogging in 111122223333 (eu-west-1, aws-cli/2.15)");
              });
    }
  }

  /**
   * The key the stream makes from a document's values (fields sorted by name, an absent field
   * empty) is the key of the alert it raises: a burst raises one alert, another principal its own,
   * and forgetting an alert's key (it was not written) lets the next match raise it again.
   */
  @Test
  void aKeyRaisedRecentlyBuildsNoAlertAndTheKeyOfTheAlertIsTheKeyTheDocumentMade()
      throws Exception {
    String yaml =
        """
        apiVersion: siem.vigil.dev/v1alpha1
        kind: DetectionRule
        metadata: {name: keyed, namespace: vigil}
        spec:
          severity: 2
          logType: cloudtrail
          query: 'eventName:StopLogging'
          suppression: {window: 1h, key: [userIdentity.arn, sourceIPAddress, awsRegion]}
        """;
    StreamDetector detector =
        new StreamDetector(
            StreamDetector.select(RuleManifest.read(yaml, "keyed.yaml"), RuleCompiler.defaults())
                .rules());
    RecentAlerts recent = new RecentAlerts(java.time.Duration.ofSeconds(60));
    java.time.Clock clock = java.time.Clock.fixed(NOW, java.time.ZoneOffset.UTC);

    List<Alert> first = detector.inspect(stop("s1", "mallory"), clock, recent);
    assertThat(first)
        .singleElement()
        .satisfies(
            a ->
                assertThat(a.key)
                    .containsEntry("sourceIPAddress", "")
                    .containsEntry("awsRegion", "eu-west-1"));
    assertThat(detector.inspect(stop("s2", "mallory"), clock, recent)).isEmpty();
    assertThat(detector.inspect(stop("s3", "eve"), clock, recent)).hasSize(1);
    assertThat(detector.inspect(stop("s4", "mallory"), clock, recent)).isEmpty();

    recent.forget(RecentAlerts.key(first.get(0)));
    assertThat(detector.inspect(stop("s5", "mallory"), clock, recent))
        .extracting(a -> a.matchingDocumentIds)
        .containsExactly(List.of("s5"));
    assertThat(
            detector.inspect(
                stop("s6", "mallory"),
                java.time.Clock.offset(clock, java.time.Duration.ofSeconds(61)),
                recent))
        .hasSize(1);
  }

  private static dev.vigil.core.parse.ParsedDocument stop(String id, String user) {
    String json =
        "{\"@timestamp\":\"2026-11-27T10:00:00Z\",\"eventName\":\"StopLogging\","
            + "\"awsRegion\":\"eu-west-1\",\"userIdentity\":{\"arn\":\"arn:aws:iam::1:user/"
            + user
            + "\"}}";
    return new dev.vigil.core.parse.ParsedDocument(
        LogType.CLOUDTRAIL, "idx", id, NOW, json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static JsonNode normalized(RuleManifest manifest, int test) {
    return RuleTester.standard()
        .normalize(manifest.tests().get(test).event(), LogType.CLOUDTRAIL, manifest.file())
        .get(0);
  }

  private static StreamDetector.Selection select(String... files) throws Exception {
    return StreamDetector.select(manifests(files), RuleCompiler.defaults());
  }

  private static List<RuleManifest> manifests(String... files) throws Exception {
    List<RuleManifest> out = new ArrayList<>();
    for (String file : files) {
      Path path = Path.of("../samples").resolve(file);
      out.addAll(RuleManifest.read(Files.readString(path), path.toString()));
    }
    return out;
  }
}

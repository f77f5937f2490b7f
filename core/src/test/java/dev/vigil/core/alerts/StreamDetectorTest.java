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

package dev.vigil.core.parse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.core.LogType;
import dev.vigil.testing.CloudTrailDelivery;
import dev.vigil.testing.CloudWatchLogsDelivery;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * CloudTrail's organization trails, digest files and Insights files as the documentation lays them
 * out ({@link CloudTrailDelivery} names the pages), gzip-compressed as CloudTrail delivers them,
 * read with the type told from the key (auto) as a LogSource of type auto or cloudtrail reads them.
 */
class CloudTrailDeliveryPathsTest {
  private static final String ORG = "o-aa111bb222";
  private static final String MEMBER = "111122223333";
  private static final Instant TIME = Instant.parse("2026-11-27T12:00:05Z");

  @Test
  void organizationTrailLogFileIsIndexedEventByEventUnderTheMemberAccount() {
    String key =
        CloudTrailDelivery.logKey(ORG, MEMBER, "CloudTrail", "us-east-1", TIME, "Ab3dEfGhIjKlMn0p");
    byte[] object =
        CloudWatchLogsDelivery.gzip(
            CloudTrailDelivery.logFile(
                CloudTrailDelivery.managementEvent(
                    "e0c0f1d2-0001-4000-8000-000000000001", MEMBER, TIME),
                CloudTrailDelivery.managementEvent(
                    "e0c0f1d2-0002-4000-8000-000000000002", MEMBER, TIME.plusSeconds(1))));

    CollectingSink sink = CollectingSink.parse(object, new ObjectRef("org-trail", key), null);

    assertThat(sink.rejections).isEmpty();
    assertThat(sink.documents)
        .extracting(ParsedDocument::id)
        .containsExactly(
            "e0c0f1d2-0001-4000-8000-000000000001", "e0c0f1d2-0002-4000-8000-000000000002");
    assertThat(sink.documents).allMatch(d -> d.index().equals("vigil-cloudtrail-2026.11.27"));
    JsonNode first = sink.sources().get(0);
    assertThat(first.path("recipientAccountId").asText()).isEqualTo(MEMBER); // cloud.account.id
    assertThat(first.path("eventName").asText()).isEqualTo("CreateUser");
  }

  @Test
  void digestFilesAreSkippedOnPurposeNotDeadLettered() {
    String logKey =
        CloudTrailDelivery.logKey(ORG, MEMBER, "CloudTrail", "us-east-1", TIME, "Ab3dEfGhIjKlMn0p");
    byte[] digest =
        CloudWatchLogsDelivery.gzip(
            CloudTrailDelivery.digestFile(MEMBER, "org-trail", logKey, TIME.plusSeconds(3600)));
    for (String key :
        List.of(
            CloudTrailDelivery.digestKey(
                ORG, MEMBER, "us-east-1", "org-trail", TIME.plusSeconds(3600)),
            CloudTrailDelivery.digestKey(
                null, MEMBER, "us-east-1", "org-trail", TIME.plusSeconds(3600)),
            "copies/digest.json.gz")) {
      CollectingSink sink = CollectingSink.parse(digest, new ObjectRef("org-trail", key), null);

      assertThat(sink.documents).as(key).isEmpty();
      assertThat(sink.rejections).as(key).isEmpty();
      assertThat(sink.skipped).as(key).containsExactly("CloudTrail digest file");
    }
    // Named as cloudtrail by its LogSource, the same.
    CollectingSink typed =
        CollectingSink.parse(
            digest, new ObjectRef("org-trail", "copies/d.json.gz"), LogType.CLOUDTRAIL);
    assertThat(typed.skipped).containsExactly("CloudTrail digest file");
  }

  @Test
  void insightsEventsAreIndexedWithTheirDetails() {
    String key =
        CloudTrailDelivery.logKey(
            ORG, MEMBER, "CloudTrail-Insight", "us-east-1", TIME, "Zy9xWvUtSrQpOn8m");
    byte[] object =
        CloudWatchLogsDelivery.gzip(
            CloudTrailDelivery.logFile(
                CloudTrailDelivery.insightEvent(
                    "f1e2d3c4-0001-4000-8000-000000000001",
                    "5c2e8a7b-shared",
                    MEMBER,
                    TIME,
                    "Start"),
                CloudTrailDelivery.insightEvent(
                    "f1e2d3c4-0002-4000-8000-000000000002",
                    "5c2e8a7b-shared",
                    MEMBER,
                    TIME.plusSeconds(60),
                    "End")));

    CollectingSink sink = CollectingSink.parse(object, new ObjectRef("org-trail", key), null);

    assertThat(sink.rejections).isEmpty();
    assertThat(sink.documents)
        .extracting(ParsedDocument::id)
        .containsExactly(
            "f1e2d3c4-0001-4000-8000-000000000001", "f1e2d3c4-0002-4000-8000-000000000002");
    JsonNode start = sink.sources().get(0);
    assertThat(start.path("eventType").asText()).isEqualTo("AwsCloudTrailInsight");
    assertThat(start.path("eventCategory").asText()).isEqualTo("Insight");
    assertThat(start.path("@timestamp").asText()).isEqualTo("2026-11-27T12:00:05Z");
    assertThat(start.path("recipientAccountId").asText()).isEqualTo(MEMBER); // cloud.account.id
    assertThat(start.toString()).contains("ApiCallRateInsight").contains("\"Start\"");
  }
}

package dev.vigil.ingester.it;

import static dev.vigil.testing.CloudWatchLogsDelivery.Compression.GZIP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.core.LogType;
import dev.vigil.core.parse.DocumentIds;
import dev.vigil.core.parse.IndexNaming;
import dev.vigil.ingester.app.Ingester;
import dev.vigil.ingester.support.TestConfigs;
import dev.vigil.parts.MotoServer;
import dev.vigil.parts.OpenSearchNode;
import dev.vigil.parts.RealParts;
import dev.vigil.testing.CloudWatchLogsDelivery;
import dev.vigil.testing.ServiceLogDelivery;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The latest state of Security Hub and GuardDuty findings on real parts: objects land in S3 (moto)
 * in the order a test chooses, the in-process ingester reads each through the bucket's S3 → SQS
 * notification, and OpenSearch keeps one document per finding in {@code <prefix>-latest-<type>}
 * (external versions: never an older update over a newer one) besides every update in the history
 * indices. Findings follow the documented formats: ASFF in Security Hub's EventBridge events
 * (https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-cwe-event-formats.html,
 * https://docs.aws.amazon.com/securityhub/latest/userguide/asff-top-level-attributes.html) and
 * GuardDuty's finding in its EventBridge event
 * (https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_findings_eventbridge.html,
 * https://docs.aws.amazon.com/guardduty/latest/APIReference/API_Finding.html), built by {@link
 * ServiceLogDelivery} and changed here field by field as an update changes them.
 */
class FindingsLatestStateIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PREFIX = "lst";
  private static final IndexNaming NAMING = new IndexNaming(PREFIX, IndexNaming.Granularity.DAILY);
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final String PRODUCT_ARN =
      "arn:aws:securityhub:us-east-1::product/aws/securityhub";

  /**
   * The query docs/log-types/securityhub.md gives for "open CRITICAL/HIGH findings now", over
   * {@code <prefix>-latest-*}.
   */
  static final String OPEN_NOW =
      "(aws.securityhub.severity_label:(CRITICAL OR HIGH)"
          + " AND aws.securityhub.workflow_status:(NEW OR NOTIFIED)"
          + " AND aws.securityhub.record_state:ACTIVE)"
          + " OR (aws.guardduty.severity_label:(CRITICAL OR HIGH) AND NOT service.archived:true)";

  private static OpenSearchNode openSearch;
  private static AwsSetup aws;
  private static SimpleMeterRegistry registry;
  private static Ingester ingester;

  @BeforeAll
  static void start() {
    MotoServer moto = RealParts.moto();
    openSearch = RealParts.openSearch();
    aws = new AwsSetup(moto, "latest-state", Duration.ofSeconds(30));
    Map<String, String> props = new HashMap<>(aws.ingesterProperties());
    props.put("vigil.ingester.opensearch.endpoint", openSearch.uri().toString());
    props.put("vigil.ingester.index-prefix", PREFIX);
    props.put("vigil.ingester.queues.logs.log-type", "auto");
    props.put("vigil.ingester.receive.wait-time", "1s");
    props.put("vigil.ingester.bulk.flush-interval", "100ms");
    registry = new SimpleMeterRegistry();
    ingester = Ingester.create(TestConfigs.from(props), registry, AwsSetup.credentials());
    ingester.startQueues();
  }

  @AfterAll
  static void stop() throws Exception {
    if (ingester != null) {
      ingester.close();
    }
  }

  /** Stale updates are an expected outcome: nothing is ever dead-lettered or counted failed. */
  @AfterEach
  void nothingFailed() {
    assertThat(aws.deadLetterKeys()).isEmpty();
    assertThat(count("vigil.ingester.records.failed")).isZero();
  }

  @Test
  void securityHubUpdatesArrivingNewestFirstLeaveTheNewestStateAndEveryUpdateInHistory() {
    String id =
        "arn:aws:securityhub:us-east-1:123456789012:security-control/S3.8/finding/" + uuid();
    String open = "open-" + uuid();
    // The control passed on the second evaluation: Security Hub resolves the finding itself.
    ObjectNode first = asff(id, "2026-11-27T12:00:00.000Z", "2026-11-27T12:00:04.000Z", "NEW");
    ObjectNode second =
        asff(id, "2026-11-27T12:30:00.000Z", "2026-11-27T12:30:04.000Z", "RESOLVED");
    second.putObject("Compliance").put("Status", "PASSED");

    deliver(securityHub(second));
    deliver(securityHub(first, asff(open, "2026-11-27T12:00:00.000Z", null, "NEW")));

    JsonNode latest = latest(LogType.SECURITYHUB, securityHubId(id));
    assertThat(latest.path("_source").path("Workflow").path("Status").asText())
        .isEqualTo("RESOLVED");
    assertThat(latest.path("_source").path("UpdatedAt").asText())
        .isEqualTo("2026-11-27T12:30:00.000Z");
    assertThat(latest.path("_version").asLong())
        .isEqualTo(Instant.parse("2026-11-27T12:30:04Z").toEpochMilli());
    assertThat(history(LogType.SECURITYHUB, "Id", id))
        .containsExactlyInAnyOrder("2026-11-27T12:00:00.000Z", "2026-11-27T12:30:00.000Z");
    // Resolved is not open; the other finding of the same object is.
    assertThat(openNow(id, open)).containsExactly(open);
    assertThat(count("vigil.ingester.latest.writes", "outcome", "stale")).isPositive();
  }

  // BatchUpdateFindings — an analyst suppressing or resolving a finding — "do not affect the value
  // of UpdatedAt"
  // (https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_BatchUpdateFindings.html):
  // only ProcessedAt tells the suppressed finding from the new one.
  @Test
  void anAnalystsWorkflowChangeWinsThoughItKeepsUpdatedAt() {
    String id =
        "arn:aws:securityhub:us-east-1:123456789012:security-control/IAM.8/finding/" + uuid();
    ObjectNode imported =
        asff(id, "2026-11-27T13:00:00.000Z", "2026-11-27T13:00:04.000Z", "NOTIFIED");
    ObjectNode suppressed =
        asff(id, "2026-11-27T13:00:00.000Z", "2026-11-27T13:20:00.000Z", "SUPPRESSED");
    suppressed.putObject("Note").put("Text", "accepted risk").put("UpdatedBy", "analyst");

    deliver(securityHub(suppressed));
    deliver(securityHub(imported));

    JsonNode latest = latest(LogType.SECURITYHUB, securityHubId(id));
    assertThat(latest.path("_source").path("Workflow").path("Status").asText())
        .isEqualTo("SUPPRESSED");
    assertThat(openNow(id)).isEmpty();
  }

  @Test
  void guardDutyFindingArchivedLaterArrivingFirstIsNotOpenAndBothUpdatesAreInHistory() {
    String id = uuid().replace("-", "");
    String open = uuid().replace("-", "");
    ObjectNode recurring = guardDuty(id, "2026-11-27T14:40:00.000Z", true, 4);
    ObjectNode first = guardDuty(id, "2026-11-27T14:00:00.000Z", false, 1);

    deliver(guardDutyEvents(recurring));
    deliver(guardDutyEvents(first, guardDuty(open, "2026-11-27T14:00:00.000Z", false, 1)));

    JsonNode latest = latest(LogType.GUARDDUTY, guardDutyId(id));
    assertThat(latest.path("_source").path("service").path("archived").asBoolean()).isTrue();
    assertThat(latest.path("_source").path("service").path("count").asInt()).isEqualTo(4);
    assertThat(latest.path("_version").asLong())
        .isEqualTo(Instant.parse("2026-11-27T14:40:00Z").toEpochMilli());
    assertThat(history(LogType.GUARDDUTY, "id", id))
        .containsExactlyInAnyOrder("2026-11-27T14:00:00.000Z", "2026-11-27T14:40:00.000Z");
    assertThat(openNow(id, open)).containsExactly(open);
  }

  @Test
  void replayedObjectsChangeNothing() {
    String sh =
        "arn:aws:securityhub:us-east-1:123456789012:security-control/EC2.2/finding/" + uuid();
    String gd = uuid().replace("-", "");
    byte[] older =
        securityHub(asff(sh, "2026-11-27T15:00:00.000Z", "2026-11-27T15:00:04.000Z", "NEW"));
    byte[] newer =
        securityHub(asff(sh, "2026-11-27T15:30:00.000Z", "2026-11-27T15:30:04.000Z", "NEW"));
    byte[] gdOlder = guardDutyEvents(guardDuty(gd, "2026-11-27T15:00:00.000Z", false, 1));
    byte[] gdNewer = guardDutyEvents(guardDuty(gd, "2026-11-27T15:10:00.000Z", false, 2));
    Map<String, byte[]> objects = new LinkedHashMap<>();
    for (byte[] object : List.of(older, newer, gdOlder, gdNewer)) {
      String key = newKey();
      objects.put(key, object);
      deliver(key, object);
    }
    JsonNode shBefore = latest(LogType.SECURITYHUB, securityHubId(sh));
    JsonNode gdBefore = latest(LogType.GUARDDUTY, guardDutyId(gd));
    List<String> shHistory = history(LogType.SECURITYHUB, "Id", sh);
    double stale = count("vigil.ingester.latest.writes", "outcome", "stale");

    // The same objects read again (a backfill, a redelivery), newest first: the older ones are
    // stale, the newer ones write again what is there.
    List<String> keys = new ArrayList<>(objects.keySet());
    Collections.reverse(keys);
    for (String key : keys) {
      deliver(key, objects.get(key));
    }

    assertThat(count("vigil.ingester.latest.writes", "outcome", "stale")).isEqualTo(stale + 2);
    for (JsonNode[] pair :
        new JsonNode[][] {
          {shBefore, latest(LogType.SECURITYHUB, securityHubId(sh))},
          {gdBefore, latest(LogType.GUARDDUTY, guardDutyId(gd))}
        }) {
      assertThat(pair[1].path("_version")).isEqualTo(pair[0].path("_version"));
      assertThat(pair[1].path("_source")).isEqualTo(pair[0].path("_source"));
    }
    assertThat(history(LogType.SECURITYHUB, "Id", sh)).isEqualTo(shHistory).hasSize(2);
    assertThat(openNow(sh)).containsExactly(sh);
  }

  // --- findings as documented -------------------------------------------------------------

  /** An ASFF finding of Security Hub's own control, HIGH, as its EventBridge event carries it. */
  private static ObjectNode asff(
      String id, String updatedAt, String processedAt, String workflowStatus) {
    ObjectNode finding = tree(ServiceLogDelivery.securityHubFinding(id, updatedAt));
    if (processedAt != null) {
      finding.put("ProcessedAt", processedAt);
    }
    finding.putObject("Workflow").put("Status", workflowStatus);
    return finding;
  }

  /** A GuardDuty finding of severity 8 (HIGH), archived or not, seen {@code count} times. */
  private static ObjectNode guardDuty(String id, String updatedAt, boolean archived, int count) {
    ObjectNode finding = tree(ServiceLogDelivery.guardDutyFinding(id, updatedAt));
    finding.put("severity", 8);
    ((ObjectNode) finding.get("service")).put("archived", archived).put("count", count);
    return finding;
  }

  /** One Firehose object of Security Hub EventBridge events, one finding each, GZIP. */
  private static byte[] securityHub(ObjectNode... findings) {
    List<String> events = new ArrayList<>();
    for (ObjectNode finding : findings) {
      events.add(ServiceLogDelivery.securityHubEvent(uuid(), finding.toString()));
    }
    return CloudWatchLogsDelivery.gzip(
        ServiceLogDelivery.concatenated(events.toArray(String[]::new)));
  }

  private static byte[] guardDutyEvents(ObjectNode... findings) {
    List<String> events = new ArrayList<>();
    for (ObjectNode finding : findings) {
      events.add(ServiceLogDelivery.guardDutyEvent(uuid(), finding.toString()));
    }
    return CloudWatchLogsDelivery.gzip(
        ServiceLogDelivery.concatenated(events.toArray(String[]::new)));
  }

  private static String securityHubId(String id) {
    return new DocumentIds().natural(LogType.SECURITYHUB, PRODUCT_ARN, id);
  }

  private static String guardDutyId(String id) {
    return new DocumentIds().natural(LogType.GUARDDUTY, "123456789012", "us-east-1", id);
  }

  // --- delivery and OpenSearch --------------------------------------------------------------

  /** Uploads one object under a new Firehose key and waits until the ingester has finished it. */
  private static void deliver(byte[] object) {
    deliver(newKey(), object);
  }

  private static String newKey() {
    return CloudWatchLogsDelivery.firehoseKey(
        "findings/", "vigil-default-findings", Instant.now(), uuid(), GZIP);
  }

  /** Uploads (or uploads again) an object and waits until the ingester has finished it. */
  private static void deliver(String key, byte[] object) {
    double before = count("vigil.ingester.objects");
    aws.put(key, object);
    await().atMost(TIMEOUT).until(() -> count("vigil.ingester.objects") > before);
    assertThat(count("vigil.ingester.objects", "outcome", "indexed")).isEqualTo(before + 1);
    send("POST", "/" + PREFIX + "-*/_refresh", null);
  }

  private static JsonNode latest(LogType type, String id) {
    JsonNode doc = send("GET", "/" + NAMING.latest(type) + "/_doc/" + id, null);
    assertThat(doc.path("found").asBoolean()).as(doc.toString()).isTrue();
    return doc;
  }

  /** The update times of a finding's documents in the history indices. */
  private static List<String> history(LogType type, String idField, String id) {
    ObjectNode body = JSON.createObjectNode().put("size", 100);
    body.putObject("query").putObject("term").put(idField, id);
    List<String> times = new ArrayList<>();
    for (JsonNode hit :
        send("POST", "/" + NAMING.pattern(type) + "/_search", body).at("/hits/hits")) {
      times.add(
          hit.path("_source")
              .path(type == LogType.SECURITYHUB ? "UpdatedAt" : "updatedAt")
              .asText());
    }
    return times;
  }

  /** {@code event.id} of the open CRITICAL/HIGH findings now, among {@code ids}. */
  private static List<String> openNow(String... ids) {
    ObjectNode body = JSON.createObjectNode().put("size", 100);
    ObjectNode bool = body.putObject("query").putObject("bool");
    bool.putArray("filter")
        .add(
            JSON.createObjectNode()
                .set("query_string", JSON.createObjectNode().put("query", OPEN_NOW)))
        .add(
            JSON.createObjectNode()
                .set("terms", JSON.createObjectNode().set("event.id", JSON.valueToTree(ids))));
    List<String> open = new ArrayList<>();
    for (JsonNode hit :
        send("POST", "/" + NAMING.latestPattern() + "/_search", body).at("/hits/hits")) {
      open.add(hit.path("_source").path("event").path("id").asText());
    }
    return open;
  }

  private static JsonNode send(String method, String path, JsonNode body) {
    try {
      HttpResponse<String> response =
          openSearch
              .httpClient()
              .send(
                  openSearch
                      .request(path)
                      .header("Content-Type", "application/json")
                      .method(
                          method,
                          body == null
                              ? HttpRequest.BodyPublishers.noBody()
                              : HttpRequest.BodyPublishers.ofString(body.toString()))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static double count(String name, String... tags) {
    return registry.find(name).tags(tags).counters().stream().mapToDouble(Counter::count).sum();
  }

  private static ObjectNode tree(String json) {
    try {
      return (ObjectNode) JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String uuid() {
    return UUID.randomUUID().toString();
  }
}

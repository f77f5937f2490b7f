package dev.vigil.ingester.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.core.parse.IndexNaming;
import dev.vigil.ingester.app.Ingester;
import dev.vigil.ingester.metrics.IngesterMetrics;
import dev.vigil.ingester.support.Objects;
import dev.vigil.ingester.support.TestConfigs;
import dev.vigil.parts.MotoServer;
import dev.vigil.parts.OpenSearchNode;
import dev.vigil.testing.DamagedCloudTrail;
import dev.vigil.testing.DamagedRecordArrays;
import dev.vigil.testing.GateProxy;
import dev.vigil.testing.IdSets;
import dev.vigil.testing.RealPartsExtension;
import dev.vigil.testing.SyntheticCloudTrail;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Faults against the real parts, with the ingester in-process (the same {@link Ingester} the
 * Quarkus app runs): each ends with zero lost and zero duplicated documents — OpenSearch holds
 * exactly the indices and ids {@link dev.vigil.core.parse.ObjectParser} (what {@code vigil parse}
 * prints) makes of the same objects, and the queue is empty.
 */
@ExtendWith(RealPartsExtension.class)
class DeliveryFaultsIT {
  private static final Duration TIMEOUT = Duration.ofMinutes(3);
  private static final ObjectMapper JSON = new ObjectMapper();

  private Ingester ingester;
  private SimpleMeterRegistry registry;
  // When the scenario's ingester started: its time to drain is reported from there.
  private Instant began;

  @AfterEach
  void stop() {
    if (ingester != null) {
      ingester.close();
    }
  }

  private void start(AwsSetup aws, String endpoint, String prefix, Map<String, String> extra) {
    Map<String, String> props = new HashMap<>(aws.ingesterProperties());
    props.put("vigil.ingester.opensearch.endpoint", endpoint);
    props.put("vigil.ingester.opensearch.probe-interval", "1s");
    props.put("vigil.ingester.index-prefix", prefix);
    props.put("vigil.ingester.receive.wait-time", "1s");
    props.put("vigil.ingester.visibility.timeout", "20s");
    props.put("vigil.ingester.bulk.max-documents", "1000");
    props.put("vigil.ingester.bulk.flush-interval", "200ms");
    props.put("vigil.ingester.bulk.retry-max", "3s");
    extra.forEach(
        (k, v) -> {
          if (v == null) {
            props.remove(k);
          } else {
            props.put(k, v);
          }
        });
    registry = new SimpleMeterRegistry();
    ingester = Ingester.create(TestConfigs.from(props), registry, AwsSetup.credentials());
    ingester.startQueues();
    began = Instant.now();
  }

  @Test
  void sameNotificationDeliveredTwiceLeavesExactlyOneCopyOfEachDocument(
      MotoServer moto, OpenSearchNode openSearch) {
    AwsSetup aws = new AwsSetup(moto, "fault-twice", Duration.ofSeconds(20));
    start(aws, openSearch.uri().toString(), "twice", Map.of());
    String a = Objects.cloudTrailKey("2026/11/27", "20261127T1000Z_a");
    String b = Objects.cloudTrailKey("2026/11/27", "20261127T1005Z_b");
    byte[] objectA = Objects.cloudTrail(2000, 31, Instant.parse("2026-11-27T10:00:00Z"));
    byte[] objectB = Objects.cloudTrail(1500, 32, Instant.parse("2026-11-27T11:00:00Z"));
    Map<String, JsonNode> expected = new LinkedHashMap<>();
    expected.putAll(Documents.expected("twice", aws.bucket, a, objectA));
    expected.putAll(Documents.expected("twice", aws.bucket, b, objectB));

    aws.put(a, objectA); // S3 announces it
    aws.send(Objects.s3Notification(aws.bucket, a)); // ...and it is announced again at once
    aws.put(b, objectB);
    await().atMost(TIMEOUT).until(() -> Documents.count(openSearch, "twice-*") == expected.size());
    aws.send(Objects.s3Notification(aws.bucket, b)); // a late duplicate
    aws.put(a, objectA); // the same object written again

    assertExactly(aws, openSearch, "twice", expected);
    assertThat(counter("vigil.ingester.objects")).isGreaterThanOrEqualTo(5);
  }

  @Test
  void poisonObjectsAreDeadLetteredWhileTheOthersAreIndexed(
      MotoServer moto, OpenSearchNode openSearch) {
    AwsSetup aws = new AwsSetup(moto, "fault-poison", Duration.ofSeconds(20));
    start(aws, openSearch.uri().toString(), "poison", Map.of());
    byte[] good1 = Objects.cloudTrail(800, 41, Instant.parse("2026-11-27T10:00:00Z"));
    byte[] good2 = Objects.cloudTrail(600, 42, Instant.parse("2026-11-27T12:00:00Z"));
    byte[] truncated = Arrays.copyOf(good2, good2.length / 2);
    String k1 = Objects.cloudTrailKey("2026/11/27", "20261127T1000Z_good1");
    String poison = Objects.cloudTrailKey("2026/11/27", "20261127T1005Z_poison");
    String cut = Objects.cloudTrailKey("2026/11/27", "20261127T1010Z_truncated");
    String k2 = Objects.cloudTrailKey("2026/11/27", "20261127T1015Z_good2");
    Map<String, JsonNode> expected = new LinkedHashMap<>();
    expected.putAll(Documents.expected("poison", aws.bucket, k1, good1));
    expected.putAll(Documents.expected("poison", aws.bucket, cut, truncated)); // what can be read
    expected.putAll(Documents.expected("poison", aws.bucket, k2, good2));

    aws.put(k1, good1);
    aws.put(poison, Objects.badGzip());
    aws.put(cut, truncated);
    aws.put(k2, good2);

    assertExactly(aws, openSearch, "poison", expected);
    String letters =
        String.join("\n", aws.deadLetterKeys().stream().map(aws::deadLetterObject).toList());
    assertThat(letters)
        .contains("\"kind\":\"object\"")
        .contains(poison)
        .contains("not valid gzip/zlib data")
        .contains(cut)
        .contains("compressed data is damaged");
    assertThat(counter("vigil.ingester.dead.letters", "kind", "object")).isEqualTo(2);
    IngesterPolicy.assertCallsAllowed(registry);
  }

  /**
   * A seeded corpus of damaged CloudTrail objects, one per layout (syntax errors, stray elements,
   * garbage between events, truncation), and an object of random binary: OpenSearch holds exactly
   * the events whose own bytes Jackson reads as well-formed (the generator's reference, not the
   * parser's word) with the ids {@code ObjectParser} gives; every damaged event is in a record dead
   * letter that says where it starts and, for skipped ranges, how many bytes and events were
   * skipped; the binary object is one object dead letter.
   */
  @Test
  void damagedObjectsIndexExactlyTheirWellFormedEventsAndDeadLetterTheRest(
      MotoServer moto, OpenSearchNode openSearch) throws Exception {
    AwsSetup aws = new AwsSetup(moto, "fault-damage", Duration.ofSeconds(20));
    start(aws, openSearch.uri().toString(), "damage", Map.of());
    Map<String, JsonNode> expected = new LinkedHashMap<>();
    Map<String, DamagedCloudTrail.Corpus> corpora = new LinkedHashMap<>();
    long seed = 2026;
    for (DamagedCloudTrail.Layout layout : DamagedCloudTrail.Layout.values()) {
      DamagedCloudTrail.Corpus corpus =
          DamagedCloudTrail.generate(seed++, 400, layout, 10, layout.ordinal() % 2 == 0);
      String key = Objects.cloudTrailKey("2026/11/27", "20261127T1000Z_" + layout.name());
      byte[] object = Objects.gzip(corpus.bytes());
      Map<String, JsonNode> documents = Documents.expected("damage", aws.bucket, key, object);
      assertThat(documents.keySet().stream().map(id -> id.substring(id.indexOf('/') + 1)))
          .as("%s: the parser's ids are the well-formed events", layout)
          .containsExactlyInAnyOrderElementsOf(corpus.wellFormedIds());
      expected.putAll(documents);
      corpora.put(key, corpus);
      aws.put(key, object);
    }
    String binaryKey = Objects.cloudTrailKey("2026/11/27", "20261127T1005Z_binary");
    byte[] binary = new byte[40_000];
    new SplittableRandom(seed).nextBytes(binary);
    aws.put(binaryKey, binary);

    assertExactly(aws, openSearch, "damage", expected);
    // Dead letters are stored before their message is deleted: all are there now.
    List<JsonNode> letters = new ArrayList<>();
    for (String key : aws.deadLetterKeys()) {
      for (String line : aws.deadLetterObject(key).split("\n")) {
        letters.add(JSON.readTree(line));
      }
    }
    assertThat(letters)
        .filteredOn(l -> l.path("kind").asText().equals("object"))
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.at("/origin/key").asText()).isEqualTo(binaryKey);
              assertThat(l.path("reason").asText()).contains("neither gzip/zlib data nor text");
            });
    long skippedEvents = 0;
    for (Map.Entry<String, DamagedCloudTrail.Corpus> object : corpora.entrySet()) {
      List<JsonNode> records =
          letters.stream()
              .filter(l -> l.at("/origin/key").asText().equals(object.getKey()))
              .peek(l -> assertThat(l.path("kind").asText()).isEqualTo("record"))
              .toList();
      for (DamagedCloudTrail.Written event : object.getValue().damagedEvents()) {
        assertThat(records)
            .as(
                "%s: a dead letter covers the damaged event at byte %d",
                object.getKey(), event.offset())
            .anySatisfy(l -> assertThat(covers(l, event.offset())).isTrue());
      }
      skippedEvents += records.stream().mapToLong(l -> l.path("skippedEvents").asLong(0)).sum();
    }
    assertThat(skippedEvents).isPositive();
    assertThat(counter("vigil.ingester.damage.skipped.events")).isEqualTo(skippedEvents);
    assertThat(counter("vigil.ingester.objects", "outcome", "partial")).isEqualTo(corpora.size());
    assertThat(counter("vigil.ingester.objects", "outcome", "dead_lettered")).isEqualTo(1);
  }

  /**
   * The same through the real ingester for arrays of records inside values: Security Hub findings
   * in EventBridge events (as Firehose concatenates them), ASFF and GuardDuty findings lists, and
   * CloudWatch Logs payloads' {@code logEvents}, each with syntax errors, stray elements, garbage
   * and truncation ({@link DamagedRecordArrays}): OpenSearch holds exactly the records whose own
   * bytes are sound, and a dead letter covers every damaged one.
   */
  @Test
  void damagedFindingsArraysAndLogEventsIndexExactlyTheirWellFormedRecords(
      MotoServer moto, OpenSearchNode openSearch) throws Exception {
    AwsSetup aws = new AwsSetup(moto, "fault-arrays", Duration.ofSeconds(20));
    start(aws, openSearch.uri().toString(), "arrays", Map.of());
    Map<String, JsonNode> expected = new LinkedHashMap<>();
    Map<String, DamagedRecordArrays.Corpus> corpora = new LinkedHashMap<>();
    long seed = 2027;
    for (DamagedRecordArrays.Container container : DamagedRecordArrays.Container.values()) {
      DamagedRecordArrays.Corpus corpus =
          DamagedRecordArrays.generate(seed++, container, 4, 40, 8, container.ordinal() % 2 == 0);
      String folder =
          switch (container) {
            case SECURITY_HUB_EVENTBRIDGE, ASFF_FINDINGS -> "securityhub";
            case GUARDDUTY_FINDINGS -> "guardduty";
            case CLOUDWATCH_LOG_EVENTS -> "cloudwatch";
          };
      String key = folder + "/2026/11/27/10/" + container.name().toLowerCase() + ".gz";
      byte[] object = Objects.gzip(corpus.bytes());
      Map<String, JsonNode> documents = Documents.expected("arrays", aws.bucket, key, object);
      String latestIndices =
          new IndexNaming("arrays", IndexNaming.Granularity.DAILY).latestPattern().replace("*", "");
      assertThat(
              documents.entrySet().stream()
                  .filter(d -> !d.getKey().startsWith(latestIndices)) // findings' latest state
                  .map(d -> d.getValue().path(container.idField()).asText()))
          .as("%s: the parser's documents are the well-formed records", container)
          .containsExactlyInAnyOrderElementsOf(corpus.wellFormedIds());
      expected.putAll(documents);
      corpora.put(key, corpus);
      aws.put(key, object);
    }

    assertExactly(aws, openSearch, "arrays", expected);
    List<JsonNode> letters = new ArrayList<>();
    for (String key : aws.deadLetterKeys()) {
      for (String line : aws.deadLetterObject(key).split("\n")) {
        letters.add(JSON.readTree(line));
      }
    }
    long skippedEvents = 0;
    for (Map.Entry<String, DamagedRecordArrays.Corpus> object : corpora.entrySet()) {
      List<JsonNode> records =
          letters.stream()
              .filter(l -> l.at("/origin/key").asText().equals(object.getKey()))
              .peek(l -> assertThat(l.path("kind").asText()).isEqualTo("record"))
              .toList();
      for (DamagedRecordArrays.Written record : object.getValue().damagedRecords()) {
        assertThat(records)
            .as(
                "%s: a dead letter covers the damaged record at byte %d",
                object.getKey(), record.offset())
            .anySatisfy(l -> assertThat(covers(l, record.offset())).isTrue());
      }
      skippedEvents += records.stream().mapToLong(l -> l.path("skippedEvents").asLong(0)).sum();
    }
    assertThat(skippedEvents).isPositive();
    assertThat(counter("vigil.ingester.damage.skipped.events")).isEqualTo(skippedEvents);
  }

  /** Whether a record dead letter stands for the bytes at {@code offset}. */
  private static boolean covers(JsonNode letter, long offset) {
    long from = letter.path("byteOffset").asLong(-1);
    long bytes = letter.path("skippedBytes").asLong(-1);
    return bytes >= 0 ? offset >= from && offset < from + Math.max(1, bytes) : offset == from;
  }

  @Test
  void deadLettersCanGoToAnSqsQueueInstead(MotoServer moto, OpenSearchNode openSearch) {
    AwsSetup aws = new AwsSetup(moto, "fault-sqs-dlq", Duration.ofSeconds(20));
    String dlq = aws.sqs.createQueue(q -> q.queueName("fault-sqs-dlq-letters")).queueUrl();
    Map<String, String> extra = new HashMap<>();
    extra.put("vigil.ingester.dead-letter.s3-bucket", null);
    extra.put("vigil.ingester.dead-letter.sqs-url", dlq);
    start(aws, openSearch.uri().toString(), "sqsdlq", extra);
    String poison = Objects.cloudTrailKey("2026/11/27", "20261127T1005Z_poison");

    aws.put(poison, Objects.badGzip());
    aws.send("{\"not\":\"an S3 notification\"}");

    java.util.List<String> letters = new java.util.ArrayList<>();
    await()
        .atMost(TIMEOUT)
        .until(
            () -> {
              aws.sqs
                  .receiveMessage(r -> r.queueUrl(dlq).maxNumberOfMessages(10).waitTimeSeconds(1))
                  .messages()
                  .forEach(m -> letters.add(m.body()));
              return letters.size() >= 2;
            });
    assertThat(String.join("\n", letters))
        .contains("\"kind\":\"object\"")
        .contains(poison)
        .contains("\"kind\":\"message\"")
        .contains("not\\\":\\\"an S3 notification");
    await().atMost(TIMEOUT).until(() -> aws.messagesLeft() == 0);
    // docs/iam.md: with dead-letter.sqs-url, sqs:SendMessage on that queue.
    IngesterPolicy.assertCallsAllowed(registry, "sqs:SendMessage");
  }

  @Test
  void throttledBulkRequestsAndItemsAreRetriedUntilEveryDocumentIsIndexed(
      MotoServer moto, OpenSearchNode openSearch) throws Exception {
    AwsSetup aws = new AwsSetup(moto, "fault-429", Duration.ofSeconds(20));
    try (ThrottlingProxy proxy = new ThrottlingProxy(openSearch.uri())) {
      start(
          aws,
          proxy.uri().toString(),
          "throttled",
          Map.of(
              "vigil.ingester.bulk.retry-initial",
              "50ms",
              "vigil.ingester.bulk.retry-max",
              "500ms"));
      Map<String, JsonNode> expected = new LinkedHashMap<>();
      for (int i = 0; i < 3; i++) {
        String key = Objects.cloudTrailKey("2026/11/27", "20261127T10" + i + "0Z_t" + i);
        byte[] object = Objects.cloudTrail(3000, 50 + i, Instant.parse("2026-11-27T10:00:00Z"));
        expected.putAll(Documents.expected("throttled", aws.bucket, key, object));
        aws.put(key, object);
      }

      assertExactly(aws, openSearch, "throttled", expected);
      assertThat(proxy.throttledRequests.get()).isPositive();
      assertThat(proxy.throttledItems.get()).isGreaterThan(1000);
      assertThat(counter("vigil.ingester.bulk.retries", "reason", "throttled")).isPositive();
      assertThat(aws.deadLetterKeys()).isEmpty();
    }
  }

  @Test
  void openSearchStoppedForTwiceTheVisibilityTimeoutDuringARunLosesNothing(
      MotoServer moto, OpenSearchNode openSearch) throws Exception {
    AwsSetup aws = new AwsSetup(moto, "fault-outage", Duration.ofSeconds(20));
    start(aws, openSearch.uri().toString(), "outage", Map.of());
    Map<String, JsonNode> expected = new LinkedHashMap<>();
    for (int i = 0; i < 6; i++) {
      String key = Objects.cloudTrailKey("2026/11/27", "20261127T11" + i + "0Z_o" + i);
      byte[] object = Objects.cloudTrail(10_000, 60 + i, Instant.parse("2026-11-27T11:00:00Z"));
      expected.putAll(Documents.expected("outage", aws.bucket, key, object));
      aws.put(key, object);
    }
    await()
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> Documents.count(openSearch, "outage-*") > 3000);

    openSearch.stop();
    long stoppedAt = System.nanoTime();
    try {
      await().atMost(Duration.ofSeconds(20)).until(() -> !ingester.status().ready());
      assertThat(Documents.countOrMinusOne(openSearch)).isEqualTo(-1);
      // The outage: twice the 20 s visibility timeout without OpenSearch while messages wait in
      // flight (their visibility must be extended, or SQS hands them to another consumer).
      Thread.sleep(
          Math.max(
              0, Duration.ofSeconds(40).toMillis() - (System.nanoTime() - stoppedAt) / 1_000_000));
    } finally {
      openSearch.start();
    }

    assertExactly(aws, openSearch, "outage", expected);
    assertThat(counter("vigil.ingester.bulk.retries", "reason", "unreachable")).isPositive();
    assertThat(ingester.status().ready()).isTrue();
    assertThat(aws.deadLetterKeys()).isEmpty();
  }

  /**
   * Retries waiting out their backoff go when the probe sees OpenSearch again. Every backoff here
   * is 60–120 s (half to all of {@code retry-max}); recovery is asserted within 40 s of OpenSearch
   * coming back — a probe interval (1 s) plus indexing, with 20 s to spare on a loaded machine —
   * which only a woken retry can meet.
   */
  @Test
  void waitingRetriesGoWhenTheProbeSeesOpenSearchAgain(MotoServer moto, OpenSearchNode openSearch)
      throws Exception {
    AwsSetup aws = new AwsSetup(moto, "fault-wake", Duration.ofSeconds(20));
    try (GateProxy gate = new GateProxy(openSearch.uri())) {
      start(
          aws,
          gate.uri().toString(),
          "wake",
          Map.of(
              "vigil.ingester.bulk.retry-initial", "120s",
              "vigil.ingester.bulk.retry-max", "120s"));
      await().atMost(TIMEOUT).until(() -> ingester.status().ready());
      gate.set(GateProxy.State.DOWN);
      String key = Objects.cloudTrailKey("2026/11/27", "20261127T1200Z_wake");
      byte[] object = Objects.cloudTrail(700, 81, Instant.parse("2026-11-27T12:00:00Z"));
      Map<String, JsonNode> expected = Documents.expected("wake", aws.bucket, key, object);
      aws.put(key, object);
      await()
          .atMost(TIMEOUT)
          .until(() -> counter("vigil.ingester.bulk.retries", "reason", "unreachable") > 0);
      assertThat(ingester.status().ready()).isFalse();

      gate.set(GateProxy.State.OPEN); // a retry is now in its backoff of at least 60 s
      await()
          .atMost(Duration.ofSeconds(40))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> aws.messagesLeft() == 0);
      assertExactly(aws, openSearch, "wake", expected);
      assertThat(aws.deadLetterKeys()).isEmpty();
    }
  }

  /**
   * A frozen OpenSearch (connections accepted, nothing answered) drops readiness after the probe's
   * own timeout (2 s here), not the 60 s request timeout: asserted within 30 s, half of it. Work
   * sent meanwhile is indexed once it thaws.
   */
  @Test
  void frozenOpenSearchDropsReadinessAfterTheProbeTimeout(
      MotoServer moto, OpenSearchNode openSearch) throws Exception {
    AwsSetup aws = new AwsSetup(moto, "fault-frozen", Duration.ofSeconds(20));
    try (GateProxy gate = new GateProxy(openSearch.uri())) {
      start(
          aws,
          gate.uri().toString(),
          "frozen",
          Map.of(
              "vigil.ingester.opensearch.request-timeout", "60s",
              "vigil.ingester.opensearch.probe-timeout", "2s"));
      await().atMost(TIMEOUT).until(() -> ingester.status().ready());
      gate.set(GateProxy.State.FROZEN);
      String key = Objects.cloudTrailKey("2026/11/27", "20261127T1300Z_frozen");
      byte[] object = Objects.cloudTrail(500, 82, Instant.parse("2026-11-27T13:00:00Z"));
      Map<String, JsonNode> expected = Documents.expected("frozen", aws.bucket, key, object);
      aws.put(key, object);

      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> !ingester.status().ready());
      assertThat(ingester.status().problem()).contains("opensearch.probe-timeout");
      assertThat(aws.messagesLeft()).isEqualTo(1);

      gate.set(GateProxy.State.OPEN);
      await().atMost(Duration.ofSeconds(30)).until(() -> ingester.status().ready());
      assertExactly(aws, openSearch, "frozen", expected);
    }
  }

  /**
   * While the dead-letter destination is gone, poison objects — more than there are object slots —
   * never hold every slot: a good object sent after four of them already wait for the destination
   * is indexed while it is still gone (before, it waited behind them until the destination came
   * back: the 90 s bound is a liveness bound, not a speed one). Once the destination is back, every
   * poison object is dead-lettered and every message deleted.
   */
  @Test
  void poisonWaitingForAFailingDeadLetterDestinationLeavesSlotsForGoodObjects(
      MotoServer moto, OpenSearchNode openSearch) {
    AwsSetup aws = new AwsSetup(moto, "fault-park", Duration.ofSeconds(20));
    aws.s3.deleteBucket(b -> b.bucket(aws.deadLetterBucket)); // the destination is gone
    start(
        aws,
        openSearch.uri().toString(),
        "park",
        Map.of("vigil.ingester.concurrency", "4", "vigil.ingester.visibility.timeout", "10s"));
    List<String> poison = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      String key = Objects.cloudTrailKey("2026/11/27", "20261127T140" + i + "Z_poison" + i);
      poison.add(key);
      aws.put(key, Objects.badGzip());
    }
    await()
        .atMost(TIMEOUT)
        .until(
            () ->
                registry.get("vigil.ingester.messages.in.flight").gauge().value() >= 4
                    && counter("vigil.ingester.dead.letter.write.failures") >= 4);

    String good = Objects.cloudTrailKey("2026/11/27", "20261127T1410Z_good");
    byte[] object = Objects.cloudTrail(600, 83, Instant.parse("2026-11-27T14:00:00Z"));
    Map<String, JsonNode> expected = Documents.expected("park", aws.bucket, good, object);
    aws.put(good, object);
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> Documents.count(openSearch, "park-*") == expected.size());
    assertThat(counter("vigil.ingester.dead.letters")).as("destination still gone").isZero();

    aws.s3.createBucket(b -> b.bucket(aws.deadLetterBucket));
    assertExactly(aws, openSearch, "park", expected);
    String letters =
        String.join("\n", aws.deadLetterKeys().stream().map(aws::deadLetterObject).toList());
    assertThat(poison).allSatisfy(key -> assertThat(letters).contains(key));
  }

  /**
   * Documents OpenSearch refuses for good (a string where the template maps {@code userIdentity} as
   * an object: a mapping error on the item) wait for a failing dead-letter destination aside, not
   * on the two bulk sender threads, which before held them in place: a good object's documents keep
   * flowing meanwhile (the refused ones' messages left their object slots or come back later), and
   * once the destination is back the refused documents are dead-lettered and nothing is lost or
   * duplicated.
   */
  @Test
  void refusedDocumentsWaitingForAFailingDeadLetterDestinationLeaveBulkSendingToGoodObjects(
      MotoServer moto, OpenSearchNode openSearch) throws Exception {
    AwsSetup aws = new AwsSetup(moto, "fault-aside", Duration.ofSeconds(20));
    aws.s3.deleteBucket(b -> b.bucket(aws.deadLetterBucket)); // the destination is gone
    start(
        aws,
        openSearch.uri().toString(),
        "aside",
        Map.of(
            "vigil.ingester.concurrency", "4",
            "vigil.ingester.visibility.timeout", "10s",
            "vigil.ingester.bulk.max-documents", "40"));
    Map<String, JsonNode> expected = new HashMap<>();
    List<String> refused = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      String key = Objects.cloudTrailKey("2026/11/27", "20261127T150" + i + "Z_refused" + i);
      ObjectNode root =
          (ObjectNode)
              JSON.readTree(
                  SyntheticCloudTrail.object(30, 500 + i, Instant.parse("2026-11-27T15:00:00Z")));
      ObjectNode event = (ObjectNode) root.get("Records").get(3);
      event.put("userIdentity", "not an object");
      refused.add(event.get("eventID").asText());
      byte[] object = Objects.gzip(JSON.writeValueAsBytes(root));
      Documents.expected("aside", aws.bucket, key, object)
          .forEach(
              (id, source) -> {
                if (!id.endsWith("/" + event.get("eventID").asText())) {
                  expected.put(id, source);
                }
              });
      aws.put(key, object);
    }
    await().atMost(TIMEOUT).until(() -> counter("vigil.ingester.dead.letter.write.failures") >= 4);

    String good = Objects.cloudTrailKey("2026/11/27", "20261127T1510Z_good");
    byte[] object = Objects.cloudTrail(600, 84, Instant.parse("2026-11-27T15:00:00Z"));
    expected.putAll(Documents.expected("aside", aws.bucket, good, object));
    aws.put(good, object);
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> Documents.count(openSearch, "aside-*") == expected.size());
    assertThat(counter("vigil.ingester.dead.letters")).as("destination still gone").isZero();

    aws.s3.createBucket(b -> b.bucket(aws.deadLetterBucket));
    assertExactly(aws, openSearch, "aside", expected);
    await()
        .atMost(TIMEOUT)
        .until(() -> counter("vigil.ingester.dead.letters", "kind", "document") >= refused.size());
    String letters =
        String.join("\n", aws.deadLetterKeys().stream().map(aws::deadLetterObject).toList());
    assertThat(refused).allSatisfy(id -> assertThat(letters).contains(id));
  }

  /**
   * Visibility extensions stop when their message is settled. Every ChangeMessageVisibility is held
   * 1 s on its way to SQS and every object's GET 4 s, so each object outlasts half its 6 s
   * visibility and an extension is often in flight when the message is deleted; none may reach SQS
   * after the delete (moto then answers ReceiptHandleIsInvalid, a failed call in the metrics).
   */
  @Test
  void visibilityExtensionsStopWhenTheirMessageIsSettled(MotoServer moto, OpenSearchNode openSearch)
      throws Exception {
    AwsSetup aws = new AwsSetup(moto, "fault-extend", Duration.ofSeconds(6));
    try (SlowAwsProxy proxy =
        new SlowAwsProxy(
            moto.endpoint(),
            Map.of(
                SlowAwsProxy.sqs("ChangeMessageVisibility"), Duration.ofSeconds(1),
                SlowAwsProxy.s3Get(aws.bucket), Duration.ofSeconds(4)))) {
      start(
          aws,
          openSearch.uri().toString(),
          "extend",
          Map.of(
              "vigil.ingester.aws.endpoint-override", proxy.uri().toString(),
              "vigil.ingester.concurrency", "1",
              "vigil.ingester.visibility.timeout", "6s"));
      Map<String, JsonNode> expected = new LinkedHashMap<>();
      for (int i = 0; i < 8; i++) {
        String key = Objects.cloudTrailKey("2026/11/27", "20261127T150" + i + "Z_extend" + i);
        byte[] object = Objects.cloudTrail(50, 90 + i, Instant.parse("2026-11-27T15:00:00Z"));
        expected.putAll(Documents.expected("extend", aws.bucket, key, object));
        aws.put(key, object);
      }

      assertExactly(aws, openSearch, "extend", expected);
      assertThat(awsCalls("ChangeMessageVisibility", "success")).as("extensions made").isPositive();
      assertThat(awsCalls("ChangeMessageVisibility", "failure")).as("failed extensions").isZero();
    }
  }

  private double awsCalls(String operation, String outcome) {
    return counter(IngesterMetrics.AWS_CALLS, "operation", operation, "outcome", outcome);
  }

  /**
   * Waits until the queue is empty and OpenSearch holds {@code expected.size()} documents, then
   * checks that they are exactly the expected indices and ids.
   */
  private void assertExactly(
      AwsSetup aws, OpenSearchNode openSearch, String prefix, Map<String, JsonNode> expected) {
    await()
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(500))
        .until(() -> aws.messagesLeft() == 0);
    long count = Documents.count(openSearch, prefix + "-*");
    assertThat(count).as("documents in %s-*", prefix).isEqualTo(expected.size());
    IdSets.assertSame(
        prefix + "-*",
        Documents.all(openSearch, prefix + "-*", false).keySet(),
        expected.keySet(),
        began);
  }

  private double counter(String name, String... tags) {
    return registry.find(name).tags(tags).counters().stream().mapToDouble(c -> c.count()).sum();
  }
}

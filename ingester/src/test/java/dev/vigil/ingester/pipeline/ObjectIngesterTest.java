package dev.vigil.ingester.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.core.LogType;
import dev.vigil.core.parse.ObjectRef;
import dev.vigil.core.parse.ParsedDocument;
import dev.vigil.ingester.source.ObjectStore;
import dev.vigil.ingester.support.Objects;
import dev.vigil.ingester.support.PipelineFixture;
import dev.vigil.testing.SyntheticCloudTrail;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class ObjectIngesterTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant START = Instant.parse("2026-11-27T10:00:00Z");
  private static final String BUCKET = "logs";
  private static final String KEY = Objects.cloudTrailKey("2026/11/27", "20261127T1005Z_a");

  @Test
  void everyDocumentIsIndexedWithTheParsersIdsAndIndicesInBoundedRequests() throws Exception {
    try (PipelineFixture f =
        new PipelineFixture(Map.of("vigil.ingester.bulk.max-documents", "500"))) {
      byte[] object = Objects.cloudTrail(1200, 7, START);
      f.store.put(BUCKET, KEY, object);

      ObjectIngester.Result result = f.ingester().ingest(new ObjectRef(BUCKET, KEY), null);

      assertThat(result.outcome()).isEqualTo(ObjectIngester.Outcome.INDEXED);
      assertThat(result.type()).isEqualTo(LogType.CLOUDTRAIL);
      assertThat(result.documents()).isEqualTo(1200);
      assertThat(result.indexed()).isEqualTo(1200);
      assertThat(f.openSearch.documents().keySet())
          .containsExactlyInAnyOrderElementsOf(
              Objects.expected(f.parser, BUCKET, KEY, object, null));
      assertThat(f.openSearch.requestSizes())
          .allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(500));
      assertThat(f.counter("vigil.ingester.records.indexed", "type", "cloudtrail")).isEqualTo(1200);
      assertThat(f.counter("vigil.ingester.objects", "outcome", "indexed")).isEqualTo(1);
    }
  }

  @Test
  void requestsStayWithinTheByteLimit() throws Exception {
    try (PipelineFixture f = new PipelineFixture(Map.of("vigil.ingester.bulk.max-bytes", "64K"))) {
      List<Integer> bodies = Collections.synchronizedList(new ArrayList<>());
      f.store.put(BUCKET, KEY, Objects.cloudTrail(2000, 1, START));
      ObjectIngester ingester =
          new Pipeline(
                  f.config.bulk(),
                  body -> {
                    bodies.add(body.length);
                    return f.openSearch.bulk(body);
                  },
                  f.deadLetters,
                  f.metrics,
                  f.status,
                  f.config.concurrency())
              .ingester(f.store, f.parser, d -> {});

      ingester.ingest(new ObjectRef(BUCKET, KEY), null);

      assertThat(f.openSearch.documents()).hasSize(2000);
      assertThat(bodies)
          .hasSizeGreaterThan(10)
          .allSatisfy(b -> assertThat(b).isLessThanOrEqualTo(64 * 1024));
    }
  }

  @Test
  void throttledItemsAreSentAgainUntilAcknowledged() throws Exception {
    try (PipelineFixture f = new PipelineFixture()) {
      f.openSearch.items(
          (index, id, source, attempt) -> attempt <= 2 && id.hashCode() % 3 == 0 ? 429 : 201);
      byte[] object = Objects.cloudTrail(300, 2, START);
      f.store.put(BUCKET, KEY, object);

      ObjectIngester.Result result = f.ingester().ingest(new ObjectRef(BUCKET, KEY), null);

      assertThat(result.outcome()).isEqualTo(ObjectIngester.Outcome.INDEXED);
      assertThat(f.openSearch.documents().keySet())
          .containsExactlyInAnyOrderElementsOf(
              Objects.expected(f.parser, BUCKET, KEY, object, null));
      assertThat(f.counter("vigil.ingester.bulk.retries", "reason", "throttled")).isEqualTo(2);
      assertThat(f.deadLetters.letters).isEmpty();
    }
  }

  @Test
  void unreachableOrFailingOpenSearchIsRetriedUntilItAnswers() throws Exception {
    try (PipelineFixture f = new PipelineFixture()) {
      f.openSearch.requests(
          (request, items) -> {
            if (request <= 3) {
              throw new ConnectException("Connection refused");
            }
            if (request <= 5) {
              return 503;
            }
            return request == 6 ? Integer.valueOf(429) : null;
          });
      byte[] object = Objects.cloudTrail(50, 3, START);
      f.store.put(BUCKET, KEY, object);

      f.ingester().ingest(new ObjectRef(BUCKET, KEY), null);

      assertThat(f.openSearch.documents()).hasSize(50);
      assertThat(f.counter("vigil.ingester.bulk.retries", "reason", "unreachable")).isEqualTo(3);
      assertThat(f.counter("vigil.ingester.bulk.retries", "reason", "server_error")).isEqualTo(2);
      assertThat(f.counter("vigil.ingester.bulk.retries", "reason", "throttled")).isEqualTo(1);
    }
  }

  @Test
  void documentsOpenSearchRefusesGoToTheDeadLettersWithErrorDocumentAndOrigin() throws Exception {
    try (PipelineFixture f = new PipelineFixture()) {
      byte[] object = Objects.cloudTrail(20, 4, START);
      List<String> expected = Objects.expected(f.parser, BUCKET, KEY, object, null);
      String refused = expected.get(5).substring(expected.get(5).indexOf('/') + 1);
      f.openSearch.items((index, id, source, attempt) -> id.equals(refused) ? 400 : 201);
      f.store.put(BUCKET, KEY, object);

      ObjectIngester.Result result = f.ingester().ingest(new ObjectRef(BUCKET, KEY), null);

      assertThat(result.outcome()).isEqualTo(ObjectIngester.Outcome.PARTIAL);
      assertThat(result.indexed()).isEqualTo(19);
      assertThat(result.deadLettered()).isEqualTo(1);
      assertThat(f.openSearch.attempts(refused)).as("never retried").isEqualTo(1);
      DeadLetter letter = f.deadLetters.letters.get(0);
      assertThat(letter.kind()).isEqualTo(DeadLetter.Kind.DOCUMENT);
      assertThat(letter.origin()).isEqualTo(new ObjectRef(BUCKET, KEY));
      assertThat(letter.id()).isEqualTo(refused);
      assertThat(letter.index()).isEqualTo("vigil-cloudtrail-2026.11.27");
      assertThat(letter.status()).isEqualTo(400);
      assertThat(letter.reason())
          .isEqualTo(
              "mapper_parsing_exception: failed to parse field [x] (caused by"
                  + " illegal_argument_exception: bad value)");
      JsonNode line = JSON.readTree(letter.toJson());
      assertThat(line.path("document").path("eventID").asText()).isEqualTo(refused);
      assertThat(line.path("origin").path("key").asText()).isEqualTo(KEY);
      assertThat(
              f.counter(
                  "vigil.ingester.records.failed",
                  "type",
                  "cloudtrail",
                  "reason",
                  "mapper_parsing_exception"))
          .isEqualTo(1);
      assertThat(f.counter("vigil.ingester.dead.letters", "kind", "document")).isEqualTo(1);
    }
  }

  @Test
  void requestRefusedAsTooLargeIsSplitUntilItFits() throws Exception {
    try (PipelineFixture f = new PipelineFixture()) {
      f.openSearch.requests((request, items) -> items > 60 ? 413 : null);
      f.store.put(BUCKET, KEY, Objects.cloudTrail(500, 5, START));

      ObjectIngester.Result result = f.ingester().ingest(new ObjectRef(BUCKET, KEY), null);

      assertThat(result.outcome()).isEqualTo(ObjectIngester.Outcome.INDEXED);
      assertThat(f.openSearch.documents()).hasSize(500);
    }
  }

  @Test
  void unreadableObjectIsDeadLetteredWholeWithItsReason() throws Exception {
    try (PipelineFixture f = new PipelineFixture()) {
      f.store.put(BUCKET, KEY, Objects.badGzip());

      ObjectIngester.Result result = f.ingester().ingest(new ObjectRef(BUCKET, KEY), null);

      assertThat(result.outcome()).isEqualTo(ObjectIngester.Outcome.DEAD_LETTERED);
      assertThat(f.deadLetters.letters)
          .singleElement()
          .satisfies(
              l -> {
                assertThat(l.kind()).isEqualTo(DeadLetter.Kind.OBJECT);
                assertThat(l.origin()).isEqualTo(new ObjectRef(BUCKET, KEY));
                assertThat(l.reason()).contains("not valid gzip/zlib data");
              });
      assertThat(f.counter("vigil.ingester.objects", "outcome", "dead_lettered")).isEqualTo(1);
    }
  }

  @Test
  void rejectedRecordsAreDeadLetteredWithTheirLineAndTheRestIsIndexed() throws Exception {
    try (PipelineFixture f = new PipelineFixture()) {
      String key = "AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/11/27/flow.log.gz";
      String content =
          "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes"
              + " start end action log-status\n"
              + "2 123456789012 eni-1 10.0.0.1 10.0.0.2 443 49152 6 10 840 1795000000 1795000060"
              + " ACCEPT OK\n"
              + "2 123456789012 eni-1 10.0.0.1 10.0.0.2 443\n"
              + "2 123456789012 eni-1 10.0.0.3 10.0.0.2 443 49153 6 10 840 1795000000 1795000060"
              + " REJECT OK\n";
      f.store.put(BUCKET, key, Objects.gzip(content.getBytes(StandardCharsets.UTF_8)));

      ObjectIngester.Result result = f.ingester().ingest(new ObjectRef(BUCKET, key), null);

      assertThat(result.outcome()).isEqualTo(ObjectIngester.Outcome.PARTIAL);
      assertThat(result.indexed()).isEqualTo(2);
      assertThat(result.rejected()).isEqualTo(1);
      assertThat(f.deadLetters.letters)
          .singleElement()
          .satisfies(
              l -> {
                assertThat(l.kind()).isEqualTo(DeadLetter.Kind.RECORD);
                assertThat(l.record()).isEqualTo(3);
                assertThat(l.reason()).contains("expected 14 fields");
              });
      assertThat(f.counter("vigil.ingester.records.failed", "type", "vpcflow", "reason", "parse"))
          .isEqualTo(1);
    }
  }

  @Test
  void damagedEventIsOneRecordDeadLetterSayingWhatWasSkippedAndItsNeighboursAreIndexed()
      throws Exception {
    try (PipelineFixture f = new PipelineFixture()) {
      String events =
          new String(
              SyntheticCloudTrail.object(3, 9, START).readAllBytes(), StandardCharsets.UTF_8);
      int second = events.indexOf(",{") + 1;
      String damaged = events.substring(0, second + 20) + "\u0001" + events.substring(second + 20);
      f.store.put(BUCKET, KEY, Objects.gzip(damaged.getBytes(StandardCharsets.UTF_8)));

      ObjectIngester.Result result = f.ingester().ingest(new ObjectRef(BUCKET, KEY), null);

      assertThat(result.outcome()).isEqualTo(ObjectIngester.Outcome.PARTIAL);
      assertThat(result.indexed()).isEqualTo(2);
      assertThat(f.deadLetters.letters)
          .singleElement()
          .satisfies(
              l -> {
                JsonNode line = JSON.readTree(l.toJson());
                assertThat(line.path("kind").asText()).isEqualTo("record");
                assertThat(line.path("record").asLong()).isEqualTo(2);
                assertThat(line.path("byteOffset").asLong()).isEqualTo(second);
                assertThat(line.path("skippedEvents").asLong()).isEqualTo(1);
                assertThat(line.path("skippedBytes").asLong())
                    .isEqualTo(damaged.indexOf("{\"eventVersion\"", second + 1) - second);
                assertThat(line.path("reason").asText()).contains("control character");
              });
      assertThat(f.counter("vigil.ingester.damage.skipped.events", "type", "cloudtrail"))
          .isEqualTo(1);
    }
  }

  @Test
  void detectionHookSeesEveryDocumentBeforeItIsIndexed() throws Exception {
    try (PipelineFixture f = new PipelineFixture()) {
      byte[] object = Objects.cloudTrail(120, 6, START);
      f.store.put(BUCKET, KEY, object);
      List<String> seen = Collections.synchronizedList(new ArrayList<>());
      List<String> alreadyIndexed = Collections.synchronizedList(new ArrayList<>());

      f.ingester(
              (ParsedDocument d) -> {
                String where = d.index() + "/" + d.id();
                seen.add(where);
                if (f.openSearch.documents().containsKey(where)) {
                  alreadyIndexed.add(where);
                }
              })
          .ingest(new ObjectRef(BUCKET, KEY), null);

      assertThat(seen)
          .containsExactlyElementsOf(Objects.expected(f.parser, BUCKET, KEY, object, null));
      assertThat(alreadyIndexed).isEmpty();
      assertThat(f.openSearch.documents().keySet()).containsExactlyInAnyOrderElementsOf(seen);
    }
  }

  @Test
  void failingDetectionHookIsCountedAndDocumentsAreIndexedAnyway() throws Exception {
    try (PipelineFixture f = new PipelineFixture()) {
      f.store.put(BUCKET, KEY, Objects.cloudTrail(30, 8, START));

      f.ingester(
              d -> {
                throw new IllegalStateException("rule bug");
              })
          .ingest(new ObjectRef(BUCKET, KEY), null);

      assertThat(f.openSearch.documents()).hasSize(30);
      assertThat(f.counter("vigil.ingester.hook.failures")).isEqualTo(30);
    }
  }

  @Test
  void deadLetterDestinationFailuresAreRetriedBeforeTheObjectCounts() throws Exception {
    try (PipelineFixture f = new PipelineFixture()) {
      f.deadLetters.failFirst(2);
      f.store.put(BUCKET, KEY, Objects.badGzip());

      f.ingester().ingest(new ObjectRef(BUCKET, KEY), null);

      assertThat(f.deadLetters.letters).hasSize(1);
      assertThat(f.counter("vigil.ingester.dead.letter.write.failures")).isEqualTo(2);
    }
  }

  @Test
  void missingObjectIsNothingToDo() throws Exception {
    try (PipelineFixture f = new PipelineFixture()) {
      ObjectIngester.Result result =
          f.ingester().ingest(new ObjectRef(BUCKET, "gone.json.gz"), null);

      assertThat(result.outcome()).isEqualTo(ObjectIngester.Outcome.MISSING);
      assertThat(f.deadLetters.letters).isEmpty();
    }
  }

  @Test
  void brokenDownloadIsRetriedLaterEvenWhenTheParserCouldContinue() {
    try (PipelineFixture f = new PipelineFixture()) {
      byte[] object = Objects.cloudTrail(500, 9, START);
      ObjectStore failing =
          new ForwardingStore(f.store) {
            @Override
            public InputStream open(String bucket, String key) {
              return new InputStream() {
                int served;

                @Override
                public int read() throws IOException {
                  if (served++ > object.length / 2) {
                    throw new IOException("Connection reset");
                  }
                  return object[served - 1] & 0xff;
                }
              };
            }
          };

      assertThatThrownBy(
              () ->
                  f.pipeline
                      .ingester(failing, f.parser, d -> {})
                      .ingest(new ObjectRef(BUCKET, KEY), null))
          .isInstanceOf(ObjectIngester.RetryLater.class)
          .hasMessageContaining("Connection reset");
      assertThat(f.deadLetters.letters).isEmpty();
    }
  }

  private static class ForwardingStore implements ObjectStore {
    private final ObjectStore delegate;

    ForwardingStore(ObjectStore delegate) {
      this.delegate = delegate;
    }

    @Override
    public InputStream open(String bucket, String key) throws IOException {
      return delegate.open(bucket, key);
    }

    @Override
    public Optional<byte[]> read(String bucket, String key) throws IOException {
      return delegate.read(bucket, key);
    }

    @Override
    public void put(String bucket, String key, byte[] content, String contentType)
        throws IOException {
      delegate.put(bucket, key, content, contentType);
    }

    @Override
    public Optional<String> firstKey(String bucket, String prefix) throws IOException {
      return delegate.firstKey(bucket, prefix);
    }

    @Override
    public void list(String bucket, String prefix, String startAfter, Consumer<String> each)
        throws IOException {
      delegate.list(bucket, prefix, startAfter, each);
    }

    @Override
    public void listObjects(String bucket, String prefix, Consumer<Listed> each)
        throws IOException {
      delegate.listObjects(bucket, prefix, each);
    }

    @Override
    public java.util.List<String> folders(String bucket, String prefix) throws IOException {
      return delegate.folders(bucket, prefix);
    }
  }
}

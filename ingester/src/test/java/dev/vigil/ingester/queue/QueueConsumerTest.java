package dev.vigil.ingester.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.ingester.pipeline.DeadLetter;
import dev.vigil.ingester.pipeline.ObjectIngester;
import dev.vigil.ingester.source.ObjectStore;
import dev.vigil.ingester.support.MemoryQueue;
import dev.vigil.ingester.support.Objects;
import dev.vigil.ingester.support.PipelineFixture;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class QueueConsumerTest {
  private static final Instant START = Instant.parse("2026-11-27T10:00:00Z");
  private static final String BUCKET = "logs";

  private static QueueConsumer consumer(
      PipelineFixture f, MemoryQueue queue, ObjectIngester ingester, Duration visibility) {
    return new QueueConsumer(
        List.of(new QueueConsumer.Binding(queue, null)),
        ingester,
        f.pipeline.deadLetters(),
        f.metrics,
        2,
        Duration.ofMillis(100),
        visibility,
        () -> {});
  }

  @Test
  void messageIsDeletedOnlyAfterEveryDocumentOfItsObjectIsAcknowledged() throws Exception {
    try (PipelineFixture f = new PipelineFixture()) {
      CountDownLatch openSearchAnswers = new CountDownLatch(1);
      f.openSearch.requests(
          (request, items) -> {
            try {
              openSearchAnswers.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return null;
          });
      String key = Objects.cloudTrailKey("2026/11/27", "a");
      f.store.put(BUCKET, key, Objects.cloudTrail(100, 1, START));
      MemoryQueue queue = new MemoryQueue("q");
      String id = queue.send(Objects.s3Notification(BUCKET, key));
      QueueConsumer consumer = consumer(f, queue, f.ingester(), Duration.ofSeconds(30));
      consumer.start();
      try {
        await().until(() -> f.openSearch.requestCount() > 0);
        assertThat(queue.deleted).isEmpty();
        assertThat(consumer.inFlight().size()).isEqualTo(1);

        openSearchAnswers.countDown();

        await().atMost(Duration.ofSeconds(10)).until(() -> queue.deleted.contains(id));
        assertThat(f.openSearch.documents()).hasSize(100);
        assertThat(f.counter("vigil.ingester.messages", "outcome", "deleted")).isEqualTo(1);
      } finally {
        consumer.stop(Duration.ofSeconds(5), f.pipeline::abandon);
      }
    }
  }

  @Test
  void visibilityIsExtendedWhileTheObjectIsWorkedOn() throws Exception {
    try (PipelineFixture f = new PipelineFixture()) {
      CountDownLatch openSearchAnswers = new CountDownLatch(1);
      f.openSearch.requests(
          (request, items) -> {
            try {
              openSearchAnswers.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return null;
          });
      String key = Objects.cloudTrailKey("2026/11/27", "slow");
      f.store.put(BUCKET, key, Objects.cloudTrail(10, 2, START));
      MemoryQueue queue = new MemoryQueue("q");
      String id = queue.send(Objects.s3Notification(BUCKET, key));
      QueueConsumer consumer = consumer(f, queue, f.ingester(), Duration.ofSeconds(2));
      consumer.start();
      try {
        await().atMost(Duration.ofSeconds(5)).until(() -> queue.extended.contains(id));
        assertThat(queue.deleted).isEmpty();
        openSearchAnswers.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> queue.deleted.contains(id));
        assertThat(queue.released).isEmpty();
      } finally {
        consumer.stop(Duration.ofSeconds(5), f.pipeline::abandon);
      }
    }
  }

  @Test
  void testEventsAreAcknowledgedAndForeignMessagesDeadLetteredSoTheQueueKeepsFlowing()
      throws Exception {
    try (PipelineFixture f = new PipelineFixture()) {
      MemoryQueue queue = new MemoryQueue("q");
      String test = queue.send("{\"Service\":\"Amazon S3\",\"Event\":\"s3:TestEvent\"}");
      String foreign = queue.send("{\"hello\":\"world\"}");
      QueueConsumer consumer = consumer(f, queue, f.ingester(), Duration.ofSeconds(30));
      consumer.start();
      try {
        await().atMost(Duration.ofSeconds(5)).until(() -> queue.deleted.size() == 2);
        assertThat(queue.deleted).containsExactlyInAnyOrder(test, foreign);
        assertThat(f.deadLetters.letters)
            .singleElement()
            .satisfies(
                l -> {
                  assertThat(l.kind()).isEqualTo(DeadLetter.Kind.MESSAGE);
                  assertThat(l.message()).isEqualTo("{\"hello\":\"world\"}");
                  assertThat(l.queue()).isEqualTo("q");
                });
        assertThat(f.counter("vigil.ingester.messages", "outcome", "test_event")).isEqualTo(1);
      } finally {
        consumer.stop(Duration.ofSeconds(5), f.pipeline::abandon);
      }
    }
  }

  @Test
  void poisonObjectIsDeadLetteredWhileTheOthersAreIndexed() throws Exception {
    try (PipelineFixture f = new PipelineFixture()) {
      MemoryQueue queue = new MemoryQueue("q");
      String good1 = Objects.cloudTrailKey("2026/11/27", "good1");
      String poison = Objects.cloudTrailKey("2026/11/27", "poison");
      String good2 = Objects.cloudTrailKey("2026/11/27", "good2");
      f.store.put(BUCKET, good1, Objects.cloudTrail(40, 11, START));
      f.store.put(BUCKET, poison, Objects.badGzip());
      f.store.put(BUCKET, good2, Objects.cloudTrail(60, 12, START));
      for (String key : List.of(good1, poison, good2)) {
        queue.send(Objects.s3Notification(BUCKET, key));
      }
      QueueConsumer consumer = consumer(f, queue, f.ingester(), Duration.ofSeconds(30));
      consumer.start();
      try {
        await().atMost(Duration.ofSeconds(10)).until(() -> queue.size() == 0);
        assertThat(f.openSearch.documents()).hasSize(100);
        assertThat(f.deadLetters.letters)
            .singleElement()
            .satisfies(l -> assertThat(l.origin().key()).isEqualTo(poison));
      } finally {
        consumer.stop(Duration.ofSeconds(5), f.pipeline::abandon);
      }
    }
  }

  @Test
  void sameNotificationDeliveredTwiceLeavesOneCopyOfEachDocument() throws Exception {
    try (PipelineFixture f = new PipelineFixture()) {
      String key = Objects.cloudTrailKey("2026/11/27", "twice");
      byte[] object = Objects.cloudTrail(80, 3, START);
      f.store.put(BUCKET, key, object);
      MemoryQueue queue = new MemoryQueue("q");
      queue.send(Objects.s3Notification(BUCKET, key));
      queue.send(Objects.s3Notification(BUCKET, key));
      QueueConsumer consumer = consumer(f, queue, f.ingester(), Duration.ofSeconds(30));
      consumer.start();
      try {
        await().atMost(Duration.ofSeconds(10)).until(() -> queue.deleted.size() == 2);
        assertThat(f.openSearch.documents().keySet())
            .containsExactlyInAnyOrderElementsOf(
                Objects.expected(f.parser, BUCKET, key, object, null));
      } finally {
        consumer.stop(Duration.ofSeconds(5), f.pipeline::abandon);
      }
    }
  }

  @Test
  void objectThatCannotBeFetchedNowReleasesItsMessage() throws Exception {
    try (PipelineFixture f = new PipelineFixture()) {
      ObjectStore s3Down =
          new ObjectStore() {
            @Override
            public InputStream open(String bucket, String key) {
              throw new IllegalStateException("S3 throttled: SlowDown");
            }

            @Override
            public Optional<byte[]> read(String bucket, String key) {
              return Optional.empty();
            }

            @Override
            public void put(String bucket, String key, byte[] content, String type) {}

            @Override
            public Optional<String> firstKey(String bucket, String prefix) {
              return Optional.empty();
            }

            @Override
            public void list(String b, String p, String s, Consumer<String> each) {}

            @Override
            public void listObjects(String b, String p, Consumer<Listed> each) {}

            @Override
            public java.util.List<String> folders(String b, String p) {
              return java.util.List.of();
            }
          };
      MemoryQueue queue = new MemoryQueue("q");
      String id = queue.send(Objects.s3Notification(BUCKET, "x.json.gz"));
      QueueConsumer consumer =
          consumer(
              f, queue, f.pipeline.ingester(s3Down, f.parser, d -> {}), Duration.ofSeconds(30));
      consumer.start();
      try {
        await().atMost(Duration.ofSeconds(5)).until(() -> queue.released.contains(id));
        assertThat(queue.deleted).doesNotContain(id);
        assertThat(f.deadLetters.letters).isEmpty();
      } finally {
        consumer.stop(Duration.ofSeconds(5), f.pipeline::abandon);
      }
    }
  }

  @Test
  void shutdownReleasesWhatCannotFinishWithinTheGracePeriod() throws Exception {
    try (PipelineFixture f = new PipelineFixture(Map.of("vigil.ingester.bulk.retry-max", "50ms"))) {
      f.openSearch.requests(
          (request, items) -> {
            throw new ConnectException("Connection refused");
          });
      String key = Objects.cloudTrailKey("2026/11/27", "stuck");
      f.store.put(BUCKET, key, Objects.cloudTrail(30, 4, START));
      MemoryQueue queue = new MemoryQueue("q");
      String id = queue.send(Objects.s3Notification(BUCKET, key));
      QueueConsumer consumer = consumer(f, queue, f.ingester(), Duration.ofSeconds(30));
      consumer.start();
      await().until(() -> f.openSearch.requestCount() > 2);

      consumer.stop(Duration.ofMillis(300), f.pipeline::abandon);

      assertThat(queue.released).containsExactly(id);
      assertThat(queue.deleted).isEmpty();
      assertThat(consumer.inFlight().size()).isZero();
    }
  }

  @Test
  void shutdownReleasesAMessageWhoseObjectIsStuckDownloading() throws Exception {
    try (PipelineFixture f = new PipelineFixture()) {
      CountDownLatch downloading = new CountDownLatch(1);
      ObjectStore stuck =
          new ObjectStore() {
            @Override
            public InputStream open(String bucket, String key) {
              return new InputStream() {
                @Override
                public int read() throws IOException {
                  downloading.countDown();
                  try {
                    new CountDownLatch(1).await(); // a read that never returns
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // as socket reads leave it
                    throw new java.io.InterruptedIOException("interrupted");
                  }
                  return -1;
                }
              };
            }

            @Override
            public Optional<byte[]> read(String bucket, String key) {
              return Optional.empty();
            }

            @Override
            public void put(String bucket, String key, byte[] content, String type) {}

            @Override
            public Optional<String> firstKey(String bucket, String prefix) {
              return Optional.empty();
            }

            @Override
            public void list(String b, String p, String s, Consumer<String> each) {}

            @Override
            public void listObjects(String b, String p, Consumer<Listed> each) {}

            @Override
            public java.util.List<String> folders(String b, String p) {
              return java.util.List.of();
            }
          };
      MemoryQueue queue = new MemoryQueue("q");
      String id = queue.send(Objects.s3Notification(BUCKET, "stuck.json.gz"));
      QueueConsumer consumer =
          consumer(f, queue, f.pipeline.ingester(stuck, f.parser, d -> {}), Duration.ofSeconds(30));
      consumer.start();
      assertThat(downloading.await(5, TimeUnit.SECONDS)).isTrue();

      consumer.stop(Duration.ofMillis(200), f.pipeline::abandon);

      assertThat(queue.released).containsExactly(id);
      assertThat(queue.deleted).isEmpty();
    }
  }

  @Test
  void shutdownLetsInFlightWorkFinishWithinTheGracePeriod() throws Exception {
    try (PipelineFixture f = new PipelineFixture()) {
      f.openSearch.requests(
          (request, items) -> {
            sleep(300);
            return null;
          });
      String key = Objects.cloudTrailKey("2026/11/27", "finishing");
      f.store.put(BUCKET, key, Objects.cloudTrail(30, 5, START));
      MemoryQueue queue = new MemoryQueue("q");
      String id = queue.send(Objects.s3Notification(BUCKET, key));
      QueueConsumer consumer = consumer(f, queue, f.ingester(), Duration.ofSeconds(30));
      consumer.start();
      await().until(() -> f.openSearch.requestCount() > 0);

      consumer.stop(Duration.ofSeconds(10), f.pipeline::abandon);

      assertThat(queue.deleted).containsExactly(id);
      assertThat(queue.released).isEmpty();
      assertThat(f.openSearch.documents()).hasSize(30);
    }
  }

  private static void sleep(long millis) throws IOException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted");
    }
  }
}

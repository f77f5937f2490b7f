package dev.vigil.ingester.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.core.LogType;
import dev.vigil.core.parse.IndexNaming;
import dev.vigil.ingester.app.Ingester;
import dev.vigil.ingester.support.Objects;
import dev.vigil.ingester.support.TestConfigs;
import dev.vigil.parts.MotoServer;
import dev.vigil.parts.OpenSearchCluster;
import dev.vigil.parts.OpenSearchNode;
import dev.vigil.testing.IdSets;
import dev.vigil.testing.RealPartsExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The ingester against a three-node OpenSearch cluster (one replica per shard: the templates'
 * default {@code 0-1} with more than one data node): a data node killed mid-ingest (half the
 * objects arrive while it is gone) and started again costs no document and duplicates none, and the
 * cluster goes yellow and back to green.
 */
@ExtendWith(RealPartsExtension.class)
class ClusterFaultsIT {
  private static final Duration TIMEOUT = Duration.ofMinutes(4);
  private static final String PREFIX = "cluster";

  @Test
  void aDataNodeKilledMidIngestAndBroughtBackLosesAndDuplicatesNothing(MotoServer moto)
      throws Exception {
    try (OpenSearchCluster cluster = OpenSearchCluster.start(3)) {
      OpenSearchNode entry = cluster.node(0);
      AwsSetup aws = new AwsSetup(moto, "fault-cluster", Duration.ofSeconds(20));
      Map<String, String> props = new HashMap<>(aws.ingesterProperties());
      props.put("vigil.ingester.opensearch.endpoint", entry.uri().toString());
      props.put("vigil.ingester.opensearch.probe-interval", "1s");
      props.put("vigil.ingester.index-prefix", PREFIX);
      props.put("vigil.ingester.receive.wait-time", "1s");
      props.put("vigil.ingester.visibility.timeout", "20s");
      props.put("vigil.ingester.bulk.max-documents", "1000");
      props.put("vigil.ingester.bulk.flush-interval", "200ms");
      props.put("vigil.ingester.bulk.retry-max", "3s");
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      try (Ingester ingester =
          Ingester.create(TestConfigs.from(props), registry, AwsSetup.credentials())) {
        ingester.startQueues();
        Instant began = Instant.now();
        Map<String, JsonNode> expected = new LinkedHashMap<>();
        for (int i = 0; i < 3; i++) {
          put(aws, i, expected);
        }
        await()
            .atMost(TIMEOUT)
            .pollInterval(Duration.ofMillis(200))
            .until(() -> Documents.count(entry, PREFIX + "-*") > 3000);

        long before = Documents.count(entry, PREFIX + "-*");
        OpenSearchNode victim = holderOfACopy(cluster, entry);
        victim.kill();
        // Half the objects arrive while the node is gone, and are indexed while it comes back.
        for (int i = 3; i < 6; i++) {
          put(aws, i, expected);
        }
        // The cluster notices the loss: yellow, or red while a primary whose replica was not yet
        // allocated (an index created just before the kill) waits for its node to come back.
        String degraded =
            await()
                .atMost(TIMEOUT)
                .until(cluster::health, h -> "yellow".equals(h) || "red".equals(h));
        System.out.println("cluster fault: health " + degraded + " with a data node gone");
        victim.start();

        await()
            .atMost(TIMEOUT)
            .pollInterval(Duration.ofMillis(500))
            .until(() -> aws.messagesLeft() == 0);
        assertThat(Documents.count(entry, PREFIX + "-*")).isEqualTo(expected.size());
        IdSets.assertSame(
            "cluster fault " + PREFIX + "-*",
            Documents.all(entry, PREFIX + "-*", false).keySet(),
            expected.keySet(),
            began);
        assertThat(aws.deadLetterKeys()).isEmpty();
        await().atMost(TIMEOUT).until(() -> "green".equals(cluster.health()));
        assertThat(Documents.count(victim, PREFIX + "-*")).isEqualTo(expected.size());
        System.out.printf(
            "cluster fault: %s killed with %d of %d documents indexed; %.0f bulk retries (%s)%n",
            victim,
            before,
            expected.size(),
            registry.find("vigil.ingester.bulk.retries").counters().stream()
                .mapToDouble(c -> c.count())
                .sum(),
            registry.find("vigil.ingester.bulk.retries").counters().stream()
                .map(c -> c.getId().getTag("reason") + "=" + (long) c.count())
                .toList());
      }
    }
  }

  /**
   * A member other than {@code entry} that holds a copy of an ingested shard. With one replica of
   * each shard, two of the three nodes may hold every copy: killing the third leaves the cluster
   * green and proves nothing.
   */
  private static OpenSearchNode holderOfACopy(OpenSearchCluster cluster, OpenSearchNode entry) {
    for (JsonNode shard :
        Documents.get(entry, "/_cat/shards/" + PREFIX + "-*?format=json&h=node,state")) {
      String holder = shard.path("node").asText();
      if (!holder.equals(entry.name()) && "STARTED".equals(shard.path("state").asText())) {
        return cluster.nodes().stream().filter(n -> n.name().equals(holder)).findFirst().get();
      }
    }
    throw new AssertionError("no started shard copy of " + PREFIX + "-* outside " + entry);
  }

  /**
   * Without replicas ({@code opensearch.replicas=0}) a shard whose node dies has no copy: bulk
   * items routed to it fail (OpenSearch answers 503 once its minute of waiting for the primary
   * ends) and are retried until the node is back — then nothing is lost or duplicated. The day's
   * index is pinned to the victim so that every item of the objects sent while it is gone hits it.
   */
  @Test
  void withoutReplicasItemsThatHitTheDeadNodeAreRetriedUntilItReturns(MotoServer moto)
      throws Exception {
    try (OpenSearchCluster cluster = OpenSearchCluster.start(3)) {
      OpenSearchNode entry = cluster.node(0);
      OpenSearchNode victim = cluster.node(2);
      AwsSetup aws = new AwsSetup(moto, "fault-noreplica", Duration.ofSeconds(20));
      Map<String, String> props = new HashMap<>(aws.ingesterProperties());
      props.put("vigil.ingester.opensearch.endpoint", entry.uri().toString());
      props.put("vigil.ingester.opensearch.probe-interval", "1s");
      props.put("vigil.ingester.opensearch.replicas", "0");
      // Longer than OpenSearch's wait for a missing primary, so its per-item answer arrives.
      props.put("vigil.ingester.opensearch.request-timeout", "90s");
      props.put("vigil.ingester.index-prefix", "noreplica");
      props.put("vigil.ingester.receive.wait-time", "1s");
      props.put("vigil.ingester.visibility.timeout", "20s");
      props.put("vigil.ingester.bulk.flush-interval", "200ms");
      props.put("vigil.ingester.bulk.retry-max", "3s");
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      try (Ingester ingester =
          Ingester.create(TestConfigs.from(props), registry, AwsSetup.credentials())) {
        ingester.startQueues();
        Instant began = Instant.now();
        String index =
            new IndexNaming("noreplica", IndexNaming.Granularity.DAILY)
                .index(LogType.CLOUDTRAIL, Instant.parse("2026-11-27T12:00:00Z"));
        await()
            .atMost(TIMEOUT)
            .until(
                () -> status(entry, "GET", "/_index_template/noreplica-cloudtrail", null) == 200);
        assertThat(
                status(
                    entry,
                    "PUT",
                    "/" + index,
                    "{\"settings\":{\"index.routing.allocation.require._name\":\""
                        + victim.name()
                        + "\"}}"))
            .isEqualTo(200);
        Map<String, JsonNode> expected = new LinkedHashMap<>();
        put(aws, "noreplica", 0, 2_000, expected);
        await()
            .atMost(TIMEOUT)
            .pollInterval(Duration.ofMillis(500))
            .until(() -> Documents.count(entry, "noreplica-*") == expected.size());

        victim.kill();
        put(aws, "noreplica", 1, 2_000, expected);
        await()
            .atMost(TIMEOUT)
            .pollInterval(Duration.ofMillis(500))
            .until(() -> retries(registry) > 0);
        victim.start();

        await()
            .atMost(TIMEOUT)
            .pollInterval(Duration.ofMillis(500))
            .until(() -> aws.messagesLeft() == 0);
        IdSets.assertSame(
            "cluster fault noreplica-*",
            Documents.all(entry, "noreplica-*", false).keySet(),
            expected.keySet(),
            began);
        assertThat(aws.deadLetterKeys()).isEmpty();
        System.out.printf(
            "cluster fault: no replicas, %s killed; documents sent again while it was gone: %s%n",
            victim,
            registry.find("vigil.ingester.records.retried").counters().stream()
                .map(c -> c.getId().getTag("reason") + "=" + (long) c.count())
                .toList());
      }
    }
  }

  private static double retries(SimpleMeterRegistry registry) {
    return registry.find("vigil.ingester.bulk.retries").counters().stream()
        .mapToDouble(c -> c.count())
        .sum();
  }

  private static int status(OpenSearchNode node, String method, String path, String body)
      throws Exception {
    return node.httpClient()
        .send(
            node.request(path)
                .header("Content-Type", "application/json")
                .method(
                    method,
                    body == null
                        ? java.net.http.HttpRequest.BodyPublishers.noBody()
                        : java.net.http.HttpRequest.BodyPublishers.ofString(body))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private static void put(
      AwsSetup aws, String prefix, int i, int events, Map<String, JsonNode> expected) {
    String key = Objects.cloudTrailKey("2026/11/27", "20261127T12" + i + "0Z_" + prefix + i);
    byte[] object = Objects.cloudTrail(events, 90 + i, Instant.parse("2026-11-27T12:00:00Z"));
    expected.putAll(Documents.expected(prefix, aws.bucket, key, object));
    aws.put(key, object);
  }

  private static void put(AwsSetup aws, int i, Map<String, JsonNode> expected) {
    String key = Objects.cloudTrailKey("2026/11/27", "20261127T12" + i + "0Z_c" + i);
    byte[] object = Objects.cloudTrail(10_000, 80 + i, Instant.parse("2026-11-27T12:00:00Z"));
    expected.putAll(Documents.expected(PREFIX, aws.bucket, key, object));
    aws.put(key, object);
  }
}

package dev.vigil.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.parts.OpenSearchCluster;
import dev.vigil.parts.OpenSearchNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Three OpenSearch JVMs form one cluster; an index with a replica stays complete and writable when
 * a member is killed (health yellow) and is green again with all three once it is back.
 */
class OpenSearchClusterIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(180);

  @Test
  void aKilledMemberTurnsTheClusterYellowWithoutLosingDocumentsAndGreenOnceBack() throws Exception {
    List<Path> copies = new ArrayList<>();
    try (OpenSearchCluster cluster = OpenSearchCluster.start(3)) {
      cluster.nodes().forEach(n -> copies.add(n.snapshotDirectory()));
      OpenSearchNode first = cluster.node(0);
      OpenSearchNode victim = cluster.node(2);
      assertThat(send(first, "GET", "/_cat/nodes?h=name", null).lines()).hasSize(3);
      send(
          first,
          "PUT",
          "/cluster-smoke",
          "{\"settings\":{\"number_of_shards\":3,\"number_of_replicas\":1}}");
      bulk(first, 0, 200);
      await().atMost(TIMEOUT).until(() -> "green".equals(cluster.health()));

      victim.kill();
      await().atMost(TIMEOUT).until(() -> "yellow".equals(cluster.health()));
      assertThat(count(first)).isEqualTo(200);
      bulk(first, 200, 100); // still writable with a member gone

      victim.start();
      await()
          .atMost(TIMEOUT)
          .until(
              () ->
                  "green".equals(cluster.health())
                      && send(first, "GET", "/_cat/nodes?h=name", null).lines().count() == 3);
      assertThat(count(victim)).isEqualTo(300);
    }
    // Each member's ≈ 300 MB copy of OpenSearch goes with the cluster.
    assertThat(copies).allSatisfy(dir -> assertThat(dir).doesNotExist());
  }

  private static void bulk(OpenSearchNode node, int from, int n) throws Exception {
    StringBuilder ndjson = new StringBuilder();
    for (int i = from; i < from + n; i++) {
      ndjson
          .append("{\"index\":{\"_index\":\"cluster-smoke\",\"_id\":\"")
          .append(i)
          .append("\"}}\n");
      ndjson.append("{\"n\":").append(i).append("}\n");
    }
    String response = send(node, "POST", "/_bulk?refresh=true", ndjson.toString());
    assertThat(response).startsWith("{\"took\"").contains("\"errors\":false");
  }

  private static long count(OpenSearchNode node) throws Exception {
    String body = send(node, "GET", "/cluster-smoke/_count", null);
    return Long.parseLong(body.replaceAll(".*\"count\":(\\d+).*", "$1"));
  }

  private static String send(OpenSearchNode node, String method, String path, String body)
      throws Exception {
    HttpResponse<String> response =
        node.httpClient()
            .send(
                node.request(path)
                    .header(
                        "Content-Type",
                        path.contains("_bulk") ? "application/x-ndjson" : "application/json")
                    .method(
                        method,
                        body == null
                            ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode())
        .as(method + " " + path + ": " + response.body())
        .isLessThan(300);
    return response.body();
  }
}

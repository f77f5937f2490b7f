package dev.vigil.parts;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * A cluster of plain OpenSearch nodes on loopback, each its own JVM with a small heap, all
 * cluster-manager-eligible data nodes: what users run once one node is not enough. Tests stop or
 * kill single members (as a crash or a rolling restart would) and start them again with their data.
 */
public final class OpenSearchCluster implements AutoCloseable {
  private static final String HEAP = "256m";

  private final List<OpenSearchNode> nodes;

  private OpenSearchCluster(List<OpenSearchNode> nodes) {
    this.nodes = nodes;
  }

  /** Starts {@code size} nodes and returns once every one answers with a cluster health. */
  public static OpenSearchCluster start(int size) {
    String cluster = "vigil-cluster-" + UUID.randomUUID().toString().substring(0, 8);
    List<OpenSearchNode> nodes = new ArrayList<>();
    for (int i = 1; i <= size; i++) {
      nodes.add(OpenSearchNode.unpacked("opensearch-" + cluster + "-" + i, false));
    }
    String seeds =
        nodes.stream()
            .map(n -> "\"127.0.0.1:" + n.transportPort() + "\"")
            .collect(Collectors.joining(", "));
    String managers =
        nodes.stream().map(n -> "\"" + n.name() + "\"").collect(Collectors.joining(", "));
    String discovery =
        "discovery.seed_hosts: ["
            + seeds
            + "]\ncluster.initial_cluster_manager_nodes: ["
            + managers
            + "]";
    OpenSearchCluster started = new OpenSearchCluster(List.copyOf(nodes));
    try {
      for (OpenSearchNode node : nodes) {
        node.joinCluster(cluster, discovery, HEAP);
        node.configure();
      }
      // No node is healthy before a cluster manager is elected, which needs a majority running.
      nodes.forEach(OpenSearchNode::launch);
      nodes.forEach(OpenSearchNode::awaitHealthy);
      return started;
    } catch (RuntimeException e) {
      started.close();
      throw e;
    }
  }

  public List<OpenSearchNode> nodes() {
    return nodes;
  }

  public OpenSearchNode node(int index) {
    return nodes.get(index);
  }

  /** Every member's HTTP address, for clients that spread requests over the cluster. */
  public List<URI> uris() {
    return nodes.stream().map(OpenSearchNode::uri).toList();
  }

  /**
   * {@code green}, {@code yellow} or {@code red}, as the first member that answers sees it; null
   * when none answers.
   */
  public String health() {
    for (OpenSearchNode node : nodes) {
      try {
        HttpResponse<String> response =
            node.httpClient()
                .send(
                    node.request("/_cluster/health?filter_path=status").GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return response.body().replaceAll(".*\"status\":\"(\\w+)\".*", "$1");
        }
      } catch (IOException e) {
        // this member is down: ask the next
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    }
    return null;
  }

  @Override
  public void close() {
    nodes.forEach(OpenSearchNode::close);
  }

  @Override
  public String toString() {
    return "OpenSearch cluster " + uris();
  }
}

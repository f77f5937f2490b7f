package dev.vigil.operator.connection;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.operator.opensearch.OpenSearchException;
import dev.vigil.operator.opensearch.OpenSearchRest;
import java.util.ArrayList;
import java.util.List;

/** Reads version, health and plugins of a cluster with three read-only requests. */
public final class ClusterProbe {
  private ClusterProbe() {}

  public static ClusterFacts probe(OpenSearchRest rest) throws OpenSearchException {
    JsonNode info = rest.get("/");
    JsonNode health = rest.get("/_cluster/health");
    JsonNode plugins = rest.get("/_cat/plugins?format=json");
    List<String> components = new ArrayList<>();
    plugins.forEach(p -> components.add(p.path("component").asText()));
    return new ClusterFacts(
        info.path("version").path("number").asText(null),
        info.path("version").path("distribution").asText("elasticsearch"),
        health.path("status").asText(null),
        components.stream().distinct().sorted().toList());
  }
}

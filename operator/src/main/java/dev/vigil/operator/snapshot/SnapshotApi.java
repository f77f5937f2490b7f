package dev.vigil.operator.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.core.snapshot.SnapshotInfo;
import dev.vigil.core.snapshot.SnapshotNames;
import dev.vigil.operator.opensearch.OpenSearchException;
import dev.vigil.operator.opensearch.OpenSearchRest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The core OpenSearch snapshot and index APIs the operator uses ({@code _snapshot}, {@code
 * _cat/indices}, index deletion); every request is counted by {@link SnapshotMetrics}.
 */
public final class SnapshotApi {
  static final ObjectMapper JSON = new ObjectMapper();

  /** Index deletions go in batches, so the request line stays short. */
  private static final int DELETE_BATCH = 20;

  private final OpenSearchRest rest;
  private final SnapshotMetrics metrics;

  public SnapshotApi(OpenSearchRest rest, SnapshotMetrics metrics) {
    this.rest = rest;
    this.metrics = metrics;
  }

  public OpenSearchRest rest() {
    return rest;
  }

  /** The repository's registration ({@code {type, settings}}), or null when not registered. */
  public JsonNode repository(String name) throws OpenSearchException {
    try {
      return call("get_repository", () -> rest.get("_snapshot/" + encode(name))).path(name);
    } catch (OpenSearchException e) {
      if (e.isNotFound()) {
        return null;
      }
      throw e;
    }
  }

  /** Registers (or re-registers) a repository; OpenSearch verifies it can write there. */
  public void putRepository(String name, ObjectNode body) throws OpenSearchException {
    call("put_repository", () -> rest.put("_snapshot/" + encode(name), body));
  }

  public void deleteRepository(String name) throws OpenSearchException {
    try {
      call("delete_repository", () -> rest.delete("_snapshot/" + encode(name)));
    } catch (OpenSearchException e) {
      if (!e.isNotFound()) {
        throw e;
      }
    }
  }

  /** The policy's snapshots in the repository, oldest first. */
  public List<SnapshotInfo> snapshots(String repository, SnapshotNames names)
      throws OpenSearchException {
    JsonNode body;
    try {
      body =
          call(
              "list_snapshots",
              () ->
                  rest.get(
                      "_snapshot/"
                          + encode(repository)
                          + "/"
                          + encode(names.wildcard())
                          + "?ignore_unavailable=true"));
    } catch (OpenSearchException e) {
      if (e.isNotFound()) {
        return List.of();
      }
      throw e;
    }
    List<SnapshotInfo> snapshots = new ArrayList<>();
    for (JsonNode s : body.path("snapshots")) {
      String name = s.path("snapshot").asText();
      if (!names.owns(name)) {
        continue;
      }
      List<String> indices = new ArrayList<>();
      s.path("indices").forEach(i -> indices.add(i.asText()));
      long end = s.path("end_time_in_millis").asLong(0);
      snapshots.add(
          new SnapshotInfo(
              name,
              s.path("state").asText(),
              Instant.ofEpochMilli(s.path("start_time_in_millis").asLong()),
              end > 0 ? Instant.ofEpochMilli(end) : null,
              indices,
              s.path("reason").isTextual() ? s.path("reason").asText() : null));
    }
    snapshots.sort(java.util.Comparator.comparing(SnapshotInfo::start));
    return snapshots;
  }

  /**
   * Starts a snapshot without waiting for it. Returns false when a snapshot of that name exists
   * already (an earlier attempt of the same run).
   */
  public boolean createSnapshot(String repository, String name, ObjectNode body)
      throws OpenSearchException {
    try {
      call(
          "create_snapshot",
          () ->
              rest.put(
                  "_snapshot/"
                      + encode(repository)
                      + "/"
                      + encode(name)
                      + "?wait_for_completion=false",
                  body));
      return true;
    } catch (OpenSearchException e) {
      if (e.status() == 400 && e.getMessage().contains("already exists")) {
        return false;
      }
      throw e;
    }
  }

  public void deleteSnapshots(String repository, List<String> names) throws OpenSearchException {
    for (String name : names) {
      try {
        call(
            "delete_snapshot",
            () -> rest.delete("_snapshot/" + encode(repository) + "/" + encode(name)));
      } catch (OpenSearchException e) {
        if (!e.isNotFound()) {
          throw e;
        }
      }
    }
  }

  /** Starts a restore; OpenSearch answers once the restore has been accepted. */
  public void restore(String repository, String snapshot, ObjectNode body)
      throws OpenSearchException {
    call(
        "restore_snapshot",
        () ->
            rest.post(
                "_snapshot/" + encode(repository) + "/" + encode(snapshot) + "/_restore", body));
  }

  /** Names of the (open or closed) indices matching a pattern; none when nothing matches. */
  public List<String> indices(String pattern) throws OpenSearchException {
    JsonNode rows;
    try {
      rows =
          call(
              "list_indices",
              () ->
                  rest.get(
                      "_cat/indices/"
                          + encode(pattern)
                          + "?format=json&h=index&expand_wildcards=open,closed"));
    } catch (OpenSearchException e) {
      if (e.isNotFound()) {
        return List.of(); // a pattern without wildcards that names no index
      }
      throw e;
    }
    List<String> names = new ArrayList<>();
    rows.forEach(r -> names.add(r.path("index").asText()));
    return names;
  }

  public void deleteIndices(List<String> indices) throws OpenSearchException {
    for (int i = 0; i < indices.size(); i += DELETE_BATCH) {
      List<String> batch = indices.subList(i, Math.min(indices.size(), i + DELETE_BATCH));
      try {
        call(
            "delete_index",
            () ->
                rest.delete(
                    String.join(",", batch.stream().map(SnapshotApi::encode).toList())
                        + "?ignore_unavailable=true"));
      } catch (OpenSearchException e) {
        if (!e.isNotFound()) {
          throw e;
        }
      }
    }
  }

  /** Snapshot request body: the policy's indices, no cluster state, with Vigil's metadata. */
  public static ObjectNode snapshotBody(List<String> indices, Map<String, String> metadata) {
    ObjectNode body = JSON.createObjectNode();
    body.put("indices", String.join(",", indices));
    body.put("ignore_unavailable", true);
    body.put("include_global_state", false);
    body.put("partial", false);
    ObjectNode meta = body.putObject("metadata");
    metadata.forEach(meta::put);
    return body;
  }

  <T> T call(String operation, OpenSearchCall<T> call) throws OpenSearchException {
    return metrics.timed("opensearch", operation, call);
  }

  static String encode(String pathSegment) {
    // Keep '*' and ',' literal: OpenSearch reads them in paths as wildcards and lists.
    return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8)
        .replace("%2A", "*")
        .replace("%2C", ",")
        .replace("+", "%20");
  }

  /** One request to an external system. */
  @FunctionalInterface
  public interface OpenSearchCall<T> {
    T run() throws OpenSearchException;
  }
}

package dev.vigil.ingester.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.core.LogType;
import dev.vigil.core.parse.DocumentSink;
import dev.vigil.core.parse.IndexNaming;
import dev.vigil.core.parse.LogParsers;
import dev.vigil.core.parse.ObjectParser;
import dev.vigil.core.parse.ObjectRef;
import dev.vigil.core.parse.ParsedDocument;
import dev.vigil.core.parse.Rejection;
import dev.vigil.parts.OpenSearchNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What should be in OpenSearch — {@link ObjectParser}'s output for the same objects, as {@code
 * vigil parse} prints it, with the latest-state copy of each finding — and what is: every document
 * of an index pattern, read with a scroll.
 */
public final class Documents {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Documents() {}

  /** "index/id" to source of every document the parser makes of an object. */
  public static Map<String, JsonNode> expected(
      String indexPrefix, String bucket, String key, InputStream content, LogType type) {
    ObjectParser parser =
        new ObjectParser(
            new IndexNaming(indexPrefix, IndexNaming.Granularity.DAILY), LogParsers.all());
    Map<String, JsonNode> out = new LinkedHashMap<>();
    Map<String, Long> latestVersions = new java.util.HashMap<>();
    try (content) {
      parser.parse(
          content,
          new ObjectRef(bucket, key),
          type,
          new DocumentSink() {
            @Override
            public void document(ParsedDocument d) {
              try {
                JsonNode source = JSON.readTree(d.source());
                JsonNode previous = out.put(d.index() + "/" + d.id(), source);
                if (previous != null) {
                  throw new AssertionError("the parser produced " + d.id() + " twice");
                }
                ParsedDocument.Latest latest = d.latest();
                // A finding's latest state: one document, its newest update (the later one of
                // equal versions, as external_gte keeps).
                if (latest != null) {
                  String where = latest.index() + "/" + latest.id();
                  Long had = latestVersions.get(where);
                  if (had == null || latest.version() >= had) {
                    out.put(where, source);
                    latestVersions.put(where, latest.version());
                  }
                }
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            }

            @Override
            public void rejected(Rejection rejection) {}
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  public static Map<String, JsonNode> expected(
      String indexPrefix, String bucket, String key, byte[] content) {
    return expected(indexPrefix, bucket, key, new ByteArrayInputStream(content), null);
  }

  /** "index/id" of every document the parser makes of an object (for objects too big to hold). */
  public static java.util.Set<String> expectedIds(
      String indexPrefix, String bucket, String key, InputStream content) {
    ObjectParser parser =
        new ObjectParser(
            new IndexNaming(indexPrefix, IndexNaming.Granularity.DAILY), LogParsers.all());
    java.util.Set<String> out = new java.util.HashSet<>();
    try (content) {
      parser.parse(
          content,
          new ObjectRef(bucket, key),
          null,
          new DocumentSink() {
            @Override
            public void document(ParsedDocument d) {
              if (!out.add(d.index() + "/" + d.id())) {
                throw new AssertionError("the parser produced " + d.id() + " twice");
              }
              if (d.latest() != null) {
                out.add(d.latest().index() + "/" + d.latest().id());
              }
            }

            @Override
            public void rejected(Rejection rejection) {}
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** Document count of {@code pattern} after a refresh. */
  public static long count(OpenSearchNode node, String pattern) {
    return search(node, pattern, "/" + pattern + "/_count", "{}").path("count").asLong(-1);
  }

  /** -1 when the node does not answer at all (it is stopped). */
  public static long countOrMinusOne(OpenSearchNode node) {
    try {
      return node.httpClient()
                  .send(
                      node.request("/_count").GET().build(), HttpResponse.BodyHandlers.discarding())
                  .statusCode()
              == 200
          ? 0
          : -1;
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** Every document of {@code pattern}: "index/id" to source (with ids only when !sources). */
  public static Map<String, JsonNode> all(OpenSearchNode node, String pattern, boolean sources) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    JsonNode page =
        search(
            node,
            pattern,
            "/" + pattern + "/_search?scroll=2m",
            "{\"size\":5000,\"_source\":" + sources + ",\"sort\":[\"_doc\"]}");
    while (true) {
      JsonNode hits = page.path("hits").path("hits");
      if (hits.isEmpty()) {
        break;
      }
      for (JsonNode hit : hits) {
        String where = hit.path("_index").asText() + "/" + hit.path("_id").asText();
        if (out.put(where, hit.path("_source")) != null) {
          throw new AssertionError("scroll returned " + where + " twice");
        }
      }
      page =
          call(
              node,
              node.request("/_search/scroll")
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"scroll\":\"2m\",\"scroll_id\":\""
                              + page.path("_scroll_id").asText()
                              + "\"}"))
                  .build());
    }
    return out;
  }

  /** The answer of {@code _search} with {@code body} on {@code pattern}, after a refresh. */
  public static JsonNode search(OpenSearchNode node, String pattern, String body) {
    return search(node, pattern, "/" + pattern + "/_search", body);
  }

  /**
   * A search of {@code pattern} after its shards are allocated and refreshed. The ingester may
   * create an index between the health check and the search, which then answers 503 with no failed
   * shard: wait for the new shards and search again.
   */
  private static JsonNode search(OpenSearchNode node, String pattern, String path, String body) {
    for (int attempt = 1; ; attempt++) {
      refresh(node, pattern);
      HttpRequest request =
          node.request(path)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(body))
              .build();
      try {
        return call(node, request);
      } catch (ShardsNotReady e) {
        if (attempt == 5) {
          throw e;
        }
      }
    }
  }

  /** A 503 "all shards failed" without any failed shard: the index's shards are starting. */
  private static final class ShardsNotReady extends AssertionError {
    ShardsNotReady(String message) {
      super(message);
    }
  }

  private static void refresh(OpenSearchNode node, String pattern) {
    // A new index (or a node just restarted) answers 503 until its shards are allocated.
    call(
        node,
        node.request(
                "/_cluster/health/"
                    + pattern
                    + "?wait_for_status=yellow&timeout=60s&wait_for_no_initializing_shards=true")
            .timeout(java.time.Duration.ofSeconds(90))
            .GET()
            .build());
    call(
        node,
        node.request("/" + pattern + "/_refresh?allow_no_indices=true&ignore_unavailable=true")
            .POST(HttpRequest.BodyPublishers.noBody())
            .build());
  }

  /** The JSON answer of a GET of {@code path}. */
  public static JsonNode get(OpenSearchNode node, String path) {
    return call(node, node.request(path).GET().build());
  }

  private static JsonNode call(OpenSearchNode node, HttpRequest request) {
    try {
      HttpResponse<String> response =
          node.httpClient().send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() == 404) {
        return JSON.createObjectNode().put("count", 0);
      }
      if (response.statusCode() == 408 && request.uri().getPath().startsWith("/_cluster/health")) {
        throw new AssertionError(
            "shards of " + request.uri() + " not allocated: " + response.body());
      }
      if (response.statusCode() == 503 && response.body().contains("\"failed_shards\":[]")) {
        throw new ShardsNotReady(request.uri() + " answered 503: " + response.body());
      }
      if (response.statusCode() / 100 != 2) {
        throw new AssertionError(
            request.uri() + " answered " + response.statusCode() + ": " + response.body());
      }
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}

package dev.vigil.ingester.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.ingester.opensearch.BulkTransport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory {@code _bulk} endpoint for unit tests: keeps documents by index and id, answers like
 * OpenSearch (with the ingester's filter_path), and fails requests or items as a test programs it.
 */
public final class FakeOpenSearch implements BulkTransport {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Decides a whole request: null to process it, or an HTTP status; may throw to be unreachable.
   */
  public interface RequestPolicy {
    Integer status(int request, int items) throws IOException;
  }

  /** Decides one item: its HTTP status (2xx stores it), given how often this id was tried. */
  public interface ItemPolicy {
    int status(String index, String id, JsonNode source, int attempt);
  }

  private final Map<String, String> documents = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
  private final AtomicInteger requests = new AtomicInteger();
  private final List<Integer> requestSizes =
      java.util.Collections.synchronizedList(new ArrayList<>());
  private volatile RequestPolicy requestPolicy = (r, n) -> null;
  private volatile ItemPolicy itemPolicy = (index, id, source, attempt) -> 201;

  public FakeOpenSearch requests(RequestPolicy policy) {
    this.requestPolicy = policy;
    return this;
  }

  public FakeOpenSearch items(ItemPolicy policy) {
    this.itemPolicy = policy;
    return this;
  }

  /** Stored documents: "index/id" to source JSON. */
  public Map<String, String> documents() {
    return documents;
  }

  public int requestCount() {
    return requests.get();
  }

  public List<Integer> requestSizes() {
    return List.copyOf(requestSizes);
  }

  public int attempts(String id) {
    return attempts.entrySet().stream()
        .filter(e -> e.getKey().endsWith("/" + id))
        .mapToInt(e -> e.getValue().get())
        .sum();
  }

  @Override
  public Reply bulk(byte[] ndjson) throws IOException {
    String[] lines = new String(ndjson, StandardCharsets.UTF_8).split("\n");
    int request = requests.incrementAndGet();
    requestSizes.add(lines.length / 2);
    Integer status = requestPolicy.status(request, lines.length / 2);
    if (status != null) {
      return new Reply(status, ("{\"error\":\"programmed " + status + "\"}").getBytes());
    }
    ObjectNode response = JSON.createObjectNode();
    response.put("errors", false);
    ArrayNode items = response.putArray("items");
    for (int i = 0; i + 1 < lines.length; i += 2) {
      JsonNode action = JSON.readTree(lines[i]).path("index");
      String index = action.path("_index").asText();
      String id = action.path("_id").asText();
      JsonNode source = JSON.readTree(lines[i + 1]);
      int attempt =
          attempts.computeIfAbsent(index + "/" + id, k -> new AtomicInteger()).incrementAndGet();
      int itemStatus = itemPolicy.status(index, id, source, attempt);
      ObjectNode item = items.addObject().putObject("index");
      item.put("status", itemStatus);
      if (itemStatus >= 200 && itemStatus < 300) {
        documents.put(index + "/" + id, lines[i + 1]);
      } else {
        response.put("errors", true);
        ObjectNode error = item.putObject("error");
        if (itemStatus == 429) {
          error.put("type", "es_rejected_execution_exception").put("reason", "rejected");
        } else {
          error
              .put("type", "mapper_parsing_exception")
              .put("reason", "failed to parse field [x]")
              .putObject("caused_by")
              .put("type", "illegal_argument_exception")
              .put("reason", "bad value");
        }
      }
    }
    return new Reply(200, JSON.writeValueAsBytes(response));
  }
}

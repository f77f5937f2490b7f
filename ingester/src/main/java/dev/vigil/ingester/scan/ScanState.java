package dev.vigil.ingester.scan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a scan knows, kept in its checkpoint: every object written before {@code watermark −
 * overlap} inside the listed window is done; the objects done since then ({@code recent}, with
 * their last-modified times) are not ingested again; {@code failed} ones are tried again on every
 * pass that lists them. The operator reads {@code watermark} for the LogSource's {@code
 * status.lagSeconds}: keep the field's name and ISO-8601 form.
 */
final class ScanState {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Start of the last completed pass. */
  Instant watermark;

  final Map<String, Instant> recent = new TreeMap<>();
  final Set<String> failed = new TreeSet<>();

  ScanState(Instant watermark) {
    this.watermark = watermark;
  }

  /** Whether a listed object still needs ingesting. */
  synchronized boolean isNew(String key, Instant lastModified, java.time.Duration overlap) {
    if (failed.contains(key)) {
      return true;
    }
    return !lastModified.isBefore(watermark.minus(overlap)) && !recent.containsKey(key);
  }

  synchronized void done(String key, Instant lastModified) {
    recent.put(key, lastModified);
    failed.remove(key);
  }

  synchronized void markFailed(String key) {
    failed.add(key);
  }

  synchronized boolean hasFailed(String key) {
    return failed.contains(key);
  }

  /**
   * A pass that started at {@code started} listed everything: move on, forget what is older, and
   * failed objects it no longer lists (gone, or out of the look-back: no pass will see them again).
   */
  synchronized void passCompleted(
      Instant started, java.time.Duration overlap, Set<String> failedListed) {
    watermark = started;
    Instant keepFrom = started.minus(overlap);
    recent.values().removeIf(t -> t.isBefore(keepFrom));
    failed.retainAll(failedListed);
  }

  synchronized ObjectNode toJson() {
    ObjectNode node = JSON.createObjectNode();
    node.put("watermark", watermark.toString());
    ObjectNode r = node.putObject("recent");
    recent.forEach((k, t) -> r.put(k, t.toString()));
    var f = node.putArray("failed");
    failed.forEach(f::add);
    return node;
  }

  static Optional<ScanState> fromJson(JsonNode node) {
    if (!node.hasNonNull("watermark")) {
      return Optional.empty();
    }
    ScanState state = new ScanState(Instant.parse(node.get("watermark").asText()));
    node.path("recent")
        .fields()
        .forEachRemaining(e -> state.recent.put(e.getKey(), Instant.parse(e.getValue().asText())));
    node.path("failed").forEach(k -> state.failed.add(k.asText()));
    return Optional.of(state);
  }
}

package dev.vigil.core.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The rule's condition holds for one key in this run.
 *
 * @param key field → value that identifies the alert (empty: the rule as a whole)
 * @param count matches counted for the key
 * @param firstEvent time of the earliest matching event seen (decides the suppression bucket)
 * @param documentIds ids of matching documents (a sample, newest first)
 * @param sample the source of one matching document, for the message template
 */
public record Trigger(
    Map<String, String> key,
    long count,
    Instant firstEvent,
    List<String> documentIds,
    JsonNode sample) {
  public Trigger {
    key = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(key));
    documentIds = List.copyOf(documentIds);
  }
}

package dev.vigil.core.parse;

import dev.vigil.core.LogType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * One normalized document ready for {@code _bulk}: target index, deterministic id and the JSON
 * source as UTF-8 bytes (never a tree: the hot path copies tokens straight from the input).
 */
public record ParsedDocument(
    LogType type, String index, String id, Instant timestamp, byte[] source) {
  public String sourceAsString() {
    return new String(source, StandardCharsets.UTF_8);
  }
}

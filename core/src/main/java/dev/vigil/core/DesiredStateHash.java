package dev.vigil.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A hash of the desired external object, kept in status: when it equals the hash of what was last
 * applied, the external system is not written to. Canonical JSON (sorted keys) so field order never
 * changes the hash.
 */
public final class DesiredStateHash {
  private static final ObjectMapper CANONICAL =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private DesiredStateHash() {}

  public static String of(Object desired) {
    try {
      JsonNode tree = CANONICAL.valueToTree(desired);
      Object sorted = CANONICAL.treeToValue(tree, Object.class); // maps, so keys sort on output
      byte[] json = CANONICAL.writeValueAsBytes(sorted);
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(json);
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot hash desired state", e);
    }
  }

  /** Same as {@link #of} for JSON text (e.g. an NDJSON saved-object export). */
  public static String ofJson(String json) {
    try {
      return of(CANONICAL.readTree(json.getBytes(StandardCharsets.UTF_8)));
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
    }
  }
}

package dev.vigil.core.parse;

import dev.vigil.core.LogType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Deterministic document ids, so a redelivered object overwrites instead of duplicating: a record's
 * own unique id where the log type has one, otherwise a hash of where the record sits (bucket, key,
 * record number).
 */
public final class DocumentIds {
  private final MessageDigest sha256;
  private String scope = "";

  public DocumentIds() {
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /** From an id the log itself assigns (CloudTrail eventID, finding id + update time). */
  public String natural(LogType type, String... parts) {
    if (parts.length == 1) {
      return parts[0];
    }
    return hash(type.id(), String.join("\u0000", parts));
  }

  /** From the record's position: stable for the same object, distinct for distinct records. */
  public String positional(LogType type, ObjectRef origin, long record) {
    return hash(
        type.id(),
        (origin.bucket() == null ? "" : origin.bucket())
            + "\u0000"
            + origin.key()
            + "\u0000"
            + (scope.isEmpty() ? "" : scope + "\u0000")
            + record);
  }

  /**
   * Where in the object the records being numbered sit, when that is inside an outer record (a
   * CloudWatch Logs event whose message holds a WAF record is numbered from 1 again): positional
   * ids then stay distinct between outer records. Empty for the object itself.
   */
  public void scope(String scope) {
    this.scope = scope == null ? "" : scope;
  }

  private String hash(String type, String value) {
    sha256.reset();
    sha256.update(type.getBytes(StandardCharsets.UTF_8));
    sha256.update((byte) 0);
    byte[] digest = sha256.digest(value.getBytes(StandardCharsets.UTF_8));
    // 128 bits are plenty against collisions and keep ids short.
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(java.util.Arrays.copyOf(digest, 16));
  }
}

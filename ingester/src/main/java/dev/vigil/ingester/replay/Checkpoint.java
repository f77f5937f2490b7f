package dev.vigil.ingester.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.ingester.source.ObjectStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Optional;

/**
 * Where a replay or a scan keeps its progress, in a small S3 object ({@code s3://bucket/key}) or a
 * local file, with the job's parameters ({@code scope}) so a checkpoint of another job is not taken
 * for this one. A replay keeps the last key such that it and every key before it (in listing order)
 * are done; a scan keeps its own state ({@link #loadState}, {@link #saveState}).
 */
public final class Checkpoint {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ObjectStore store;
  private final String location;
  private final String scope;

  /**
   * @param scope the replay's parameters (bucket, prefix, dates, index prefix) as one string
   */
  public Checkpoint(ObjectStore store, String location, String scope) {
    this.store = store;
    this.location = location;
    this.scope = scope;
  }

  public String location() {
    return location;
  }

  /** The checkpoint exists but was written for another scope (other bucket, prefix, range...). */
  public static final class OtherScopeException extends IOException {
    OtherScopeException(String message) {
      super(message);
    }
  }

  /**
   * Where a stopped replay goes on: after {@code lastCompletedKey}, with {@code objectsThrough}
   * objects (that key and every selected one before it) already done.
   */
  public record Resume(String lastCompletedKey, long objectsThrough) {}

  /** Where this replay stopped, empty when starting afresh. */
  public Optional<Resume> load() throws IOException {
    return loadState()
        .filter(node -> node.hasNonNull("lastCompletedKey"))
        .map(
            node ->
                new Resume(
                    node.path("lastCompletedKey").asText(),
                    // Checkpoints written before objectsThroughKey counted objectsDone alone.
                    node.path("objectsThroughKey").asLong(node.path("objectsDone").asLong())));
  }

  /**
   * @param done objects finished in total, also those after {@code lastCompletedKey} (progress)
   * @param doneThroughKey objects finished up to and including {@code lastCompletedKey}: what a
   *     resumed run counts from, since it does the later ones again
   */
  public void save(String lastCompletedKey, long done, long doneThroughKey, boolean finished)
      throws IOException {
    ObjectNode node = JSON.createObjectNode();
    node.put("lastCompletedKey", lastCompletedKey);
    node.put("objectsDone", done);
    node.put("objectsThroughKey", doneThroughKey);
    node.put("finished", finished);
    saveState(node);
  }

  /**
   * The saved state of this job, empty when there is none.
   *
   * @throws OtherScopeException when the checkpoint belongs to another job
   */
  public Optional<JsonNode> loadState() throws IOException {
    Optional<byte[]> content = read();
    if (content.isEmpty()) {
      return Optional.empty();
    }
    JsonNode node = JSON.readTree(content.get());
    if (!scope.equals(node.path("scope").asText())) {
      throw new OtherScopeException(
          "checkpoint "
              + location
              + " belongs to another job ("
              + node.path("scope").asText()
              + "); remove it or choose another checkpoint location");
    }
    return Optional.of(node);
  }

  /** Saves {@code state} (with the scope and the time added) in place of the previous one. */
  public void saveState(ObjectNode state) throws IOException {
    ObjectNode node = JSON.createObjectNode();
    node.put("scope", scope);
    node.setAll(state);
    node.put("updated", Instant.now().toString());
    byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(node);
    if (location.startsWith("s3://")) {
      String[] parts = bucketAndKey();
      store.put(parts[0], parts[1], bytes, "application/json");
    } else {
      Path file = Path.of(location);
      if (file.toAbsolutePath().getParent() != null) {
        Files.createDirectories(file.toAbsolutePath().getParent());
      }
      Path temp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.write(temp, bytes);
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
  }

  private Optional<byte[]> read() throws IOException {
    if (location.startsWith("s3://")) {
      String[] parts = bucketAndKey();
      return store.read(parts[0], parts[1]);
    }
    Path file = Path.of(location);
    return Files.exists(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
  }

  private String[] bucketAndKey() {
    String rest = location.substring("s3://".length());
    int slash = rest.indexOf('/');
    return new String[] {rest.substring(0, slash), rest.substring(slash + 1)};
  }

  static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}

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
 * Where a replay keeps its progress: the last key such that it and every key before it (in listing
 * order) are done, with the replay's parameters so a checkpoint of another replay is not taken for
 * this one. In a small S3 object ({@code s3://bucket/key}) or a local file.
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

  /** The last completed key of this replay, empty when starting afresh. */
  public Optional<String> load() throws IOException {
    Optional<byte[]> content = read();
    if (content.isEmpty()) {
      return Optional.empty();
    }
    JsonNode node = JSON.readTree(content.get());
    if (!scope.equals(node.path("scope").asText())) {
      throw new IOException(
          "checkpoint "
              + location
              + " belongs to another replay ("
              + node.path("scope").asText()
              + "); remove it or choose another replay.checkpoint");
    }
    return Optional.ofNullable(node.path("lastCompletedKey").asText(null));
  }

  public void save(String lastCompletedKey, long done, boolean finished) throws IOException {
    ObjectNode node = JSON.createObjectNode();
    node.put("scope", scope);
    node.put("lastCompletedKey", lastCompletedKey);
    node.put("objectsDone", done);
    node.put("finished", finished);
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

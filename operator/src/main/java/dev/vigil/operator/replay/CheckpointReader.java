package dev.vigil.operator.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.api.v1alpha1.LogReplayStatus;
import java.io.IOException;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Reads the checkpoint a replay writes (the ingester's {@code replay.Checkpoint}: {@code
 * lastCompletedKey}, {@code objectsDone}, {@code finished}, {@code updated}) into a LogReplay's
 * progress. Empty while the replay has written none.
 */
final class CheckpointReader {
  private static final ObjectMapper JSON = new ObjectMapper();

  private CheckpointReader() {}

  static Optional<LogReplayStatus.Progress> read(S3Client s3, String bucket, String key)
      throws IOException {
    ResponseBytes<GetObjectResponse> bytes;
    try {
      bytes = s3.getObjectAsBytes(r -> r.bucket(bucket).key(key));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    }
    return Optional.of(progress(JSON.readTree(bytes.asByteArray()), "s3://" + bucket + "/" + key));
  }

  static LogReplayStatus.Progress progress(JsonNode node, String location) {
    LogReplayStatus.Progress progress = new LogReplayStatus.Progress();
    progress.checkpoint = location;
    progress.lastCompletedKey = node.path("lastCompletedKey").asText(null);
    progress.objectsDone = node.has("objectsDone") ? node.path("objectsDone").asLong() : null;
    progress.finished = node.has("finished") ? node.path("finished").asBoolean() : null;
    progress.updated = node.path("updated").asText(null);
    return progress;
  }
}

package dev.vigil.cli.demo;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Puts the demo logs of each LogSource's type into its bucket once the operator reports its
 * notifications in place (so S3 announces them to the LogSource's queue), and remembers how many
 * documents each type should yield.
 */
final class Uploads {
  private final S3Client s3;
  private final Path logs;
  private final Console console;
  private final Map<String, Long> expected = new TreeMap<>();

  Uploads(S3Client s3, Path logs, Console console) {
    this.s3 = s3;
    this.logs = logs;
    this.console = console;
  }

  /** Uploads for every LogSource not done yet whose NotificationsReady is True. */
  void poll(List<GenericKubernetesResource> logSources) {
    for (GenericKubernetesResource source : logSources) {
      String name = source.getMetadata().getName();
      if (expected.containsKey(name)
          || !ResourceStatusFeed.condition(source, "NotificationsReady")
              .map(c -> "True".equals(c.get("status")))
              .orElse(false)) {
        continue;
      }
      Map<?, ?> spec = (Map<?, ?>) source.getAdditionalProperties().get("spec");
      Map<?, ?> location = (Map<?, ?>) spec.get("s3");
      String type = (String) spec.get("logType");
      String bucket = (String) location.get("bucket");
      String prefix = (String) location.get("prefix");
      long documents = 0;
      for (DemoLogs.DemoObject object : DemoLogs.of(logs, type, bucket, prefix, Instant.now())) {
        s3.putObject(
            r -> r.bucket(bucket).key(object.key()), RequestBody.fromBytes(object.gzipped()));
        documents += object.documents();
        console.event(
            "uploaded  s3://%s/%s (%d records)", bucket, object.key(), object.documents());
      }
      expected.put(name, documents);
      expectedByType.merge(type, documents, Long::sum);
    }
  }

  private final Map<String, Long> expectedByType = new TreeMap<>();

  /** Documents expected per log type from what was uploaded. */
  Map<String, Long> expectedByType() {
    return Map.copyOf(expectedByType);
  }

  /** LogSources whose logs were uploaded. */
  int uploadedSources() {
    return expected.size();
  }
}

package dev.vigil.cli.demo;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The demo's sample set ({@code samples/demo/**.yaml}) with the values only known at run time put
 * in (the manifests hold valid stand-ins, so they validate as they are), applied server-side in
 * dependency order: namespaces and secrets, the connection, channels, then everything that uses
 * them.
 */
final class DemoManifests {
  private static final List<String> ORDER =
      List.of(
          "Namespace",
          "Secret",
          "OpenSearchConnection",
          "NotificationChannel",
          "DetectionRule",
          "Dashboard",
          "SnapshotPolicy",
          "LogSource");

  private DemoManifests() {}

  /** Stand-ins in the manifests for what only the running demo knows. */
  static final String OPENSEARCH = "http://vigil-demo-opensearch:9200";

  static final String WEBHOOK = "http://vigil-demo-webhook/alerts";
  static final String SNAPSHOTS = "/vigil-demo/snapshots";

  static List<HasMetadata> load(KubernetesClient client, Path dir, Map<String, String> values) {
    List<HasMetadata> items = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        for (Map.Entry<String, String> v : values.entrySet()) {
          text = text.replace(v.getKey(), v.getValue());
        }
        items.addAll(
            client.load(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8))).items());
      }
    } catch (IOException e) {
      throw new DemoException(
          "cannot read the demo manifests in " + dir + ": " + e.getMessage(), e);
    }
    items.sort(Comparator.comparingInt(DemoManifests::rank));
    return items;
  }

  static void apply(KubernetesClient client, List<HasMetadata> items) {
    for (HasMetadata item : items) {
      client.resource(item).forceConflicts().serverSideApply();
    }
  }

  private static int rank(HasMetadata item) {
    int i = ORDER.indexOf(item.getKind());
    return i < 0 ? ORDER.size() : i;
  }
}

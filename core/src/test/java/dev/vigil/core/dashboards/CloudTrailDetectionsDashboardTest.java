package dev.vigil.core.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code samples/dashboards/cloudtrail-detections.yaml} has one panel per shipped detection ({@code
 * samples/detections}), each showing the matches of a saved search with that rule's query. The file
 * is generated from the rules and committed; this test fails when it is stale. Regenerate with
 * {@code ./mvnw -pl core test -Dtest=CloudTrailDetectionsDashboardTest -Dvigil.regenerate=true}.
 */
class CloudTrailDetectionsDashboardTest {
  private static final YAMLMapper YAML = new YAMLMapper();
  static final String FILE = "samples/dashboards/cloudtrail-detections.yaml";

  @Test
  void theCommittedDashboardHasOnePanelPerShippedDetection() throws IOException {
    String generated = generate();
    Path file = dev.vigil.testing.RepositoryRoot.find().resolve(FILE);
    if (Boolean.getBoolean("vigil.regenerate")) {
      Files.writeString(file, generated, StandardCharsets.UTF_8);
    }
    assertThat(Files.readString(file))
        .as("%s is stale: regenerate it (see this test's Javadoc)", FILE)
        .isEqualTo(generated);
    JsonNode spec = YAML.readTree(generated).path("spec");
    assertThat(spec.path("panels").size()).isEqualTo(rules().size()).isGreaterThan(40);
  }

  static List<JsonNode> rules() throws IOException {
    try (Stream<Path> files =
        Files.list(dev.vigil.testing.RepositoryRoot.find().resolve("samples/detections"))) {
      return files
          .filter(f -> f.toString().endsWith(".yaml"))
          .sorted()
          .map(CloudTrailDetectionsDashboardTest::read)
          .filter(r -> "DetectionRule".equals(r.path("kind").asText()))
          .filter(r -> "cloudtrail".equals(r.path("spec").path("logType").asText()))
          .toList();
    }
  }

  private static JsonNode read(Path file) {
    try {
      return YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static String generate() throws IOException {
    List<JsonNode> rules = rules();
    StringBuilder y = new StringBuilder();
    y.append(
        """
        # GENERATED from samples/detections by CloudTrailDetectionsDashboardTest — do not edit by hand.
        # The CloudTrail dashboard: one panel per shipped detection, each counting the events that match the rule's
        # query through a saved search of the same name (open it in Discover to see the events behind the panel).
        apiVersion: siem.vigil.dev/v1alpha1
        kind: Dashboard
        metadata:
          name: cloudtrail-detections
          namespace: vigil
        spec:
          title: Vigil — CloudTrail detections
          description: Events matching each shipped CloudTrail detection; each panel opens its saved search.
          timeFrom: now-7d
          indexPatterns:
            - name: cloudtrail
              pattern: vigil-cloudtrail-*
          searches:
        """);
    for (JsonNode rule : rules) {
      String name = rule.path("metadata").path("name").asText();
      y.append("    - name: ").append(name).append('\n');
      y.append("      title: ").append(quote("Detection — " + name)).append('\n');
      y.append("      indexPattern: cloudtrail\n");
      y.append("      query: ")
          .append(quote(rule.path("spec").path("query").asText().strip()))
          .append('\n');
      y.append(
          "      columns: [user.name, eventName, eventSource, source.ip, recipientAccountId, errorCode]\n");
    }
    y.append("  panels:\n");
    for (JsonNode rule : rules) {
      String name = rule.path("metadata").path("name").asText();
      y.append("    - {title: ")
          .append(quote(name))
          .append(", type: Metric, search: ")
          .append(name)
          .append(", width: 12, height: 6}\n");
    }
    return y.toString();
  }

  /** A YAML double-quoted scalar (JSON string syntax is valid YAML). */
  private static String quote(String text) {
    return com.fasterxml.jackson.databind.node.TextNode.valueOf(text).toString();
  }
}

package dev.vigil.operator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.vigil.testing.RepositoryRoot;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The image references outside Maven agree with the pom's (the one source, {@code vigil.*.image}):
 * the operator's default ingester image, the kustomize base (the release: the version without
 * -SNAPSHOT) and the kind overlay (what {@code make images} builds).
 */
class ImageReferencesTest {
  private static final String REGISTRY = "ghcr.io/vigil-siem/";
  private static final String VERSION = System.getProperty("vigil.version");

  @Test
  void operatorDefaultsToTheIngesterImageOfItsOwnBuild() throws Exception {
    Properties properties = new Properties();
    try (InputStream in =
        getClass().getClassLoader().getResourceAsStream("application.properties")) {
      properties.load(in);
    }
    assertThat(properties.getProperty("vigil.operator.ingesters.image"))
        .isEqualTo(REGISTRY + "vigil-ingester:" + VERSION);
  }

  @Test
  void kustomizeBaseNamesTheReleaseAndKindOverlayTheLocalBuild() throws Exception {
    String release = VERSION.replace("-SNAPSHOT", "");
    assertThat(images("deploy/kustomize/base"))
        .containsEntry("vigil-operator", REGISTRY + "vigil-operator:" + release)
        .containsEntry("vigil-ingester", REGISTRY + "vigil-ingester:" + release);
    assertThat(images("deploy/kustomize/overlays/kind"))
        .containsEntry(REGISTRY + "vigil-operator", ":" + VERSION)
        .containsEntry(REGISTRY + "vigil-ingester", ":" + VERSION);
  }

  /** A kustomization's {@code images:}: name to newName:newTag (newName omitted when unchanged). */
  private static Map<String, String> images(String dir) throws Exception {
    Path file = RepositoryRoot.find().resolve(dir).resolve("kustomization.yaml");
    JsonNode kustomization = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
    Map<String, String> images = new HashMap<>();
    for (JsonNode image : kustomization.path("images")) {
      images.put(
          image.path("name").asText(),
          image.path("newName").asText("") + ":" + image.path("newTag").asText());
    }
    return images;
  }
}

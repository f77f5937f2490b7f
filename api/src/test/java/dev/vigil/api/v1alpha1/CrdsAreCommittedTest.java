package dev.vigil.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CRD YAML in {@code crds/} is generated from the Java classes; the build fails when they drift
 * apart. Run {@code make crds} (this test with {@code -Dvigil.updateCrds=true}) to rewrite them.
 *
 * <p>The fabric8 generator writes no description for the kind itself, its spec and its status; they
 * are added here from {@code @JsonClassDescription} so {@code kubectl explain} documents every
 * level.
 */
class CrdsAreCommittedTest {
  static final List<Class<? extends CustomResource<?, ?>>> KINDS =
      List.of(
          OpenSearchConnection.class,
          LogSource.class,
          DetectionRule.class,
          NotificationChannel.class,
          Dashboard.class,
          SnapshotPolicy.class);

  static List<Class<? extends CustomResource<?, ?>>> kinds() {
    return KINDS;
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void committedCrdMatchesTheJavaClasses(Class<? extends CustomResource<?, ?>> kind)
      throws IOException {
    String name = HasMetadata.getPlural(kind) + "." + HasMetadata.getGroup(kind);
    Path generated = Path.of("target/classes/META-INF/fabric8", name + "-v1.yml");
    CustomResourceDefinition crd =
        Serialization.unmarshal(Files.readString(generated), CustomResourceDefinition.class);
    describe(crd, kind);
    String expected =
        "# Generated from api/src/main/java/dev/vigil/api/v1alpha1/"
            + kind.getSimpleName()
            + ".java by `make crds`; do not edit.\n"
            + Serialization.asYaml(crd);

    Path committed = repositoryRoot().resolve("crds").resolve(name + ".yaml");
    if (Boolean.getBoolean("vigil.updateCrds")) {
      Files.writeString(committed, expected, StandardCharsets.UTF_8);
    }
    assertThat(committed).as("%s is missing: run make crds", committed).exists();
    assertThat(Files.readString(committed))
        .as("%s differs from the Java classes: run make crds and commit the result", committed)
        .isEqualTo(expected);
  }

  private static void describe(CustomResourceDefinition crd, Class<?> kind) {
    ParameterizedType types = (ParameterizedType) kind.getGenericSuperclass();
    JSONSchemaProps root = crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
    root.setDescription(description(kind));
    root.getProperties()
        .get("spec")
        .setDescription(description((Class<?>) types.getActualTypeArguments()[0]));
    root.getProperties()
        .get("status")
        .setDescription(description((Class<?>) types.getActualTypeArguments()[1]));
  }

  private static String description(Class<?> type) {
    JsonClassDescription description = type.getAnnotation(JsonClassDescription.class);
    assertThat(description)
        .as("%s needs a @JsonClassDescription", type.getSimpleName())
        .isNotNull();
    return description.value();
  }

  static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve(".mvn"))) {
      dir = dir.getParent();
    }
    assertThat(dir).as("repository root above %s", Path.of("").toAbsolutePath()).isNotNull();
    return dir;
  }
}

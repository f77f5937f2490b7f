package dev.vigil.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CRD YAML in {@code crds/} is generated from the Java classes; the build fails when they drift
 * apart. Run {@code make crds} (this test with {@code -Dvigil.updateCrds=true}) to rewrite them.
 *
 * <p>The fabric8 generator writes no description for the kind itself, its spec and its status; they
 * are added here from {@code @JsonClassDescription} so {@code kubectl explain} documents every
 * level. Nor can it express the schema of {@code metav1.Condition} that {@link Condition} follows
 * (a list keyed by type, the status enum, the time format): {@link #asStandardConditions} adds it.
 */
class CrdsAreCommittedTest {
  static final List<Class<? extends CustomResource<?, ?>>> KINDS =
      List.of(
          OpenSearchConnection.class,
          LogSource.class,
          DetectionRule.class,
          NotificationChannel.class,
          Dashboard.class,
          SnapshotPolicy.class,
          LogReplay.class);

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
    CustomResourceDefinitionVersion version = crd.getSpec().getVersions().get(0);
    // kubectl's convention: AGE is the last column (the generator orders columns its own way).
    version
        .getAdditionalPrinterColumns()
        .sort(Comparator.comparing(c -> c.getJsonPath().equals(Groups.AGE_PATH)));
    JSONSchemaProps root = version.getSchema().getOpenAPIV3Schema();
    root.setDescription(description(kind));
    root.getProperties()
        .get("spec")
        .setDescription(description((Class<?>) types.getActualTypeArguments()[0]));
    JSONSchemaProps status = root.getProperties().get("status");
    status.setDescription(description((Class<?>) types.getActualTypeArguments()[1]));
    asStandardConditions(status.getProperties().get("conditions"));
    visibleToCel(root);
  }

  /**
   * A free-form object ({@code Map<String, JsonNode>} with {@code @PreserveUnknownFields}) is
   * generated with an untyped {@code additionalProperties} schema, which makes CEL drop the field
   * ("undefined field", so a rule cannot even ask {@code has(self.dsl)}); without it the object
   * keeps every field and CEL sees whether it is set.
   */
  private static void visibleToCel(JSONSchemaProps schema) {
    if (schema == null) {
      return;
    }
    JSONSchemaProps values =
        schema.getAdditionalProperties() == null
            ? null
            : schema.getAdditionalProperties().getSchema();
    if (Boolean.TRUE.equals(schema.getXKubernetesPreserveUnknownFields())
        && values != null
        && values.getType() == null
        && Boolean.TRUE.equals(values.getXKubernetesPreserveUnknownFields())) {
      schema.setAdditionalProperties(null);
    }
    if (schema.getProperties() != null) {
      schema.getProperties().values().forEach(CrdsAreCommittedTest::visibleToCel);
    }
    if (schema.getItems() != null) {
      visibleToCel(schema.getItems().getSchema());
    }
  }

  /** The list-map and value constraints of Kubernetes' metav1.Condition schema. */
  private static void asStandardConditions(JSONSchemaProps conditions) {
    conditions.setXKubernetesListType("map");
    conditions.setXKubernetesListMapKeys(List.of("type"));
    Map<String, JSONSchemaProps> fields = conditions.getItems().getSchema().getProperties();
    fields
        .get("status")
        .setEnum(
            Stream.of("True", "False", "Unknown")
                .map(v -> (JsonNode) TextNode.valueOf(v))
                .toList());
    fields.get("lastTransitionTime").setFormat("date-time");
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

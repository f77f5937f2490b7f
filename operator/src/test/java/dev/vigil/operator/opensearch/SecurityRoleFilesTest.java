package dev.vigil.operator.opensearch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.api.v1alpha1.SnapshotPolicy;
import dev.vigil.core.alerts.AlertIndexMapping;
import dev.vigil.core.parse.IndexNaming;
import dev.vigil.testing.VigilSecurityRoles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The shipped roles ({@code deploy/opensearch-security}) name the indices the code names: a renamed
 * prefix or alert index fails here, before the roles ITs refuse the components on a real node.
 */
class SecurityRoleFilesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DATA = IndexNaming.DEFAULT_PREFIX + "-*";
  private static final String RESTORED = SnapshotPolicy.RESTORED_PREFIX + DATA;

  @Test
  void everyRoleHasAMappingAndEveryMappingARole() throws IOException {
    assertThat(names("roles"))
        .containsExactlyInAnyOrder("vigil_analyst", "vigil_ingester", "vigil_operator")
        .containsExactlyInAnyOrderElementsOf(names("rolesmapping"));
  }

  @Test
  void theIngesterWritesVigilIndicesAndReadsOnlyTheAlertIndex() throws IOException {
    JsonNode role = role("vigil_ingester");
    assertThat(patternsAllowing(role, "indices:data/write/index")).containsExactly(DATA);
    assertThat(patternsAllowing(role, "indices:data/read/search"))
        .containsExactly(AlertIndexMapping.INDEX);
  }

  @Test
  void theOperatorWritesAlertsAndRestoresButNoLogData() throws IOException {
    JsonNode role = role("vigil_operator");
    assertThat(patternsAllowing(role, "indices:data/read/search")).containsExactly(DATA);
    assertThat(patternsAllowing(role, "indices:data/write/index"))
        .containsExactlyInAnyOrder(AlertIndexMapping.INDEX, RESTORED);
    assertThat(patternsAllowing(role, "indices:admin/delete")).containsExactly(DATA);
  }

  @Test
  void theAnalystReadsVigilAndRestoredIndices() throws IOException {
    JsonNode role = role("vigil_analyst");
    assertThat(patternsAllowing(role, "read")).containsExactlyInAnyOrder(DATA, RESTORED);
    assertThat(role.toString()).doesNotContain("write", "delete", "create");
  }

  private static List<String> patternsAllowing(JsonNode role, String action) {
    List<String> patterns = new ArrayList<>();
    for (JsonNode permission : role.path("index_permissions")) {
      boolean allows = false;
      for (JsonNode allowed : permission.path("allowed_actions")) {
        allows |= allowed.asText().equals(action);
      }
      if (allows) {
        permission.path("index_patterns").forEach(p -> patterns.add(p.asText()));
      }
    }
    return patterns;
  }

  private static JsonNode role(String name) throws IOException {
    return JSON.readTree(
        Files.readString(VigilSecurityRoles.directory().resolve("roles/" + name + ".json")));
  }

  private static List<String> names(String kind) throws IOException {
    try (Stream<Path> files = Files.list(VigilSecurityRoles.directory().resolve(kind))) {
      return files.map(f -> f.getFileName().toString().replaceFirst("\\.json$", "")).toList();
    }
  }
}

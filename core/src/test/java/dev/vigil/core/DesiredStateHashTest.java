package dev.vigil.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DesiredStateHashTest {
  @Test
  void keyOrderDoesNotChangeTheHashButAnyValueDoes() {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("name", "cloudtrail-tampering");
    a.put("inputs", List.of(Map.of("x", 1, "y", 2)));
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("inputs", List.of(Map.of("y", 2, "x", 1)));
    b.put("name", "cloudtrail-tampering");

    assertThat(DesiredStateHash.of(a)).isEqualTo(DesiredStateHash.of(b)).hasSize(32);
    b.put("name", "other");
    assertThat(DesiredStateHash.of(a)).isNotEqualTo(DesiredStateHash.of(b));
    assertThat(DesiredStateHash.ofJson("{\"b\":1,\"a\":[1,2]}"))
        .isEqualTo(DesiredStateHash.ofJson("{\"a\":[1,2],\"b\":1}"));
    assertThat(DesiredStateHash.ofJson("{\"a\":[1,2]}"))
        .isNotEqualTo(DesiredStateHash.ofJson("{\"a\":[2,1]}"));
  }
}

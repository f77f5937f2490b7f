package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.api.v1alpha1.LogTypeName;
import dev.vigil.core.LogType;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The CRDs' log type enum (api) names exactly the log types the log core parses, plus auto. */
class LogTypeListsAgreeTest {
  @Test
  void everyParsedLogTypeIsAManifestValueAndNoOther() {
    assertThat(
            Arrays.stream(LogTypeName.values())
                .filter(n -> n != LogTypeName.auto)
                .map(LogTypeName::name))
        .containsExactlyInAnyOrderElementsOf(
            Arrays.stream(LogType.values()).map(LogType::id).toList());
  }
}

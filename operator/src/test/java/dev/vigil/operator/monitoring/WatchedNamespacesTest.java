package dev.vigil.operator.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WatchedNamespacesTest {
  @Test
  void theSdksMarkersMeanEveryNamespaceOrTheCurrentOne() {
    assertThat(WatchedNamespaces.of(Optional.empty(), "ops")).isEmpty();
    // Quarkus' run-time default: the build-time setting, which Vigil leaves at "all".
    assertThat(WatchedNamespaces.of(Optional.of(List.of("QOSDK_USE_BUILDTIME_NAMESPACES")), "ops"))
        .isEmpty();
    assertThat(WatchedNamespaces.of(Optional.of(List.of("JOSDK_ALL_NAMESPACES")), "ops")).isEmpty();
    assertThat(WatchedNamespaces.of(Optional.of(List.of("JOSDK_WATCH_CURRENT")), "ops"))
        .containsExactly("ops");
    assertThat(WatchedNamespaces.of(Optional.of(List.of("team-a", " team-b")), "ops"))
        .containsExactly("team-a", "team-b");
  }
}

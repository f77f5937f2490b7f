package dev.vigil.core.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class SnapshotNamesTest {
  private final SnapshotNames names = SnapshotNames.forPolicy("security", "nightly");

  @Test
  void scheduledRunsHaveStableNames() {
    assertThat(names.forRun(Instant.parse("2026-11-27T03:00:00Z")))
        .isEqualTo("vigil-security-nightly-2026.11.27-03.00");
    assertThat(names.wildcard()).isEqualTo("vigil-security-nightly-*");
  }

  @Test
  void ownsItsOwnAndTheSnapshotManagementPluginsNamesButNotALongerPolicys() {
    assertThat(names.owns("vigil-security-nightly-2026.11.27-03.00")).isTrue();
    assertThat(names.owns("vigil-security-nightly-2026.11.27-03.00-x7k2p9qa")).isTrue();
    assertThat(names.owns("vigil-security-nightly-eu-2026.11.27-03.00")).isFalse();
    assertThat(names.owns("other-2026.11.27-03.00")).isFalse();
  }
}

package dev.vigil.operator.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterFactsTest {
  @Test
  void capabilitiesFollowInstalledPluginComponents() {
    var full =
        new ClusterFacts(
                "2.19.4",
                "opensearch",
                "green",
                List.of(
                    "opensearch-alerting",
                    "opensearch-notifications",
                    "opensearch-notifications-core",
                    "opensearch-index-management",
                    "opensearch-security-analytics",
                    "opensearch-security"))
            .capabilities();
    assertThat(full.alerting).isTrue();
    assertThat(full.notifications).isTrue();
    assertThat(full.indexManagement).isTrue();
    assertThat(full.snapshotManagement).isTrue();
    assertThat(full.securityAnalytics).isTrue();
    assertThat(full.security).isTrue();

    var bare = new ClusterFacts("2.19.4", "opensearch", "green", List.of()).capabilities();
    assertThat(bare.alerting || bare.notifications || bare.indexManagement || bare.security)
        .isFalse();
  }
}

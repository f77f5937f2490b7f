package dev.vigil.operator.connection;

import dev.vigil.api.v1alpha1.OpenSearchConnectionStatus.Capabilities;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** What a probe learned about a cluster. */
public record ClusterFacts(
    String version, String distribution, String health, List<String> plugins) {

  /**
   * Capabilities from installed plugin components. Index Management brings both ISM and Snapshot
   * Management; Amazon OpenSearch Service reports the same component names.
   */
  public Capabilities capabilities() {
    Set<String> installed = new TreeSet<>(plugins);
    Capabilities capabilities = new Capabilities();
    capabilities.alerting = installed.contains("opensearch-alerting");
    capabilities.notifications = installed.contains("opensearch-notifications");
    capabilities.indexManagement = installed.contains("opensearch-index-management");
    capabilities.snapshotManagement = capabilities.indexManagement;
    capabilities.securityAnalytics = installed.contains("opensearch-security-analytics");
    capabilities.security = installed.contains("opensearch-security");
    return capabilities;
  }
}

package dev.vigil.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

@JsonClassDescription("Reachability, version, health and capabilities the operator found.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class OpenSearchConnectionStatus extends VigilStatus {
  @JsonPropertyDescription("OpenSearch version reported by the cluster, e.g. 2.19.4.")
  public String version;

  @JsonPropertyDescription("Distribution reported by the cluster (opensearch).")
  public String distribution;

  @JsonPropertyDescription("Cluster health at the last check: green, yellow or red.")
  public String clusterHealth;

  @JsonPropertyDescription(
      "What the cluster can do; other kinds pick a native plugin or Vigil's fallback from it.")
  public Capabilities capabilities;

  @JsonPropertyDescription("Installed plugins (component names), sorted.")
  public List<String> plugins;

  @JsonPropertyDescription(
      "Where Vigil's CloudWatch alarms for this connection are, so that they are removed when"
          + " spec.cloudWatchAlarms is dropped or names another domain or region; absent when there"
          + " are none.")
  public ProvisionedAlarms cloudWatchAlarms;

  public static class ProvisionedAlarms {
    @JsonPropertyDescription("The alarms' region.")
    public String region;

    @JsonPropertyDescription("The domain they watch; the alarms are named vigil-<domainName>-*.")
    public String domainName;

    public ProvisionedAlarms() {}

    public ProvisionedAlarms(String region, String domainName) {
      this.region = region;
      this.domainName = domainName;
    }
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Capabilities {
    @JsonPropertyDescription("The Alerting plugin is installed: detections can run as monitors.")
    public boolean alerting;

    @JsonPropertyDescription(
        "The Notifications plugin is installed: channels can be synced as configs.")
    public boolean notifications;

    @JsonPropertyDescription(
        "Index Management (ISM) is installed: hot retention can be an ISM policy.")
    public boolean indexManagement;

    @JsonPropertyDescription("Snapshot Management is available (part of Index Management).")
    public boolean snapshotManagement;

    @JsonPropertyDescription("The Security Analytics plugin is installed.")
    public boolean securityAnalytics;

    @JsonPropertyDescription("The Security plugin is installed (users, roles, tenants).")
    public boolean security;
  }
}

package dev.vigil.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonClassDescription("Which executor runs the rule and how its runs went.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DetectionRuleStatus extends VigilStatus {
  @JsonPropertyDescription("Which executor runs the rule: Alerting or BuiltIn.")
  public String executor;

  @JsonPropertyDescription("Id of the Alerting monitor, when the executor is Alerting.")
  public String monitorId;

  @JsonPropertyDescription("Hash of the compiled rule last synced; unchanged rules cost no writes.")
  public String syncedHash;

  @JsonPropertyDescription("When the rule last ran (RFC 3339).")
  public String lastRunTime;

  @JsonPropertyDescription("Outcome of the last run: NoMatch, Triggered or Error with its message.")
  public String lastResult;

  @JsonPropertyDescription(
      "Alerts ACTIVE or ACKNOWLEDGED at the last run that could read them. While OpenSearch"
          + " cannot be read the last count stays and the AlertCount condition is Unknown.")
  public Integer activeAlerts;
}

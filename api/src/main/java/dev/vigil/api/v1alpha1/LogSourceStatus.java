package dev.vigil.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

@JsonClassDescription("What the operator provisioned and how ingestion is doing.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LogSourceStatus extends VigilStatus {
  @JsonPropertyDescription("URL of the queue the ingesters read.")
  public String queueUrl;

  @JsonPropertyDescription("URL of the dead-letter queue.")
  public String deadLetterQueueUrl;

  @JsonPropertyDescription("AWS identity (ARN) the operator used for this LogSource.")
  public String identity;

  @JsonPropertyDescription("Log groups currently subscribed (cloudwatch).")
  public Integer subscribedLogGroups;

  @JsonPropertyDescription("Age in seconds of the oldest message waiting in the queue.")
  public Long lagSeconds;

  @JsonPropertyDescription("Ingester replicas the operator last asked for.")
  public Integer replicas;

  @JsonPropertyDescription("Why the replica count last changed, and when.")
  public String lastScaleDecision;

  @JsonPropertyDescription(
      "Per-account results with aws.allOrganizationAccounts (the member accounts provisioned).")
  public List<AccountResult> accounts;

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class AccountResult {
    @JsonPropertyDescription("Member account id.")
    public String accountId;

    @JsonPropertyDescription("True when everything was provisioned in that account.")
    public boolean ready;

    @JsonPropertyDescription("What was provisioned there, or what went wrong.")
    public String message;
  }
}

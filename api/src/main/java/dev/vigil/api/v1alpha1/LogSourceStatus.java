package dev.vigil.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
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
      "With aws.allOrganizationAccounts: how many member accounts are provisioned, and the ones"
          + " that are not (at most 20 listed; each change of an account is also an Event"
          + " AccountNotReady/AccountReady). A bounded summary: it does not grow with the"
          + " organization.")
  public MemberAccounts memberAccounts;

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class MemberAccounts {
    /** How many accounts are listed by name in {@link #notReady} at most. */
    public static final int LISTED = 20;

    @JsonPropertyDescription(
        "Member accounts the LogSource covers (the organization's active ones,"
            + " less excludedAccounts).")
    public int total;

    @JsonPropertyDescription("Accounts where every piece is in place.")
    public int ready;

    @Size(max = LISTED)
    @JsonPropertyDescription("Accounts that are not ready, with why (the first 20 by account id).")
    public List<AccountResult> notReady;

    @JsonPropertyDescription("Accounts not ready beyond those listed in notReady.")
    public Integer notReadyNotListed;
  }

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

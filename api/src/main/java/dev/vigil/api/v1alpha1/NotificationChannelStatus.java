package dev.vigil.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonClassDescription("Sync and delivery state of the channel.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NotificationChannelStatus extends VigilStatus {
  @JsonPropertyDescription("Id of the Notifications plugin config, when synced there.")
  public String configId;

  @JsonPropertyDescription("When an alert was last delivered (RFC 3339).")
  public String lastDeliveryTime;

  @JsonPropertyDescription("Deliveries that failed after retries, since the channel was created.")
  public Long failedDeliveries;

  @JsonPropertyDescription("The last delivery error, if the last delivery failed.")
  public String lastError;
}

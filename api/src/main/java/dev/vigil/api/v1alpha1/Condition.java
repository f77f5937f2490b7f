package dev.vigil.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/**
 * A standard Kubernetes status condition (metav1.Condition's schema), shared by every Vigil kind.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Condition {
  @Required
  @JsonPropertyDescription("Type of the condition, e.g. Ready.")
  private String type;

  @Required
  @JsonPropertyDescription("True, False or Unknown.")
  private String status;

  @JsonPropertyDescription("CamelCase reason for the last transition, e.g. InvalidSpec.")
  private String reason;

  @JsonPropertyDescription("Human-readable details of the last transition.")
  private String message;

  @Required
  @JsonPropertyDescription(
      "When the status last changed (RFC 3339); unchanged while the status stays the same.")
  private String lastTransitionTime;

  @JsonPropertyDescription("The metadata.generation this condition was computed from.")
  private Long observedGeneration;

  public String getType() {
    return type;
  }

  public void setType(String type) {
    this.type = type;
  }

  public String getStatus() {
    return status;
  }

  public void setStatus(String status) {
    this.status = status;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public String getLastTransitionTime() {
    return lastTransitionTime;
  }

  public void setLastTransitionTime(String lastTransitionTime) {
    this.lastTransitionTime = lastTransitionTime;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }
}

package dev.vigil.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/**
 * What every Vigil status has: the generation it reflects and standard conditions ({@code Ready}
 * always).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VigilStatus {
  @JsonPropertyDescription("The metadata.generation the operator last acted on.")
  public Long observedGeneration;

  @JsonPropertyDescription(
      "Standard conditions. Ready is always present; kinds add their own (e.g. QueueReady on LogSource).")
  public List<Condition> conditions = new ArrayList<>();
}

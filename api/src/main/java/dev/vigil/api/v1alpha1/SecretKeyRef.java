package dev.vigil.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/**
 * A key of a Secret in the resource's namespace. Secret values never appear in Vigil resources
 * themselves.
 */
public class SecretKeyRef {
  @Required
  @JsonPropertyDescription("Name of the Secret, in the same namespace.")
  public String name;

  @Required
  @JsonPropertyDescription("Key within the Secret.")
  public String key;

  public SecretKeyRef() {}

  public SecretKeyRef(String name, String key) {
    this.name = name;
    this.key = key;
  }
}

package dev.vigil.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;

/** Which OpenSearchConnection (in the same namespace) a resource uses. */
public class ConnectionRef {
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
  @JsonPropertyDescription("Name of an OpenSearchConnection in this namespace. Default: default.")
  public String name = "default";

  public ConnectionRef() {}

  public ConnectionRef(String name) {
    this.name = name;
  }
}

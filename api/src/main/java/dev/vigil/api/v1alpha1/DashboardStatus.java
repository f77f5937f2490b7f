package dev.vigil.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonClassDescription("Sync state of the saved objects.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DashboardStatus extends VigilStatus {
  @JsonPropertyDescription("Saved objects Vigil manages for this Dashboard.")
  public Integer objects;

  @JsonPropertyDescription(
      "Hash of the rendered objects last synced; unchanged dashboards cost no writes.")
  public String syncedHash;

  @JsonPropertyDescription("Id of the dashboard saved object.")
  public String dashboardId;

  @JsonPropertyDescription(
      "Saved objects last synced, as type/id: objects dropped from the spec are deleted from Dashboards, and all of them when the resource is deleted.")
  public java.util.List<String> managedObjects;

  @JsonPropertyDescription("Dashboards tenant the objects were last synced to.")
  public String tenant;
}

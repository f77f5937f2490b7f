package dev.vigil.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonClassDescription("Snapshots taken and kept, and what comes next.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SnapshotPolicyStatus extends VigilStatus {
  @JsonPropertyDescription("The last successful snapshot.")
  public SnapshotRef lastSnapshot;

  @JsonPropertyDescription("When the next snapshot is due (RFC 3339).")
  public String nextRunTime;

  @JsonPropertyDescription("Snapshots currently kept in the repository by this policy.")
  public Integer snapshotsKept;

  @JsonPropertyDescription("Snapshots that failed since the policy was created.")
  public Long failures;

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class SnapshotRef {
    @JsonPropertyDescription("Snapshot name.")
    public String name;

    @JsonPropertyDescription("When it finished (RFC 3339).")
    public String time;
  }
}

package dev.vigil.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

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

  @JsonPropertyDescription("The last snapshot that failed or was partial, with the reason.")
  public SnapshotRef lastFailure;

  @JsonPropertyDescription(
      "Who takes the snapshots and expires indices: Plugin (Snapshot Management and ISM in the"
          + " cluster) or BuiltIn (the operator).")
  public String engine;

  @JsonPropertyDescription(
      "Time-partitioned indices the operator deleted for hot retention in its last pass.")
  public List<String> expiredIndices;

  @JsonPropertyDescription(
      "Expired indices kept because no successful snapshot of this policy holds them yet (first 20).")
  public List<String> indicesAwaitingSnapshot;

  @JsonPropertyDescription("The last restore requested with the siem.vigil.dev/restore annotation.")
  public RestoreStatus lastRestore;

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class SnapshotRef {
    @JsonPropertyDescription("Snapshot name.")
    public String name;

    @JsonPropertyDescription("When it finished (RFC 3339).")
    public String time;

    @JsonPropertyDescription("Why it failed (failed snapshots only).")
    public String reason;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class RestoreStatus {
    @JsonPropertyDescription(
        "The siem.vigil.dev/restore-request annotation this answers (set by vigil restore).")
    public String request;

    @JsonPropertyDescription("The requested day (YYYY-MM-DD), the annotation's value.")
    public String date;

    @JsonPropertyDescription("Index patterns requested (siem.vigil.dev/restore-indices).")
    public String indices;

    @JsonPropertyDescription("The snapshot restored from.")
    public String snapshot;

    @JsonPropertyDescription("Indices restored, under their new names.")
    public List<String> restoredIndices;

    @JsonPropertyDescription("Restored, Failed or NothingToRestore.")
    public String state;

    @JsonPropertyDescription("What happened, in words.")
    public String message;
  }
}

package dev.vigil.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonClassDescription("Where the replay is: its Job's phase and times, and its checkpoint.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LogReplayStatus extends VigilStatus {
  @JsonPropertyDescription(
      "Pending (Job not started or waiting for its pod), Running, Succeeded (every object in range"
          + " ingested) or Failed (the Job gave up; objects that failed are named in the pod's log).")
  public Phase phase;

  @JsonPropertyDescription("Name of the Job running the replay.")
  public String jobName;

  @JsonPropertyDescription("When the Job started (RFC 3339).")
  public String startTime;

  @JsonPropertyDescription("When the Job succeeded or failed for good (RFC 3339).")
  public String completionTime;

  @JsonPropertyDescription("Where the replay is, from the checkpoint the ingester writes.")
  public Progress progress;

  public enum Phase {
    Pending,
    Running,
    Succeeded,
    Failed
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Progress {
    @JsonPropertyDescription(
        "The checkpoint object (s3://bucket/key) the replay keeps; a pod restarted by the Job"
            + " resumes after its last key.")
    public String checkpoint;

    @JsonPropertyDescription(
        "Objects ingested so far, by every pod of the Job (a restarted pod counts on from"
            + " its checkpoint, so objects it ingests again count once).")
    public Long objectsDone;

    @JsonPropertyDescription("The last key such that it and every key listed before it are done.")
    public String lastCompletedKey;

    @JsonPropertyDescription("Whether the checkpoint says every object in range is done.")
    public Boolean finished;

    @JsonPropertyDescription("When the checkpoint was last written (RFC 3339).")
    public String updated;
  }
}

package dev.vigil.core.snapshot;

import java.time.Instant;
import java.util.List;

/**
 * One snapshot as the repository reports it. {@code state} is OpenSearch's: IN_PROGRESS, SUCCESS,
 * FAILED, PARTIAL (or INCOMPATIBLE).
 */
public record SnapshotInfo(
    String name, String state, Instant start, Instant end, List<String> indices, String reason) {
  public static final String SUCCESS = "SUCCESS";
  public static final String IN_PROGRESS = "IN_PROGRESS";

  public boolean succeeded() {
    return SUCCESS.equals(state);
  }

  public boolean inProgress() {
    return IN_PROGRESS.equals(state);
  }

  /** Finished, but not usable as a complete copy. */
  public boolean failed() {
    return !succeeded() && !inProgress();
  }
}

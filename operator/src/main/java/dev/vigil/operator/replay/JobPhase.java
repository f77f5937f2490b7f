package dev.vigil.operator.replay;

import dev.vigil.api.v1alpha1.LogReplayStatus;
import dev.vigil.api.v1alpha1.LogReplayStatus.Phase;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import java.util.List;
import java.util.Optional;

/**
 * A LogReplay's phase and times as its Job reports them: terminal once the Job controller sets
 * {@code Complete} or {@code Failed} (not at {@code SuccessCriteriaMet}/{@code FailureTarget},
 * while pods may still be terminating), Running while it has an active pod, else Pending.
 */
record JobPhase(Phase phase, String startTime, String completionTime, String message) {

  static JobPhase of(Job job) {
    JobStatus status = job.getStatus();
    if (status == null) {
      return new JobPhase(Phase.Pending, null, null, "Job created, not started yet");
    }
    Optional<JobCondition> complete = condition(status.getConditions(), "Complete");
    if (complete.isPresent()) {
      String done =
          status.getCompletionTime() != null
              ? status.getCompletionTime()
              : complete.get().getLastTransitionTime();
      return new JobPhase(Phase.Succeeded, status.getStartTime(), done, "Job completed");
    }
    Optional<JobCondition> failed = condition(status.getConditions(), "Failed");
    if (failed.isPresent()) {
      String why =
          "Job failed: "
              + (failed.get().getReason() == null ? "" : failed.get().getReason())
              + (failed.get().getMessage() == null ? "" : " (" + failed.get().getMessage() + ")");
      return new JobPhase(
          Phase.Failed, status.getStartTime(), failed.get().getLastTransitionTime(), why);
    }
    int active = status.getActive() == null ? 0 : status.getActive();
    int failures = status.getFailed() == null ? 0 : status.getFailed();
    if (active > 0) {
      return new JobPhase(
          Phase.Running,
          status.getStartTime(),
          null,
          "replay pod running" + (failures == 0 ? "" : " (" + failures + " failed before)"));
    }
    return new JobPhase(Phase.Pending, status.getStartTime(), null, "waiting for the replay pod");
  }

  boolean terminal() {
    return terminal(phase);
  }

  static boolean terminal(LogReplayStatus.Phase phase) {
    return phase == Phase.Succeeded || phase == Phase.Failed;
  }

  private static Optional<JobCondition> condition(List<JobCondition> conditions, String type) {
    return conditions == null
        ? Optional.empty()
        : conditions.stream()
            .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus()))
            .findFirst();
  }
}

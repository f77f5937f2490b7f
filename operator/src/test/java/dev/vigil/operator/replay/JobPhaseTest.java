package dev.vigil.operator.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.api.v1alpha1.LogReplayStatus.Phase;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import org.junit.jupiter.api.Test;

/**
 * The phase of a replay from its Job's status, as the Job controller (Kubernetes 1.31+) writes it.
 */
class JobPhaseTest {
  static Job job(JobStatusBuilder status) {
    return new JobBuilder().withStatus(status == null ? null : status.build()).build();
  }

  static JobConditionBuilder condition(String type) {
    return new JobConditionBuilder()
        .withType(type)
        .withStatus("True")
        .withLastTransitionTime("2026-12-06T10:00:00Z");
  }

  @Test
  void aJobWithoutStatusOrPodIsPending() {
    assertThat(JobPhase.of(job(null)).phase()).isEqualTo(Phase.Pending);
    assertThat(JobPhase.of(job(new JobStatusBuilder().withActive(0))).phase())
        .isEqualTo(Phase.Pending);
  }

  @Test
  void anActivePodIsRunningAndEarlierFailuresAreSaid() {
    JobPhase phase =
        JobPhase.of(
            job(
                new JobStatusBuilder()
                    .withActive(1)
                    .withFailed(2)
                    .withStartTime("2026-12-06T09:00:00Z")));
    assertThat(phase.phase()).isEqualTo(Phase.Running);
    assertThat(phase.startTime()).isEqualTo("2026-12-06T09:00:00Z");
    assertThat(phase.message()).contains("2 failed before");
  }

  @Test
  void successCriteriaMetAloneIsNotTheEndWhilePodsTerminate() {
    JobPhase phase =
        JobPhase.of(
            job(
                new JobStatusBuilder()
                    .withActive(1)
                    .withConditions(condition("SuccessCriteriaMet").build())));
    assertThat(phase.phase()).isEqualTo(Phase.Running);
    assertThat(phase.terminal()).isFalse();
  }

  @Test
  void completeSucceedsAndFailedFailsWithTheJobsReason() {
    JobPhase done =
        JobPhase.of(
            job(
                new JobStatusBuilder()
                    .withCompletionTime("2026-12-06T11:00:00Z")
                    .withConditions(condition("Complete").build())));
    assertThat(done.phase()).isEqualTo(Phase.Succeeded);
    assertThat(done.completionTime()).isEqualTo("2026-12-06T11:00:00Z");

    JobPhase failed =
        JobPhase.of(
            job(
                new JobStatusBuilder()
                    .withConditions(
                        condition("Failed")
                            .withReason("BackoffLimitExceeded")
                            .withMessage("Job has reached the specified backoff limit")
                            .build())));
    assertThat(failed.phase()).isEqualTo(Phase.Failed);
    assertThat(failed.completionTime()).isEqualTo("2026-12-06T10:00:00Z");
    assertThat(failed.message()).contains("BackoffLimitExceeded");
  }

  @Test
  void aConditionThatIsNotTrueDoesNotCount() {
    JobPhase phase =
        JobPhase.of(
            job(
                new JobStatusBuilder()
                    .withActive(1)
                    .withConditions(condition("Failed").withStatus("False").build())));
    assertThat(phase.phase()).isEqualTo(Phase.Running);
  }
}

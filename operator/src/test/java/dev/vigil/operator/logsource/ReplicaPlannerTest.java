package dev.vigil.operator.logsource;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReplicaPlannerTest {
  private static final Duration WINDOW = Duration.ofMinutes(5);
  private static final Duration LAG = Duration.ofSeconds(120);
  private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

  private static ReplicaPlanner.QueueDepth visible(long n) {
    return new ReplicaPlanner.QueueDepth(n, 0, null);
  }

  @Test
  void backlogSetsReplicasByMessagesPerReplicaWithinMinAndMax() {
    ReplicaPlanner planner = new ReplicaPlanner(WINDOW);
    assertThat(planner.plan(visible(250), 1, 1, 6, 100, LAG, T0).replicas()).isEqualTo(3);
    assertThat(planner.plan(visible(10_000), 3, 1, 6, 100, LAG, T0).replicas()).isEqualTo(6);
    assertThat(new ReplicaPlanner(WINDOW).plan(visible(0), 0, 0, 6, 100, LAG, T0).replicas())
        .isZero();
  }

  @Test
  void oldMessagesAddAReplicaEvenWithASmallBacklog() {
    ReplicaPlanner planner = new ReplicaPlanner(WINDOW);
    var plan =
        planner.plan(
            new ReplicaPlanner.QueueDepth(5, 0, Duration.ofSeconds(600)), 2, 1, 6, 100, LAG, T0);
    assertThat(plan.replicas()).isEqualTo(3);
    assertThat(plan.reason()).startsWith("scale out").contains("oldest 600s");
  }

  @Test
  void scalesInToMinOnlyAfterTheWindowHasBeenQuiet() {
    ReplicaPlanner planner = new ReplicaPlanner(WINDOW);
    assertThat(planner.plan(visible(400), 1, 1, 6, 100, LAG, T0).replicas()).isEqualTo(4);
    // The queue drains: the count holds for the window...
    var holding = planner.plan(visible(0), 4, 1, 6, 100, LAG, T0.plusSeconds(60));
    assertThat(holding.replicas()).isEqualTo(4);
    assertThat(holding.reason()).startsWith("holding");
    assertThat(planner.plan(visible(0), 4, 1, 6, 100, LAG, T0.plusSeconds(290)).replicas())
        .isEqualTo(4);
    // ...then goes back to min.
    var in = planner.plan(visible(0), 4, 1, 6, 100, LAG, T0.plusSeconds(301));
    assertThat(in.replicas()).isEqualTo(1);
    assertThat(in.reason()).startsWith("scale in");
  }

  @Test
  void aFreshPlannerDoesNotScaleInBeforeAWholeWindow() {
    ReplicaPlanner planner = new ReplicaPlanner(WINDOW);
    assertThat(planner.plan(visible(0), 5, 1, 6, 100, LAG, T0).replicas()).isEqualTo(5);
    assertThat(planner.plan(visible(0), 5, 1, 6, 100, LAG, T0.plusSeconds(301)).replicas())
        .isEqualTo(1);
  }

  @Test
  void messagesInFlightKeepAtLeastOnePod() {
    ReplicaPlanner planner = new ReplicaPlanner(Duration.ZERO);
    assertThat(
            planner
                .plan(new ReplicaPlanner.QueueDepth(0, 3, null), 1, 0, 6, 100, LAG, T0)
                .replicas())
        .isEqualTo(1);
  }
}

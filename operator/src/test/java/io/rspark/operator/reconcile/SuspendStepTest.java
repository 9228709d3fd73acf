package io.rspark.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.rspark.operator.api.ClusterPhase;
import io.rspark.operator.status.Conditions;
import io.rspark.operator.testing.PodFixtures;
import org.junit.jupiter.api.Test;

class SuspendStepTest {
  private final StepFixtures f = new StepFixtures();
  private final SuspendStep step = new SuspendStep(new Suspension(f.spark));

  @Test
  void aSuspendedClusterLosesItsRunningPodsOnceWithOneEvent() {
    var cluster = PodFixtures.cluster(2);
    cluster.getSpec().suspend = true;
    var r = f.reconciliation(cluster, StepFixtures.pods(2, "d w0 w1:terminating"));

    assertThat(step.reconcile(r)).isEqualTo(ReconcileProgress.done());
    assertThat(f.writer.writes)
        .as("a pod already terminating is left to end")
        .containsExactly("delete Pod spark-driver", "delete Pod spark-worker-0");
    var status = StepFixtures.patchedStatus(r);
    assertThat(status.phase).isEqualTo(ClusterPhase.Suspended);
    assertThat(StepFixtures.condition(status, Conditions.SUSPENDED).getReason())
        .isEqualTo("Suspended");
    assertThat(f.events.reasons()).containsExactly("Suspended");

    cluster.setStatus(status);
    step.reconcile(f.reconciliation(cluster, StepFixtures.pods(2, "w1:terminating")));
    assertThat(f.events.reasons()).as("no second Event").hasSize(1);
  }

  @Test
  void aClusterStoppedForBeingIdleStaysStoppedUntilItsSpecChanges() {
    var cluster = PodFixtures.cluster(1);
    var stopped = f.reconciliation(cluster, StepFixtures.pods(1, ""));
    var status =
        io.rspark.operator.status.ClusterStatusFactory.suspended(
            cluster,
            "Idle",
            "idle for 30 min: pods removed",
            java.util.List.of(),
            f.clock.instant());
    status.idleSuspendedGeneration = cluster.getMetadata().getGeneration();
    cluster.setStatus(status);

    var again = f.reconciliation(cluster, StepFixtures.pods(1, ""));
    assertThat(step.reconcile(again)).isEqualTo(ReconcileProgress.done());
    assertThat(again.outcome(java.util.Optional.empty()).isNoUpdate())
        .as("the same status again")
        .isTrue();

    cluster.getMetadata().setGeneration(cluster.getMetadata().getGeneration() + 1);
    assertThat(step.reconcile(f.reconciliation(cluster, StepFixtures.pods(1, ""))))
        .isEqualTo(ReconcileProgress.proceed());
    assertThat(stopped.lifecycle().suspended()).isFalse();
  }

  @Test
  void aRunningClusterGoesOn() {
    var r = f.reconciliation(PodFixtures.cluster(1), StepFixtures.pods(1, "d w0"));
    assertThat(step.reconcile(r)).isEqualTo(ReconcileProgress.proceed());
    assertThat(f.writer.writes).isEmpty();
  }
}

package io.rspark.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.rspark.operator.pods.PodPlan;
import io.rspark.operator.pods.PodPlan.Cause;
import io.rspark.operator.pods.PodPlan.Deletion;
import io.rspark.operator.testing.PodFixtures;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CarryOutPodsStepTest {
  private final StepFixtures f = new StepFixtures();
  private final CarryOutPodsStep step = new CarryOutPodsStep();

  @Test
  void deletionsComeFirstByCauseWithOneEventEachThenCreates() {
    List<Pod> pods = StepFixtures.pods(4, "d w0 w1 w2 w3");
    var plan =
        new PodPlan(
            List.of(pods.get(0)),
            List.of(
                new Deletion(pods.get(4), Cause.SCALE_DOWN),
                new Deletion(pods.get(1), Cause.OUTDATED),
                new Deletion(pods.get(2), Cause.FAILED),
                new Deletion(pods.get(3), Cause.SCALE_DOWN)),
            Optional.empty(),
            List.of(),
            1,
            List.of());
    var r = f.reconciliation(PodFixtures.cluster(2), pods);
    r.plan(java.util.Set.of(), plan);

    assertThat(step.reconcile(r)).isEqualTo(ReconcileProgress.proceed());
    assertThat(f.writer.writes)
        .containsExactly(
            "delete Pod spark-worker-3",
            "delete Pod spark-worker-2",
            "delete Pod spark-worker-1",
            "delete Pod spark-worker-0",
            "create Pod spark-driver");
    assertThat(f.events.recorded)
        .containsExactly(
            "ScaledDown: deleted spark-worker-3, spark-worker-2",
            "PodFailed: spark-worker-1 ended; recreating after a back-off",
            "PodReplaced: replacing spark-worker-0 with the new spec",
            "PodsCreated: created spark-driver");
  }

  @Test
  void aPlanThatWaitsComesBack() {
    var plan =
        new PodPlan(
            List.of(), List.of(), Optional.of(Duration.ofSeconds(8)), List.of("w0"), 0, List.of());
    var r = f.reconciliation(PodFixtures.cluster(1), List.of());
    r.plan(java.util.Set.of(), plan);
    assertThat(step.reconcile(r))
        .isEqualTo(ReconcileProgress.proceedAndRequeueAfter(Duration.ofSeconds(8)));
    assertThat(f.writer.writes).isEmpty();
    assertThat(f.events.recorded).isEmpty();
  }
}

package io.rspark.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.rspark.operator.status.Conditions;
import io.rspark.operator.testing.PodFixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValidateStepTest {
  private final StepFixtures f = new StepFixtures();
  private final ValidateStep step = new ValidateStep();

  @Test
  void aValidSpecGoesOnWithoutAStatus() {
    Reconciliation r = f.reconciliation(PodFixtures.cluster(2), List.of());
    assertThat(step.reconcile(r)).isEqualTo(ReconcileProgress.proceed());
    assertThat(r.outcome(java.util.Optional.empty()).isNoUpdate()).isTrue();
    assertThat(f.events.recorded).isEmpty();
  }

  @Test
  void anInvalidSpecEndsTheReconcileWithEveryProblemOnceAsAnEvent() {
    var cluster = PodFixtures.cluster(2);
    cluster.getSpec().sparkConf =
        new java.util.TreeMap<>(
            java.util.Map.of("spark.master", "local[*]", "spark.authenticate", "false"));
    Reconciliation r = f.reconciliation(cluster, List.of());

    assertThat(step.reconcile(r)).isEqualTo(ReconcileProgress.done());
    var status = StepFixtures.patchedStatus(r);
    var stalled = StepFixtures.condition(status, Conditions.STALLED);
    assertThat(stalled.getStatus()).isEqualTo("True");
    assertThat(stalled.getMessage()).contains("'spark.authenticate'").contains("'spark.master'");
    assertThat(f.events.reasons()).containsExactly("InvalidSpec");
    assertThat(f.writer.writes).isEmpty();

    cluster.setStatus(status);
    step.reconcile(f.reconciliation(cluster, List.of()));
    assertThat(f.events.reasons()).as("no second Event for the same problems").hasSize(1);
  }
}

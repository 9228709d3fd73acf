package io.rspark.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.rspark.operator.pods.PodBackoff;
import io.rspark.operator.resources.ClusterModel;
import io.rspark.operator.scaling.Autoscaler;
import io.rspark.operator.testing.PodFixtures;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PlanPodsStepTest {
  private final StepFixtures f = new StepFixtures();
  private final PlanPodsStep step = new PlanPodsStep(new PodBackoff(Duration.ofMinutes(5)));

  private static Optional<Autoscaler.Decision> removing(String... pods) {
    return Optional.of(new Autoscaler.Decision(0, "r", "m", List.of(pods), Map.of(), true));
  }

  private static List<String> names(List<Pod> pods) {
    return pods.stream().map(p -> p.getMetadata().getName()).toList();
  }

  @Test
  void aNewClusterIsPlannedAsDriverAndWorkersFromOrdinalZero() {
    var cluster = PodFixtures.cluster(2);
    var r = f.reconciliation(cluster, List.of());
    r.model(ClusterModel.of(cluster, PodFixtures.IMAGE, 2));
    r.secretUid("s-1");

    assertThat(step.reconcile(r)).isEqualTo(ReconcileProgress.proceed());
    assertThat(r.desiredWorkers()).containsExactly("spark-worker-0", "spark-worker-1");
    assertThat(names(r.plan().creates()))
        .containsExactly("spark-driver", "spark-worker-0", "spark-worker-1");
    assertThat(r.plan().deletions()).isEmpty();
  }

  @Test
  void withoutAutoscalingTheWorkersAreOrdinalsBelowTheCount() {
    var cluster = PodFixtures.cluster(3);
    assertThat(
            PlanPodsStep.desiredWorkerNames(
                cluster, StepFixtures.pods(3, "w0 w5"), 3, Optional.empty()))
        .containsExactly("spark-worker-0", "spark-worker-1", "spark-worker-2");
  }

  @Test
  void theAutoscalerKeepsTheWorkersItDoesNotRemoveAndTopsUpWithTheLowestFreeOrdinals() {
    var cluster = PodFixtures.cluster(3);
    var pods = StepFixtures.pods(4, "w0 w2 w3:terminating w7");
    assertThat(PlanPodsStep.desiredWorkerNames(cluster, pods, 2, removing("spark-worker-0")))
        .as("w0 chosen for removal, w3 leaving: w2 and w7 stay")
        .containsExactly("spark-worker-2", "spark-worker-7");
    assertThat(PlanPodsStep.desiredWorkerNames(cluster, pods, 4, removing()))
        .as("w3's name is still taken while it terminates")
        .containsExactly("spark-worker-0", "spark-worker-1", "spark-worker-2", "spark-worker-7");
    assertThat(PlanPodsStep.desiredWorkerNames(cluster, pods, 1, removing()))
        .as("trimmed from the highest ordinal, by number not by text")
        .containsExactly("spark-worker-0");
  }
}

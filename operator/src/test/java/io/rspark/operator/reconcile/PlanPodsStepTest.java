package io.rspark.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.rspark.operator.api.SparkVersion;
import io.rspark.operator.pods.PodBackoff;
import io.rspark.operator.pods.PodPlan;
import io.rspark.operator.resources.ClusterModel;
import io.rspark.operator.scaling.Autoscaler;
import io.rspark.operator.testing.PodFixtures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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

  /**
   * spec.sparkVersion 3.5 → 4.2 on a running cluster: the image and SPARK_SCALA_VERSION change, so
   * every pod's content hash does, and the ordinary rolling replacement replaces them all — one pod
   * at a time, workers from the highest ordinal, the driver last — until the plan is empty.
   * Meanwhile the new workers cannot register with the old line's master (a standalone master and
   * its workers must run the same Spark); they keep retrying and join the new master once the
   * driver is replaced, so the bridge's application and every R session end
   * (docs/spark-versions.md).
   */
  @Test
  void changingTheSparkLineReplacesEveryPodThroughTheRollingUpdate() {
    var cluster = PodFixtures.cluster(2);
    ClusterModel before = ClusterModel.of(cluster, PodFixtures.IMAGE, 2);
    Map<String, Pod> running = new LinkedHashMap<>();
    running.put("spark-driver", ready(PodFixtures.driver(before)));
    PodFixtures.workers(before).forEach(w -> running.put(w.getMetadata().getName(), ready(w)));

    cluster.getSpec().sparkVersion = SparkVersion.V4_2;
    cluster.getSpec().image = "registry.example.com/rspark/r-executor:4.2.0-r4";
    List<String> deletedInOrder = new ArrayList<>();
    for (int round = 0; round < 20; round++) {
      var r = f.reconciliation(cluster, running.values());
      r.model(ClusterModel.of(cluster, PodFixtures.IMAGE, 2));
      r.secretUid(PodFixtures.SECRET_UID);
      step.reconcile(r);
      PodPlan plan = r.plan();
      if (plan.isNoop()) {
        break;
      }
      assertThat(plan.deletions()).as("round %d deletes at most one pod", round).hasSizeLessThan(2);
      for (PodPlan.Deletion d : plan.deletions()) {
        assertThat(d.cause()).isEqualTo(PodPlan.Cause.OUTDATED);
        deletedInOrder.add(d.pod().getMetadata().getName());
        running.remove(d.pod().getMetadata().getName());
      }
      plan.creates().forEach(p -> running.put(p.getMetadata().getName(), ready(p)));
    }

    assertThat(deletedInOrder).containsExactly("spark-worker-1", "spark-worker-0", "spark-driver");
    assertThat(running.values())
        .hasSize(3)
        .allSatisfy(
            p -> {
              var container = p.getSpec().getContainers().get(0);
              assertThat(container.getImage()).endsWith(":4.2.0-r4");
              assertThat(container.getEnv())
                  .contains(new EnvVar("SPARK_SCALA_VERSION", "2.13", null));
            });
  }

  private static Pod ready(Pod rendered) {
    return PodFixtures.observe(rendered, rendered.getMetadata().getName(), List.of());
  }
}

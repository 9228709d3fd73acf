package io.rspark.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.rspark.operator.pods.PodPlan;
import io.rspark.operator.pods.PodPlan.Cause;
import io.rspark.operator.pods.PodPlan.Deletion;
import io.rspark.operator.resources.ClusterModel;
import io.rspark.operator.spark.MasterStatus;
import io.rspark.operator.spark.SparkWorker;
import io.rspark.operator.testing.PodFixtures;
import io.rspark.operator.testing.TestingSparkClient.Decommission;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DecommissionStepTest {
  private final StepFixtures f = new StepFixtures();
  private final DecommissionStep step =
      new DecommissionStep(
          f.spark, SparkAddresses.podIp(), Duration.ofMinutes(5), StepFixtures.POLL);

  private Reconciliation scalingDown(int workersAfter, List<Pod> pods, Pod leaving) {
    var cluster = PodFixtures.cluster(workersAfter);
    var r = f.reconciliation(cluster, pods);
    r.model(ClusterModel.of(cluster, PodFixtures.IMAGE, workersAfter));
    r.plan(
        Set.of(),
        new PodPlan(
            List.of(),
            List.of(new Deletion(leaving, Cause.SCALE_DOWN)),
            Optional.empty(),
            List.of(),
            0,
            List.of()));
    return r;
  }

  @Test
  void aLeavingWorkerIsDecommissionedFirstAndItsDeletionHeldWhileItDrains() {
    List<Pod> pods = StepFixtures.pods(2, "d w0 w1");
    f.sparkClient.master(
        StepFixtures.MASTER_UI,
        new MasterStatus(
            "ALIVE",
            List.of(
                new SparkWorker("w-0", "10.0.0.2", 2, 0, "ALIVE"),
                new SparkWorker("w-1", "10.0.0.3", 2, 2, "ALIVE")),
            List.of()));
    f.spark.refresh("ns/spark", Optional.of(StepFixtures.MASTER_UI), Optional.empty());
    await().atMost(Duration.ofSeconds(5)).until(() -> f.spark.master("ns/spark").isPresent());
    var r = scalingDown(1, pods, pods.get(2));

    assertThat(step.reconcile(r))
        .isEqualTo(ReconcileProgress.proceedAndRequeueAfter(StepFixtures.POLL));
    assertThat(r.plan().deletions()).as("held").isEmpty();
    assertThat(r.plan().draining())
        .extracting(PodPlan.Draining::pod)
        .containsExactly("spark-worker-1");
    assertThat(f.writer.writes)
        .containsExactly("annotate Pod spark-worker-1 rspark.io/decommission-started");
    await().atMost(Duration.ofSeconds(5)).until(() -> !f.sparkClient.decommissions().isEmpty());
    assertThat(f.sparkClient.decommissions())
        .containsExactly(new Decommission(StepFixtures.MASTER_UI, "10.0.0.3"));
    assertThat(f.events.recorded)
        .containsExactly(
            "Decommissioning: asked Spark to decommission spark-worker-1 before deleting it");
  }

  @Test
  void withoutAReadyMasterDeletionsGoThroughAndTheReadingsAreForgotten() {
    List<Pod> pods = StepFixtures.pods(2, "d:pending w0 w1");
    var r = scalingDown(1, pods, pods.get(2));

    assertThat(step.reconcile(r)).isEqualTo(ReconcileProgress.proceed());
    assertThat(r.plan().deletions())
        .extracting(d -> d.pod().getMetadata().getName())
        .containsExactly("spark-worker-1");
    assertThat(f.writer.writes).isEmpty();
    assertThat(f.sparkClient.decommissions()).isEmpty();
  }
}

package io.rspark.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.rspark.operator.api.ClusterPhase;
import io.rspark.operator.api.RSparkCluster;
import io.rspark.operator.api.Scheduler;
import io.rspark.operator.api.SparkVersion;
import io.rspark.operator.pods.PodBackoff;
import io.rspark.operator.resources.ClusterModel;
import io.rspark.operator.status.ClusterStatusFactory;
import io.rspark.operator.status.Conditions;
import io.rspark.operator.testing.PodFixtures;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusStepTest {
  private final StepFixtures f = new StepFixtures();
  private final StatusStep step = new StatusStep();

  /** A reconciliation planned up to the status, as the steps before would leave it. */
  private Reconciliation planned(RSparkCluster cluster, String pods) {
    var r = f.reconciliation(cluster, StepFixtures.pods(cluster.getSpec().workers.replicas, pods));
    r.model(ClusterModel.of(cluster, PodFixtures.IMAGE, cluster.getSpec().workers.replicas));
    r.secretUid(PodFixtures.SECRET_UID);
    new PlanPodsStep(new PodBackoff(Duration.ofMinutes(5))).reconcile(r);
    return r;
  }

  @Test
  void aClusterThatBecomesReadySaysSoOnceWithAnEvent() {
    var cluster = PodFixtures.cluster(2);
    var r = planned(cluster, "d w0 w1");
    assertThat(step.reconcile(r)).isEqualTo(ReconcileProgress.proceed());
    var status = StepFixtures.patchedStatus(r);
    assertThat(status.phase).isEqualTo(ClusterPhase.Running);
    assertThat(Conditions.isTrue(status.conditions, Conditions.READY)).isTrue();
    assertThat(StepFixtures.condition(status, Conditions.SUSPENDED).getStatus()).isEqualTo("False");
    assertThat(f.events.recorded)
        .containsExactly("ClusterReady: " + ClusterStatusFactory.readyMessage(2));

    cluster.setStatus(status);
    step.reconcile(planned(cluster, "d w0 w1"));
    assertThat(f.events.recorded).as("no second ClusterReady").hasSize(1);
  }

  @Test
  void aResumedClusterSaysSoWhileItsPodsStart() {
    var cluster = PodFixtures.cluster(1);
    cluster.setStatus(
        ClusterStatusFactory.suspended(
            cluster, "Suspended", "suspended", List.of(), f.clock.instant()));
    var r = planned(cluster, "");
    step.reconcile(r);
    assertThat(StepFixtures.patchedStatus(r).phase).isNotEqualTo(ClusterPhase.Suspended);
    assertThat(f.events.reasons()).containsExactly("Resumed");
  }

  @Test
  void aKubernetesSchedulerClusterCountsExecutorsInsteadOfWorkers() {
    var cluster = PodFixtures.cluster(0);
    cluster.getSpec().scheduler = Scheduler.KUBERNETES;
    var r = planned(cluster, "d");
    step.reconcile(r);
    var status = StepFixtures.patchedStatus(r);
    assertThat(status.executors).isNotNull();
    assertThat(StepFixtures.condition(status, Conditions.WORKERS_READY).getReason())
        .isEqualTo("KubernetesScheduler");
  }

  /**
   * status.sparkVersion is the line the pods are made with: the spec's, or the operator's default
   * when the spec names none; a cluster that then stalls keeps reporting it.
   */
  @Test
  void theStatusReportsTheSparkLineInUseAndAStalledClusterKeepsIt() {
    var cluster = PodFixtures.cluster(2);
    cluster.getSpec().image = null;
    cluster.getSpec().sparkVersion = null;
    var r = planned(cluster, "d w0 w1");
    step.reconcile(r);
    assertThat(StepFixtures.patchedStatus(r).sparkVersion)
        .as("the operator's default line")
        .isEqualTo(SparkVersion.V3_5);

    cluster.getSpec().sparkVersion = SparkVersion.V4_2;
    r = planned(cluster, "d w0 w1");
    step.reconcile(r);
    var status = StepFixtures.patchedStatus(r);
    assertThat(status.sparkVersion).isEqualTo(SparkVersion.V4_2);

    cluster.setStatus(status);
    var stalled = ClusterStatusFactory.invalidSpec(cluster, "X", "x", List.of(), f.clock.instant());
    assertThat(stalled.sparkVersion).isEqualTo(SparkVersion.V4_2);
  }
}

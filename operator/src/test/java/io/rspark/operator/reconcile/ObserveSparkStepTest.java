package io.rspark.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rspark.operator.api.AutoTerminationSpec;
import io.rspark.operator.spark.DriverActivity;
import io.rspark.operator.spark.MasterStatus;
import io.rspark.operator.testing.PodFixtures;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ObserveSparkStepTest {
  private final StepFixtures f = new StepFixtures();
  private final ObserveSparkStep step =
      new ObserveSparkStep(f.spark, SparkAddresses.podIp(), StepFixtures.POLL);

  @Test
  void anAutoscaledClusterHasItsMasterAndBridgeReadAndIsPolled() {
    f.sparkClient.master(StepFixtures.MASTER_UI, new MasterStatus("ALIVE", List.of(), List.of()));
    f.sparkClient.driver(StepFixtures.BRIDGE, new DriverActivity(1, 0, 0, 0, f.clock.instant()));
    var r = f.reconciliation(StepFixtures.autoscaled(1, 1, 3), StepFixtures.pods(1, "d w0"));

    assertThat(step.reconcile(r))
        .isEqualTo(ReconcileProgress.proceedAndRequeueAfter(StepFixtures.POLL));
    await().atMost(Duration.ofSeconds(5)).until(() -> f.spark.master(r.key()).isPresent());
    await().atMost(Duration.ofSeconds(5)).until(() -> f.spark.driver(r.key()).isPresent());
  }

  @Test
  void anIdleStopClusterHasOnlyItsBridgeRead() {
    var cluster = PodFixtures.cluster(1);
    cluster.getSpec().autoTermination = new AutoTerminationSpec(30);
    f.sparkClient.driver(StepFixtures.BRIDGE, new DriverActivity(0, 0, 0, 0, f.clock.instant()));
    var r = f.reconciliation(cluster, StepFixtures.pods(1, "d w0"));

    assertThat(step.reconcile(r).requeueAfter()).contains(StepFixtures.POLL);
    await().atMost(Duration.ofSeconds(5)).until(() -> f.spark.driver(r.key()).isPresent());
    assertThat(f.sparkClient.masterReads()).isEmpty();
  }

  @Test
  void nothingIsReadWhenTheOperatorDoesNotActOnSparkOrTheDriverIsNotReady() {
    var fixed = f.reconciliation(PodFixtures.cluster(1), StepFixtures.pods(1, "d w0"));
    assertThat(step.reconcile(fixed)).isEqualTo(ReconcileProgress.proceed());

    var starting =
        f.reconciliation(StepFixtures.autoscaled(1, 1, 3), StepFixtures.pods(1, "d:pending w0"));
    assertThat(step.reconcile(starting).requeueAfter()).contains(StepFixtures.POLL);

    var suspended = StepFixtures.autoscaled(1, 1, 3);
    suspended.getSpec().suspend = true;
    assertThat(step.reconcile(f.reconciliation(suspended, StepFixtures.pods(1, "d w0"))))
        .isEqualTo(ReconcileProgress.proceed());
    assertThat(f.sparkClient.masterReads()).isEmpty();
  }
}

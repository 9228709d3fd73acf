package io.rspark.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rspark.operator.spark.DriverActivity;
import io.rspark.operator.spark.MasterStatus;
import io.rspark.operator.spark.SparkApp;
import io.rspark.operator.spark.SparkLines;
import io.rspark.operator.spark.SparkWorker;
import io.rspark.operator.testing.PodFixtures;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WorkerCountStepTest {
  private final StepFixtures f = new StepFixtures();
  private final WorkerCountStep step =
      new WorkerCountStep(f.spark, SparkLines.everyLine(PodFixtures.IMAGE));

  @Test
  void withoutAutoscalingTheSpecSaysHowManyWorkers() {
    var r = f.reconciliation(PodFixtures.cluster(3), List.of());
    assertThat(step.reconcile(r)).isEqualTo(ReconcileProgress.proceed());
    assertThat(r.model().workers()).isEqualTo(3);
    assertThat(r.scaling()).isEmpty();
    assertThat(f.events.recorded).isEmpty();
  }

  @Test
  void workWaitingForCoresScalesUpWithAnEventAndTheStatusToShow() {
    var cluster = StepFixtures.autoscaled(1, 1, 4);
    var pods = StepFixtures.pods(1, "d w0");
    f.sparkClient.master(
        StepFixtures.MASTER_UI,
        new MasterStatus(
            "ALIVE",
            List.of(new SparkWorker("w-0", "10.0.0.2", 2, 2, "ALIVE")),
            List.of(new SparkApp("app-1", "rspark", "RUNNING", 2))));
    f.sparkClient.driver(StepFixtures.BRIDGE, new DriverActivity(1, 0, 1, 6, f.clock.instant()));
    f.spark.refresh(
        "ns/spark", Optional.of(StepFixtures.MASTER_UI), Optional.of(StepFixtures.BRIDGE));
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () -> f.spark.master("ns/spark").isPresent() && f.spark.driver("ns/spark").isPresent());

    var r = f.reconciliation(cluster, pods);
    step.reconcile(r);

    assertThat(r.model().workers()).as("doubling at most").isEqualTo(2);
    assertThat(r.scaling().orElseThrow().status().desired).isEqualTo(r.model().workers());
    assertThat(r.scaling().orElseThrow().previous()).isEqualTo(1);
    assertThat(f.events.reasons()).containsExactly("AutoscaledUp");
  }

  @Test
  void withoutReadingsTheAutoscalerKeepsTheCountItHas() {
    var r = f.reconciliation(StepFixtures.autoscaled(2, 1, 4), StepFixtures.pods(2, "d w0 w1"));
    step.reconcile(r);
    assertThat(r.model().workers()).isEqualTo(2);
    assertThat(f.events.recorded).isEmpty();
  }
}

package io.rspark.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rspark.operator.api.AutoTerminationSpec;
import io.rspark.operator.api.ClusterPhase;
import io.rspark.operator.api.RSparkCluster;
import io.rspark.operator.spark.DriverActivity;
import io.rspark.operator.status.Conditions;
import io.rspark.operator.testing.PodFixtures;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IdleStopStepTest {
  private final StepFixtures f = new StepFixtures();
  private final IdleStopStep step = new IdleStopStep(f.spark, new Suspension(f.spark));

  private RSparkCluster idleAfter30() {
    RSparkCluster cluster = PodFixtures.cluster(1);
    cluster.getSpec().autoTermination = new AutoTerminationSpec(30);
    return cluster;
  }

  private void bridgeReports(Instant lastActivity, int sessions) {
    f.sparkClient.driver(StepFixtures.BRIDGE, new DriverActivity(sessions, 0, 0, 0, lastActivity));
    f.spark.refresh("ns/spark", Optional.empty(), Optional.of(StepFixtures.BRIDGE));
    await().atMost(Duration.ofSeconds(5)).until(() -> f.spark.driver("ns/spark").isPresent());
  }

  @Test
  void aClusterIdleLongerThanIdleMinutesIsStopped() {
    Instant last = f.clock.instant();
    f.clock.advance(Duration.ofMinutes(31));
    bridgeReports(last, 0);
    RSparkCluster cluster = idleAfter30();
    var r = f.reconciliation(cluster, StepFixtures.pods(1, "d w0"));

    assertThat(step.reconcile(r)).isEqualTo(ReconcileProgress.done());
    assertThat(f.writer.writes)
        .containsExactly("delete Pod spark-driver", "delete Pod spark-worker-0");
    var status = StepFixtures.patchedStatus(r);
    assertThat(status.phase).isEqualTo(ClusterPhase.Suspended);
    assertThat(StepFixtures.condition(status, Conditions.SUSPENDED).getReason()).isEqualTo("Idle");
    assertThat(status.idleSuspendedGeneration).isEqualTo(cluster.getMetadata().getGeneration());
    assertThat(status.lastActivityTime)
        .isEqualTo(last.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
    assertThat(f.events.reasons()).containsExactly("IdleSuspended");
    assertThat(f.spark.driver("ns/spark")).as("readings go with the pods").isEmpty();
  }

  @Test
  void anAttachedSessionKeepsTheClusterAndItsLastActivityIsNoted() {
    Instant last = f.clock.instant();
    f.clock.advance(Duration.ofMinutes(31));
    bridgeReports(last, 1);
    var r = f.reconciliation(idleAfter30(), StepFixtures.pods(1, "d w0"));

    assertThat(step.reconcile(r)).isEqualTo(ReconcileProgress.proceed());
    assertThat(f.writer.writes).isEmpty();
    assertThat(r.lastActivity())
        .isEqualTo(f.clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
  }

  @Test
  void withoutIdleStopOrADriverThereIsNothingToJudge() {
    var fixed = f.reconciliation(PodFixtures.cluster(1), StepFixtures.pods(1, "d w0"));
    assertThat(step.reconcile(fixed)).isEqualTo(ReconcileProgress.proceed());
    assertThat(fixed.lastActivity()).isNull();

    var noDriver = f.reconciliation(idleAfter30(), StepFixtures.pods(1, "w0"));
    assertThat(step.reconcile(noDriver)).isEqualTo(ReconcileProgress.proceed());
    assertThat(f.writer.writes).isEmpty();
  }
}

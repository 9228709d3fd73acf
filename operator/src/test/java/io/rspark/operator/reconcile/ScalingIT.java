package io.rspark.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.rspark.operator.api.RSparkCluster;
import io.rspark.operator.status.Conditions;
import io.rspark.operator.testing.OperatorHarness;
import io.rspark.operator.testing.TestClusters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Worker count follows spec.workers.replicas, also when changed through the scale subresource. */
class ScalingIT {
  private static OperatorHarness harness;

  @BeforeAll
  static void start() {
    harness = new OperatorHarness("scaling").start();
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  @Test
  void scaleSubresourceAddsAndRemovesWorkersHighestOrdinalFirst() {
    harness.create(TestClusters.cluster("sc", 1));
    harness.awaitReadyWithWorkers("sc", 1);

    var resource =
        harness
            .client()
            .resources(RSparkCluster.class)
            .inNamespace(harness.namespace())
            .withName("sc");
    resource.scale(3);
    harness.awaitReadyWithWorkers("sc", 3);
    Scale scale = resource.scale();
    assertThat(scale.getSpec().getReplicas()).isEqualTo(3);
    assertThat(scale.getStatus().getReplicas()).isEqualTo(3);
    assertThat(scale.getStatus().getSelector())
        .isEqualTo("rspark.io/cluster=sc,rspark.io/role=worker");

    resource.scale(1);
    harness.awaitReadyWithWorkers("sc", 1);
    assertThat(harness.pods("sc"))
        .extracting(p -> p.getMetadata().getName())
        .containsExactlyInAnyOrder("sc-driver", "sc-worker-0");
    assertThat(harness.events("sc"))
        .anySatisfy(
            e -> {
              assertThat(e.getReason()).isEqualTo("ScaledDown");
              assertThat(e.getMessage()).contains("sc-worker-2", "sc-worker-1");
            });
  }

  @Test
  void zeroWorkersIsASingleNodeClusterWithALocalMaster() {
    harness.create(TestClusters.cluster("solo", 0));
    harness.awaitReadyWithWorkers("solo", 0);
    RSparkCluster c = harness.get("solo");
    assertThat(c.getStatus().endpoints.master).isEqualTo("local[*]");
    assertThat(harness.condition("solo", Conditions.WORKERS_READY).getReason())
        .isEqualTo("SingleNode");
    String conf =
        harness
            .client()
            .configMaps()
            .inNamespace(harness.namespace())
            .withName("solo-spark-config")
            .get()
            .getData()
            .get("spark-defaults.conf");
    assertThat(conf).contains("spark.master local[*]");
  }
}

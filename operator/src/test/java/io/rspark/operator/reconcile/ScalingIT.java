package io.rspark.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.rspark.operator.api.RSparkCluster;
import io.rspark.operator.lifecycle.Conditions;
import io.rspark.operator.testing.OperatorHarness;
import io.rspark.operator.testing.TestClusters;
import java.time.Duration;
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

  private void awaitReadyWith(String name, int workers) {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              harness.markAllReady(name);
              assertThat(harness.pods(name)).hasSize(workers + 1);
              assertThat(harness.isTrue(name, Conditions.READY)).isTrue();
              assertThat(harness.get(name).getStatus().workers.ready).isEqualTo(workers);
            });
  }

  @Test
  void scaleSubresourceAddsAndRemovesWorkersHighestOrdinalFirst() {
    harness.create(TestClusters.cluster("sc", 1));
    awaitReadyWith("sc", 1);

    var resource =
        harness
            .client()
            .resources(RSparkCluster.class)
            .inNamespace(harness.namespace())
            .withName("sc");
    resource.scale(3);
    awaitReadyWith("sc", 3);
    Scale scale = resource.scale();
    assertThat(scale.getSpec().getReplicas()).isEqualTo(3);
    assertThat(scale.getStatus().getReplicas()).isEqualTo(3);
    assertThat(scale.getStatus().getSelector())
        .isEqualTo("rspark.io/cluster=sc,rspark.io/role=worker");

    resource.scale(1);
    awaitReadyWith("sc", 1);
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
    awaitReadyWith("solo", 0);
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

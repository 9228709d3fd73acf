package io.rspark.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.rspark.operator.api.ClusterPhase;
import io.rspark.operator.api.RSparkCluster;
import io.rspark.operator.config.OperatorConfig;
import io.rspark.operator.scaling.Decommissioner;
import io.rspark.operator.spark.MasterStatus;
import io.rspark.operator.spark.SparkApp;
import io.rspark.operator.spark.SparkWorker;
import io.rspark.operator.status.Conditions;
import io.rspark.operator.testing.MutableClock;
import io.rspark.operator.testing.OperatorHarness;
import io.rspark.operator.testing.TestClusters;
import io.rspark.operator.testing.TestingSparkClient;
import io.rspark.operator.testing.TestingSparkClient.Decommission;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A `kubectl scale` down of a cluster that neither autoscales nor stops when idle, against the real
 * API server: nothing but the draining worker makes the operator read Spark, and the worker must
 * still leave as soon as Spark is done with it, not at the decommission timeout. A class of its
 * own, so that its Spark's decommission requests are the only ones recorded.
 */
class ManualScaleDownIT {
  private static final URI MASTER_UI = URI.create("http://manual-master.test:8080");
  private static final URI WORKER_1_UI = URI.create("http://manual-worker-1.test:8081");
  private static final SparkApp BRIDGE_APP = new SparkApp("app-1", "rspark", "RUNNING", 4);
  private static final Duration TIMEOUT = Duration.ofMinutes(5);

  private static final MutableClock clock = new MutableClock();
  private static final TestingSparkClient spark = new TestingSparkClient();
  private static OperatorHarness harness;

  @BeforeAll
  static void start() {
    harness =
        new OperatorHarness("scaledown")
            .withClock(clock)
            .withSpark(
                spark,
                driver -> MASTER_UI,
                driver -> URI.create("http://manual-driver.test:8899"),
                worker -> URI.create("http://" + worker.getMetadata().getName() + ".test:8081"))
            .withOption(OperatorConfig.DECOMMISSION_TIMEOUT.name(), TIMEOUT.toString())
            .start();
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  private static SparkWorker worker(int ordinal, String state) {
    return new SparkWorker("worker-" + ordinal, "10.9.1." + ordinal, 2, 2, state);
  }

  private static List<String> podNames() {
    return harness.pods("manual").stream().map(p -> p.getMetadata().getName()).toList();
  }

  private static String scalingMessage() {
    return harness.condition("manual", Conditions.RECONCILING).getMessage();
  }

  @Test
  void theDrainedWorkerIsDeletedAsSoonAsSparkHasLetItGo() {
    spark.master(
        MASTER_UI,
        new MasterStatus(
            "ALIVE", List.of(worker(0, "ALIVE"), worker(1, "ALIVE")), List.of(BRIDGE_APP)));
    harness.create(TestClusters.cluster("manual", 2));
    await()
        .ignoreExceptions()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              harness.markAllReady("manual", OperatorHarness::ordinalIp);
              assertThat(harness.isTrue("manual", Conditions.READY)).isTrue();
              assertThat(harness.get("manual").getStatus().workers.ready).isEqualTo(2);
            });

    harness
        .client()
        .resources(RSparkCluster.class)
        .inNamespace(harness.namespace())
        .withName("manual")
        .scale(1);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(spark.decommissions())
                    .containsExactly(new Decommission(MASTER_UI, "10.9.1.1")));
    // The master still lists the worker alive: it stays, and the status says what it waits for.
    await()
        .ignoreExceptions()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              assertThat(harness.get("manual").getStatus().phase).isEqualTo(ClusterPhase.Scaling);
              assertThat(scalingMessage())
                  .startsWith(
                      "moving from 2 to 1 worker(s); manual-worker-1 is decommissioning: the Spark"
                          + " master still lists it alive (deleted at ")
                  .endsWith(" at the latest)");
            });
    Pod draining =
        harness.pods("manual").stream()
            .filter(p -> p.getMetadata().getName().equals("manual-worker-1"))
            .findFirst()
            .orElseThrow();
    Instant asked = Decommissioner.started(draining).orElseThrow();
    assertThat(scalingMessage()).contains("(deleted at " + asked.plus(TIMEOUT) + " at the latest)");

    // DECOMMISSIONED at once; the worker's executor still moves its blocks away.
    spark.master(
        MASTER_UI,
        new MasterStatus(
            "ALIVE",
            List.of(worker(0, "ALIVE"), worker(1, "DECOMMISSIONED")),
            List.of(BRIDGE_APP)));
    spark.workerExecutors(WORKER_1_UI, 1);
    await()
        .ignoreExceptions()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(scalingMessage())
                    .contains(
                        "manual-worker-1 is decommissioning: the Spark master lists it"
                            + " DECOMMISSIONED; its 1 executor(s) still run, moving their blocks"
                            + " away"));
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(podNames()).contains("manual-worker-1"));

    // The executor is gone: the pod goes within a few polls, minutes before the timeout.
    spark.workerExecutors(WORKER_1_UI, 0);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(podNames())
                    .containsExactlyInAnyOrder("manual-driver", "manual-worker-0"));
    assertThat(Duration.between(asked, clock.instant())).isLessThan(Duration.ofMinutes(1));
    await()
        .ignoreExceptions()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              assertThat(harness.isTrue("manual", Conditions.READY)).isTrue();
              assertThat(harness.get("manual").getStatus().phase).isEqualTo(ClusterPhase.Running);
            });
    assertThat(harness.events("manual"))
        .anySatisfy(
            e -> {
              assertThat(e.getReason()).isEqualTo("ScaledDown");
              assertThat(e.getMessage()).contains("manual-worker-1");
            });
    assertThat(spark.decommissions()).hasSize(1);
  }
}

package io.rspark.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.rspark.operator.api.AutoTerminationSpec;
import io.rspark.operator.api.AutoscalingSpec;
import io.rspark.operator.api.ClusterPhase;
import io.rspark.operator.api.RSparkCluster;
import io.rspark.operator.scaling.Autoscaler;
import io.rspark.operator.scaling.Decommissioner;
import io.rspark.operator.spark.DriverActivity;
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
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Autoscaling, graceful decommission, suspend/resume and idle stop against the real API server,
 * with a Spark that answers what each test sets and a clock the tests move forward. Each action is
 * observed the way users see it: status, conditions and Events.
 */
class LifecycleIT {
  private static final SparkApp BRIDGE_APP = new SparkApp("app-1", "rspark", "RUNNING", 2);

  private static final MutableClock clock = new MutableClock();
  private static final TestingSparkClient spark = new TestingSparkClient();
  private static OperatorHarness harness;

  @BeforeAll
  static void start() {
    harness =
        new OperatorHarness("lifecycle")
            .withClock(clock)
            .withSpark(
                spark,
                driver -> masterUi(clusterOf(driver)),
                driver -> bridge(clusterOf(driver)),
                worker -> workerUi(worker.getMetadata().getName()))
            .start();
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  /** Each cluster's Spark has its own made-up address, so tests do not share answers. */
  private static URI masterUi(String cluster) {
    return URI.create("http://" + cluster + "-master.test:8080");
  }

  private static URI bridge(String cluster) {
    return URI.create("http://" + cluster + "-driver.test:8899");
  }

  private static URI workerUi(String workerPod) {
    return URI.create("http://" + workerPod + ".test:8081");
  }

  private static String clusterOf(Pod driver) {
    return driver.getMetadata().getName().replaceFirst("-driver$", "");
  }

  /** Waits until the cluster is Ready with {@code workers} workers, playing the kubelet. */
  private static void awaitReady(String cluster, int workers) {
    await()
        .ignoreExceptions()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              harness.markAllReady(cluster, OperatorHarness::ordinalIp);
              assertThat(harness.pods(cluster)).hasSize(workers + 1);
              assertThat(harness.isTrue(cluster, Conditions.READY)).isTrue();
              assertThat(harness.get(cluster).getStatus().workers.ready).isEqualTo(workers);
            });
  }

  private static SparkWorker worker(int ordinal, int coresUsed, String state) {
    return new SparkWorker("worker-" + ordinal, "10.9.1." + ordinal, 2, coresUsed, state);
  }

  private static List<String> reasons(String cluster) {
    return harness.events(cluster).stream().map(Event::getReason).toList();
  }

  private static Optional<Event> event(String cluster, String reason) {
    return harness.events(cluster).stream().filter(e -> reason.equals(e.getReason())).findFirst();
  }

  @Test
  void growsOnWaitingWorkAndGivesBackTheIdleWorkerAfterTheDelayThroughDecommission() {
    RSparkCluster c = TestClusters.cluster("auto", 1);
    c.getSpec().workers.autoscaling = new AutoscalingSpec(1, 3, "2m");
    spark.master(
        masterUi("auto"),
        new MasterStatus("ALIVE", List.of(worker(0, 2, "ALIVE")), List.of(BRIDGE_APP)));
    spark.driver(bridge("auto"), new DriverActivity(1, 0, 1, 4, clock.instant()));
    harness.create(c);

    // 4 pending tasks, 2 cores per worker: one more worker (a step at most doubles the cluster).
    await()
        .ignoreExceptions()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              harness.markAllReady("auto", OperatorHarness::ordinalIp);
              RSparkCluster now = harness.get("auto");
              assertThat(now.getStatus().autoscaling.desired).isEqualTo(2);
              assertThat(event("auto", "AutoscaledUp")).isPresent();
              assertThat(now.getStatus().workers.desired).isEqualTo(2);
              assertThat(harness.pods("auto"))
                  .extracting(p -> p.getMetadata().getName())
                  .contains("auto-worker-1");
            });
    assertThat(event("auto", "AutoscaledUp"))
        .hasValueSatisfying(
            e -> assertThat(e.getMessage()).contains("4 task(s) wait for cores", "from 1 to 2"));
    assertThat(harness.get("auto").getSpec().workers.replicas)
        .as("spec stays the user's: the decision lives in status")
        .isEqualTo(1);

    // Work done. The driver first, and seen (no work waits, inside the delay after growing),
    // lest a late reading of the old backlog meet the new worker and grow the cluster again.
    spark.driver(bridge("auto"), new DriverActivity(1, 0, 0, 0, clock.instant()));
    await()
        .ignoreExceptions()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(harness.get("auto").getStatus().autoscaling.reason)
                    .isEqualTo(Autoscaler.SCALE_DOWN_DELAY));
    // Then the master: worker-0 still holds an executor, worker-1 runs nothing.
    spark.master(
        masterUi("auto"),
        new MasterStatus(
            "ALIVE", List.of(worker(0, 2, "ALIVE"), worker(1, 0, "ALIVE")), List.of(BRIDGE_APP)));
    awaitReady("auto", 2);
    await()
        .ignoreExceptions()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              var decided = harness.get("auto").getStatus().autoscaling;
              assertThat(decided.reason).isEqualTo(Autoscaler.SCALE_DOWN_DELAY);
              assertThat(decided.message).startsWith("1 worker(s) without executors");
            });
    assertThat(spark.decommissions()).isEmpty();

    // Past scaleDownDelay since the growth and since the idle worker's clock started. The jump
    // makes the readings stale for a moment: no decision until a fresh one, idle clocks kept.
    clock.advance(Duration.ofMinutes(3));

    await()
        .ignoreExceptions()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(spark.decommissions())
                    .containsExactly(new Decommission(masterUi("auto"), "10.9.1.1")));
    await()
        .ignoreExceptions()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              RSparkCluster decided = harness.get("auto");
              assertThat(decided.getStatus().autoscaling.desired).isEqualTo(1);
              assertThat(decided.getStatus().workers.desired).isEqualTo(1);
              assertThat(decided.getStatus().phase).isEqualTo(ClusterPhase.Scaling);
            });
    assertThat(event("auto", "AutoscaledDown"))
        .hasValueSatisfying(
            e -> assertThat(e.getMessage()).contains("auto-worker-1", "from 2 to 1"));
    assertThat(event("auto", "Decommissioning"))
        .hasValueSatisfying(e -> assertThat(e.getMessage()).contains("auto-worker-1"));

    // Draining: the pod stays, marked, while the master still lists its worker as alive.
    Pod draining =
        harness.pods("auto").stream()
            .filter(p -> p.getMetadata().getName().equals("auto-worker-1"))
            .findFirst()
            .orElseThrow();
    assertThat(draining.getMetadata().getAnnotations()).containsKey(Decommissioner.STARTED);
    assertThat(draining.getMetadata().getDeletionTimestamp()).isNull();
    assertThat(reasons("auto")).doesNotContain("ScaledDown");

    spark.master(
        masterUi("auto"),
        new MasterStatus(
            "ALIVE",
            List.of(worker(0, 2, "ALIVE"), worker(1, 0, "DECOMMISSIONED")),
            List.of(BRIDGE_APP)));
    // DECOMMISSIONED comes at once; the worker's executor may still be migrating its blocks.
    spark.workerExecutors(workerUi("auto-worker-1"), 1);
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(harness.pods("auto"))
                    .extracting(p -> p.getMetadata().getName())
                    .contains("auto-worker-1"));
    spark.workerExecutors(workerUi("auto-worker-1"), 0);
    awaitReady("auto", 1);
    assertThat(harness.pods("auto"))
        .extracting(p -> p.getMetadata().getName())
        .containsExactlyInAnyOrder("auto-driver", "auto-worker-0");
    assertThat(event("auto", "ScaledDown"))
        .hasValueSatisfying(e -> assertThat(e.getMessage()).contains("auto-worker-1"));
    assertThat(spark.decommissions()).hasSize(1);
  }

  @Test
  void noScaleDownWhileTheMasterCannotBeRead() {
    RSparkCluster c = TestClusters.cluster("blind", 2);
    c.getSpec().workers.autoscaling = new AutoscalingSpec(1, 3, "1m");
    harness.create(c);
    await()
        .ignoreExceptions()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              harness.markAllReady("blind", OperatorHarness::ordinalIp);
              assertThat(harness.get("blind").getStatus().autoscaling.reason)
                  .isEqualTo(Autoscaler.SPARK_UNREADABLE);
            });
    // Only this test's cluster reads an unreachable address: a second client would be shared.
    assertThat(harness.get("blind").getStatus().autoscaling.desired).isEqualTo(2);
    assertThat(harness.pods("blind")).hasSize(3);
  }

  @Test
  void suspendRemovesThePodsAndKeepsTheRestUntilResumed() {
    harness.create(TestClusters.cluster("park", 1));
    harness.awaitReadyWithWorkers("park", 1);

    harness.edit("park", c -> c.getSpec().suspend = true);
    await()
        .ignoreExceptions()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(harness.pods("park")).isEmpty();
              RSparkCluster now = harness.get("park");
              assertThat(now.getStatus().phase).isEqualTo(ClusterPhase.Suspended);
              assertThat(harness.condition("park", Conditions.SUSPENDED).getStatus())
                  .isEqualTo("True");
              assertThat(harness.condition("park", Conditions.SUSPENDED).getReason())
                  .isEqualTo("Suspended");
              assertThat(harness.isTrue("park", Conditions.READY)).isFalse();
            });
    assertThat(reasons("park")).contains("Suspended");
    String ns = harness.namespace();
    assertThat(harness.client().secrets().inNamespace(ns).withName("park-spark-auth").get())
        .isNotNull();
    assertThat(harness.client().configMaps().inNamespace(ns).withName("park-spark-config").get())
        .isNotNull();
    assertThat(harness.client().services().inNamespace(ns).list().getItems())
        .anyMatch(s -> s.getMetadata().getName().startsWith("park"));

    harness.edit("park", c -> c.getSpec().suspend = false);
    harness.awaitReadyWithWorkers("park", 1);
    assertThat(harness.condition("park", Conditions.SUSPENDED).getStatus()).isEqualTo("False");
    assertThat(harness.get("park").getStatus().phase).isEqualTo(ClusterPhase.Running);
    assertThat(reasons("park")).contains("Resumed");
  }

  @Test
  void anIdleClusterStopsItselfAndASpecChangeBringsItBack() {
    RSparkCluster c = TestClusters.cluster("nap", 0);
    c.getSpec().autoTermination = new AutoTerminationSpec(30);
    spark.driver(bridge("nap"), new DriverActivity(0, 0, 0, 0, clock.instant()));
    harness.create(c);
    harness.awaitReadyWithWorkers("nap", 0);
    await()
        .ignoreExceptions()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> assertThat(harness.get("nap").getStatus().lastActivityTime).isNotNull());

    clock.advance(Duration.ofMinutes(31));
    await()
        .ignoreExceptions()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(harness.pods("nap")).isEmpty();
              RSparkCluster now = harness.get("nap");
              assertThat(now.getStatus().phase).isEqualTo(ClusterPhase.Suspended);
              assertThat(harness.condition("nap", Conditions.SUSPENDED).getReason())
                  .isEqualTo("Idle");
              assertThat(now.getStatus().idleSuspendedGeneration)
                  .isEqualTo(now.getMetadata().getGeneration());
            });
    assertThat(event("nap", "IdleSuspended"))
        .hasValueSatisfying(e -> assertThat(e.getMessage()).contains("no Spark job"));
    assertThat(
            harness
                .client()
                .secrets()
                .inNamespace(harness.namespace())
                .withName("nap-spark-auth")
                .get())
        .isNotNull();

    // The bridge of the new driver reports its own start as activity.
    spark.driver(bridge("nap"), new DriverActivity(0, 0, 0, 0, clock.instant()));
    harness.edit("nap", n -> n.getSpec().autoTermination = new AutoTerminationSpec(60));
    harness.awaitReadyWithWorkers("nap", 0);
    assertThat(harness.condition("nap", Conditions.SUSPENDED).getStatus()).isEqualTo("False");
    assertThat(harness.get("nap").getStatus().idleSuspendedGeneration).isNull();
    assertThat(reasons("nap")).contains("Resumed");
    assertThat(reasons("nap").stream().filter("IdleSuspended"::equals)).hasSize(1);
  }
}

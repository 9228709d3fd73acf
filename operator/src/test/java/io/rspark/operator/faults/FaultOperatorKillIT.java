package io.rspark.operator.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.rspark.operator.testing.LogCapture;
import io.rspark.operator.testing.OperatorHarness;
import io.rspark.operator.testing.RequestCounter;
import io.rspark.operator.testing.TestClusters;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator dies in the middle of creating a cluster (its client closed under it, then stopped)
 * at a different pod each time, several times in a row; each new operator picks up from what the
 * API server holds and the cluster converges without duplicates or orphans.
 */
class FaultOperatorKillIT {
  private static LogCapture logs;
  private static OperatorHarness harness;

  @BeforeAll
  static void start() {
    logs = LogCapture.attach();
    harness = new OperatorHarness("fault-kill");
  }

  @AfterAll
  static void stop() {
    harness.close();
    logs.close();
  }

  @Test
  void killedWhileCreatingPodsSeveralTimesThenConverges() throws Exception {
    harness.create(TestClusters.cluster("crash", 8));
    int killsAtPod = 1;
    int writesBefore = 0;
    for (int round = 0; round < 3; round++) {
      CountDownLatch reached = killAtPodCreate(killsAtPod);
      harness.start();
      assertThat(reached.await(60, TimeUnit.SECONDS))
          .as("round %d: the operator reached pod create number %d", round, killsAtPod)
          .isTrue();
      harness.kill();
      int writes =
          (int) harness.requests().stream().filter(RequestCounter.Request::isWrite).count();
      assertThat(writes).as("round %d wrote something", round).isGreaterThan(writesBefore);
      writesBefore = writes;
      assertThat(harness.pods("crash").size())
          .as("round %d left the cluster half made", round)
          .isLessThan(9);
      // Meanwhile the kubelet starts what was created.
      harness.markAllReady("crash");
      killsAtPod = 3;
    }
    harness.beforeEachRequest(r -> {});

    harness.start();
    Invariants.awaitConverged(harness, "crash");
    assertThat(
            harness
                .client()
                .secrets()
                .inNamespace(harness.namespace())
                .withLabel("rspark.io/cluster", "crash")
                .list()
                .getItems())
        .as("one auth Secret across four operators")
        .hasSize(1);
    Invariants.assertHealthyEnd(harness, logs, "crash");
    harness.stop();
  }

  @Test
  void killedDuringAScaleUpWithASpecChangeWhileDownConverges() throws Exception {
    harness.beforeEachRequest(r -> {});
    harness.start();
    harness.create(TestClusters.cluster("grow", 1));
    Invariants.awaitConverged(harness, "grow");

    CountDownLatch reached = killAtPodCreate(2);
    harness.edit("grow", c -> c.getSpec().workers.replicas = 6);
    assertThat(reached.await(60, TimeUnit.SECONDS)).isTrue();
    harness.kill();
    harness.beforeEachRequest(r -> {});
    int halfway = harness.pods("grow").size();
    assertThat(halfway).as("killed mid scale-up").isBetween(2, 6);
    harness.edit(
        "grow",
        c -> {
          c.getSpec().workers.replicas = 4;
          c.getSpec().image = TestClusters.IMAGE + "-patched";
        });

    harness.start();
    Invariants.awaitConverged(harness, "grow");
    Invariants.assertHealthyEnd(harness, logs, "grow");
    harness.stop();
  }

  /** Counts down when the operator is about to send its {@code n}th pod create from now on. */
  private static CountDownLatch killAtPodCreate(int n) {
    CountDownLatch reached = new CountDownLatch(1);
    AtomicInteger creates = new AtomicInteger();
    harness.beforeEachRequest(
        r -> {
          if (r.method().equals("POST") && r.uri().matches(".*/pods(\\?.*)?$")) {
            if (creates.incrementAndGet() == n) {
              reached.countDown();
              // Hold the operator here until the test has killed it, so the kill lands
              // exactly between pod creates.
              awaitQuietly(Duration.ofSeconds(5));
            }
          }
        });
    return reached;
  }

  private static void awaitQuietly(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

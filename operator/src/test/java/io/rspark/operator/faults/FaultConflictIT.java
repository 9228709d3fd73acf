package io.rspark.operator.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.rspark.operator.api.RSparkCluster;
import io.rspark.operator.resources.ClusterModel;
import io.rspark.operator.resources.PodFactory;
import io.rspark.operator.resources.ResourceNames;
import io.rspark.operator.status.Conditions;
import io.rspark.operator.testing.KubeApiKit;
import io.rspark.operator.testing.LogCapture;
import io.rspark.operator.testing.OperatorHarness;
import io.rspark.operator.testing.TestClusters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Writers racing the operator: several clients editing one spec with optimistic locking (409s)
 * while it reconciles and patches status, and objects appearing under the names the operator is
 * about to create (AlreadyExists).
 */
class FaultConflictIT {
  private static final int EDITORS = 4;
  private static final int ROUNDS = 8;

  private static LogCapture logs;
  private static OperatorHarness harness;

  @BeforeAll
  static void start() {
    logs = LogCapture.attach();
    harness = new OperatorHarness("fault-conflict").start();
  }

  @AfterAll
  static void stop() {
    harness.close();
    logs.close();
  }

  @Test
  void concurrentSpecEditsWithOptimisticLockingConverge() throws Exception {
    harness.create(TestClusters.cluster("busy", 2));
    Invariants.awaitConverged(harness, "busy");

    AtomicInteger applied = new AtomicInteger();
    AtomicInteger conflicts = new AtomicInteger();
    AtomicBoolean editing = new AtomicBoolean(true);
    CyclicBarrier sameVersion = new CyclicBarrier(EDITORS);
    ExecutorService pool = Executors.newFixedThreadPool(EDITORS + 1);
    List<Future<?>> editors = new ArrayList<>();
    List<KubernetesClient> clients = new ArrayList<>();
    for (int t = 0; t < EDITORS; t++) {
      KubernetesClient client = KubeApiKit.get().newClient();
      clients.add(client);
      Random random = new Random(t);
      int editor = t;
      editors.add(
          pool.submit(
              () -> {
                for (int round = 0; round < ROUNDS; round++) {
                  RSparkCluster c =
                      client
                          .resources(RSparkCluster.class)
                          .inNamespace(harness.namespace())
                          .withName("busy")
                          .get();
                  c.getSpec().workers.replicas = random.nextInt(5);
                  c.getSpec().image = TestClusters.IMAGE + (random.nextBoolean() ? "" : "-b");
                  // Never a no-op: a no-op update is answered without a write, and when the
                  // apiserver compares its stale resourceVersion with a lagging watch cache it
                  // can succeed, so two writers could "win" one round.
                  c.getMetadata().getAnnotations().put("test/edit", editor + "-" + round);
                  // Everyone writes the version they all read: one wins, the others get 409.
                  sameVersion.await(30, TimeUnit.SECONDS);
                  try {
                    client.resource(c).update();
                    applied.incrementAndGet();
                  } catch (KubernetesClientException e) {
                    assertThat(e.getCode()).as(e.getMessage()).isEqualTo(409);
                    conflicts.incrementAndGet();
                  }
                  Thread.sleep(random.nextInt(300));
                }
                return null;
              }));
    }
    // The kubelet keeps starting whatever the operator creates meanwhile.
    Future<?> kubelet =
        pool.submit(
            () -> {
              while (editing.get()) {
                try {
                  harness.markAllReady("busy");
                } catch (KubernetesClientException e) {
                  // A pod the operator deleted between our read and our status write.
                  assertThat(e.getCode()).as(e.getMessage()).isIn(404, 409);
                }
                Thread.sleep(100);
              }
              return null;
            });
    for (Future<?> editor : editors) {
      editor.get(120, TimeUnit.SECONDS);
    }
    editing.set(false);
    kubelet.get(10, TimeUnit.SECONDS);
    pool.shutdown();
    clients.forEach(KubernetesClient::close);

    // Per round at most one writer wins (none, when the operator's status write came between).
    assertThat(applied.get()).as("edits applied").isBetween(1, ROUNDS);
    assertThat(conflicts.get())
        .as("edits refused with 409")
        .isGreaterThanOrEqualTo(ROUNDS * (EDITORS - 1));
    assertThat(applied.get() + conflicts.get()).isEqualTo(EDITORS * ROUNDS);
    long generation = harness.get("busy").getMetadata().getGeneration();
    assertThat(generation).as("generations the edits made").isGreaterThan(1);
    Invariants.awaitConverged(harness, "busy");
    Invariants.assertHealthyEnd(harness, logs, "busy");
  }

  /**
   * Another writer (a second operator replica with a stale lease, or a retried request) creates the
   * driver pod just before the operator's own create reaches the server: the operator meets 409
   * AlreadyExists, keeps that pod and makes no second one.
   */
  @Test
  void podCreatedUnderTheOperatorsFeetIsKept() {
    AtomicReference<String> raced = new AtomicReference<>();
    harness.beforeEachRequest(
        r -> {
          if (raced.get() == null
              && r.method().equals("POST")
              && r.uri().endsWith("/namespaces/" + harness.namespace() + "/pods")) {
            raced.set(createDriverLikeTheOperator("race").getMetadata().getUid());
          }
        });
    try {
      harness.create(TestClusters.cluster("race", 2));
      await().atMost(Invariants.CONVERGE).until(() -> raced.get() != null);
    } finally {
      harness.beforeEachRequest(r -> {});
    }
    Invariants.awaitConverged(harness, "race");
    assertThat(
            harness.client().pods().inNamespace(harness.namespace()).withName("race-driver").get())
        .extracting(p -> p.getMetadata().getUid())
        .as("the driver created under the operator's feet is the one kept")
        .isEqualTo(raced.get());
    Invariants.assertHealthyEnd(harness, logs, "race");
  }

  /**
   * A pod the operator does not own (no labels, no owner) already has a worker's name: the operator
   * cannot create that worker, says so, and completes the cluster once the name is free.
   */
  @Test
  void foreignPodHoldingAWorkersNameStallsUntilItGoes() {
    Pod squatter =
        new PodBuilder()
            .withNewMetadata()
            .withName("squat-worker-1")
            .withNamespace(harness.namespace())
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("other")
            .withImage("busybox")
            .endContainer()
            .endSpec()
            .build();
    harness.client().resource(squatter).create();
    harness.create(TestClusters.cluster("squat", 2));

    await()
        .atMost(Invariants.CONVERGE)
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(
            () -> {
              harness.markAllReady("squat");
              var stalled = harness.condition("squat", Conditions.STALLED);
              assertThat(stalled).isNotNull();
              assertThat(stalled.getStatus()).isEqualTo("True");
              assertThat(stalled.getReason()).isEqualTo("PodNameTaken");
              assertThat(stalled.getMessage()).contains("squat-worker-1");
            });
    assertThat(harness.events("squat")).anyMatch(e -> "ObjectRejected".equals(e.getReason()));
    assertThat(
            harness
                .client()
                .pods()
                .inNamespace(harness.namespace())
                .withName("squat-worker-1")
                .get()
                .getSpec()
                .getContainers()
                .get(0)
                .getImage())
        .as("the foreign pod is left alone")
        .isEqualTo("busybox");

    // The squatter goes at the worst moment: after the operator's create met it (409), just before
    // the operator reads it. No event follows for a pod that does not exist, so the operator must
    // not end that reconcile as if its pod were there.
    AtomicBoolean gone = new AtomicBoolean();
    harness.beforeEachRequest(
        r -> {
          if (r.method().equals("GET")
              && r.uri().endsWith("/pods/squat-worker-1")
              && gone.compareAndSet(false, true)) {
            harness.client().resource(squatter).delete();
          }
        });
    try {
      await().atMost(Invariants.CONVERGE).until(gone::get);
      Invariants.awaitConverged(harness, "squat");
    } finally {
      harness.beforeEachRequest(r -> {});
    }
    Invariants.assertHealthyEnd(harness, logs, "squat");
  }

  /**
   * A Secret the cluster does not control under the auth Secret's name: the operator must not mount
   * someone else's value into its pods, so it creates no pod until the name is free.
   */
  @Test
  void foreignSecretHoldingTheAuthSecretsNameIsNeverUsed() {
    harness
        .client()
        .resource(
            new io.fabric8.kubernetes.api.model.SecretBuilder()
                .withNewMetadata()
                .withName("spy-spark-auth")
                .withNamespace(harness.namespace())
                .endMetadata()
                .addToStringData("spark-auth-secret", "0".repeat(64))
                .build())
        .create();
    harness.create(TestClusters.cluster("spy", 1));
    await()
        .atMost(Invariants.CONVERGE)
        .untilAsserted(
            () -> {
              var stalled = harness.condition("spy", Conditions.STALLED);
              assertThat(stalled).isNotNull();
              assertThat(stalled.getStatus()).isEqualTo("True");
              assertThat(stalled.getReason()).isEqualTo("SecretNameTaken");
              assertThat(stalled.getMessage()).contains("spy-spark-auth");
            });
    assertThat(harness.pods("spy")).as("no pod mounts a foreign Secret").isEmpty();

    harness.client().secrets().inNamespace(harness.namespace()).withName("spy-spark-auth").delete();
    Invariants.awaitConverged(harness, "spy");
    assertThat(Invariants.authSecret(harness, "spy")).isNotEqualTo("0".repeat(64));
    Invariants.assertHealthyEnd(harness, logs, "spy");
  }

  private static Pod createDriverLikeTheOperator(String cluster) {
    KubernetesClient client = harness.client();
    RSparkCluster c = harness.get(cluster);
    String secretUid =
        client
            .secrets()
            .inNamespace(harness.namespace())
            .withName(ResourceNames.authSecret(c))
            .get()
            .getMetadata()
            .getUid();
    return client
        .resource(PodFactory.driver(ClusterModel.of(c, TestClusters.IMAGE), secretUid))
        .create();
  }
}

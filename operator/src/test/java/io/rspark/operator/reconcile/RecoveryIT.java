package io.rspark.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.rspark.operator.api.RSparkCluster;
import io.rspark.operator.resources.Labels;
import io.rspark.operator.status.Conditions;
import io.rspark.operator.testing.OperatorHarness;
import io.rspark.operator.testing.TestClusters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Deleted and failed pods come back; an operator restart converges without duplicates. */
class RecoveryIT {
  private static OperatorHarness harness;

  @BeforeAll
  static void start() {
    harness = new OperatorHarness("recovery").start();
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  private Pod pod(String name) {
    return harness.client().pods().inNamespace(harness.namespace()).withName(name).get();
  }

  @Test
  void deletedWorkerIsRecreated() {
    harness.create(TestClusters.cluster("del", 2));
    harness.awaitReadyWithWorkers("del", 2);
    String oldUid = pod("del-worker-1").getMetadata().getUid();
    harness.client().resource(pod("del-worker-1")).delete();
    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () ->
                pod("del-worker-1") != null
                    && !oldUid.equals(pod("del-worker-1").getMetadata().getUid()));
    harness.awaitReadyWithWorkers("del", 2);
  }

  @Test
  void failedWorkerIsRecreatedAfterABackoffAndReportedMeanwhile() {
    harness.create(TestClusters.cluster("fail", 1));
    harness.awaitReadyWithWorkers("fail", 1);
    String oldUid = pod("fail-worker-0").getMetadata().getUid();
    harness.markFailed(pod("fail-worker-0"));
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () ->
                assertThat(harness.events("fail"))
                    .anySatisfy(
                        e -> {
                          assertThat(e.getReason()).isEqualTo("PodFailed");
                          assertThat(e.getType()).isEqualTo("Warning");
                        }));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                pod("fail-worker-0") != null
                    && !oldUid.equals(pod("fail-worker-0").getMetadata().getUid()));
    harness.awaitReadyWithWorkers("fail", 1);
    assertThat(harness.condition("fail", Conditions.STALLED).getStatus()).isEqualTo("False");
  }

  @Test
  void operatorStoppedMidwayConvergesAfterRestartWithoutDuplicatesOrOrphans() {
    harness.create(TestClusters.cluster("restart", 4));
    await().atMost(Duration.ofSeconds(15)).until(() -> !harness.pods("restart").isEmpty());
    harness.stop();
    String secretUid = secret("restart").getMetadata().getUid();
    // Meanwhile the spec changes and a pod disappears.
    harness.edit("restart", c -> c.getSpec().workers.replicas = 5);
    harness.pods("restart").stream()
        .findFirst()
        .ifPresent(p -> harness.client().resource(p).delete());

    harness.start();
    harness.awaitReadyWithWorkers("restart", 5);
    assertThat(harness.pods("restart"))
        .extracting(p -> p.getMetadata().getName())
        .containsExactlyInAnyOrder(
            "restart-driver",
            "restart-worker-0",
            "restart-worker-1",
            "restart-worker-2",
            "restart-worker-3",
            "restart-worker-4");
    assertThat(secret("restart").getMetadata().getUid())
        .as("the auth Secret is kept across restarts")
        .isEqualTo(secretUid);
    RSparkCluster cluster = harness.get("restart");
    List<HasMetadata> owned = ownedObjects("restart");
    assertThat(owned).hasSize(6 + 4);
    assertThat(owned)
        .allSatisfy(
            o ->
                assertThat(o.getMetadata().getOwnerReferences())
                    .singleElement()
                    .satisfies(
                        r -> assertThat(r.getUid()).isEqualTo(cluster.getMetadata().getUid())));

    harness.client().resource(cluster).delete();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(ownedObjects("restart")).as("left behind").isEmpty());
  }

  private io.fabric8.kubernetes.api.model.Secret secret(String cluster) {
    return harness
        .client()
        .secrets()
        .inNamespace(harness.namespace())
        .withName(cluster + "-spark-auth")
        .get();
  }

  private List<HasMetadata> ownedObjects(String cluster) {
    var c = harness.client();
    String ns = harness.namespace();
    List<HasMetadata> all = new ArrayList<>();
    all.addAll(c.pods().inNamespace(ns).withLabel(Labels.CLUSTER, cluster).list().getItems());
    all.addAll(c.secrets().inNamespace(ns).withLabel(Labels.CLUSTER, cluster).list().getItems());
    all.addAll(c.configMaps().inNamespace(ns).withLabel(Labels.CLUSTER, cluster).list().getItems());
    all.addAll(c.services().inNamespace(ns).withLabel(Labels.CLUSTER, cluster).list().getItems());
    all.addAll(
        c.network()
            .v1()
            .networkPolicies()
            .inNamespace(ns)
            .withLabel(Labels.CLUSTER, cluster)
            .list()
            .getItems());
    return all;
  }
}

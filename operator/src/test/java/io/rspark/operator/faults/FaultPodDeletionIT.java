package io.rspark.operator.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.rspark.operator.testing.LogCapture;
import io.rspark.operator.testing.OperatorHarness;
import io.rspark.operator.testing.TestClusters;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Pods deleted under a running cluster come back under their own names, and nothing else. */
class FaultPodDeletionIT {
  private static LogCapture logs;
  private static OperatorHarness harness;

  @BeforeAll
  static void start() {
    logs = LogCapture.attach();
    harness = new OperatorHarness("fault-delete").start();
  }

  @AfterAll
  static void stop() {
    harness.close();
    logs.close();
  }

  @Test
  void deletedDriverIsRecreated() {
    harness.create(TestClusters.cluster("drv", 2));
    Invariants.awaitConverged(harness, "drv");
    Map<String, String> before = uids("drv");

    harness.client().resource(pod("drv-driver")).delete();

    awaitReplaced("drv", List.of("drv-driver"), before);
    Invariants.awaitConverged(harness, "drv");
    Map<String, String> after = uids("drv");
    assertThat(after.get("drv-worker-0")).isEqualTo(before.get("drv-worker-0"));
    assertThat(after.get("drv-worker-1")).isEqualTo(before.get("drv-worker-1"));
    Invariants.assertHealthyEnd(harness, logs, "drv");
  }

  @Test
  void deletedWorkerIsRecreated() {
    harness.create(TestClusters.cluster("wrk", 3));
    Invariants.awaitConverged(harness, "wrk");
    Map<String, String> before = uids("wrk");

    harness.client().resource(pod("wrk-worker-1")).delete();

    awaitReplaced("wrk", List.of("wrk-worker-1"), before);
    Invariants.awaitConverged(harness, "wrk");
    Map<String, String> after = uids("wrk");
    for (String kept : List.of("wrk-driver", "wrk-worker-0", "wrk-worker-2")) {
      assertThat(after.get(kept)).as(kept + " untouched").isEqualTo(before.get(kept));
    }
    Invariants.assertHealthyEnd(harness, logs, "wrk");
  }

  @Test
  void everyPodDeletedAtOnceIsRecreatedOnce() {
    harness.create(TestClusters.cluster("all", 4));
    Invariants.awaitConverged(harness, "all");
    Map<String, String> before = uids("all");

    harness
        .client()
        .pods()
        .inNamespace(harness.namespace())
        .withLabel("rspark.io/cluster", "all")
        .delete();

    awaitReplaced("all", List.copyOf(before.keySet()), before);
    Invariants.awaitConverged(harness, "all");
    Invariants.assertHealthyEnd(harness, logs, "all");
  }

  private void awaitReplaced(String cluster, List<String> names, Map<String, String> before) {
    await()
        .atMost(Invariants.CONVERGE)
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              Map<String, String> now = uids(cluster);
              for (String name : names) {
                assertThat(now).as("pods of %s", cluster).containsKey(name);
                assertThat(now.get(name)).as(name + " recreated").isNotEqualTo(before.get(name));
              }
            });
  }

  private Map<String, String> uids(String cluster) {
    return harness.pods(cluster).stream()
        .collect(Collectors.toMap(p -> p.getMetadata().getName(), p -> p.getMetadata().getUid()));
  }

  private Pod pod(String name) {
    Pod pod = harness.client().pods().inNamespace(harness.namespace()).withName(name).get();
    assertThat(pod).as(name).isNotNull();
    return pod;
  }
}

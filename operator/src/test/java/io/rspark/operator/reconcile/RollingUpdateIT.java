package io.rspark.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.rspark.operator.resources.Labels;
import io.rspark.operator.status.Conditions;
import io.rspark.operator.testing.OperatorHarness;
import io.rspark.operator.testing.TestClusters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A change of pod contents replaces workers one at a time, then the driver. */
class RollingUpdateIT {
  private static OperatorHarness harness;

  @BeforeAll
  static void start() {
    harness = new OperatorHarness("rolling").start();
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  private record PodEvent(Watcher.Action action, String name) {}

  @Test
  void imageEditReplacesWorkersOneByOneThenTheDriver() {
    harness.create(TestClusters.cluster("roll", 3));
    harness.awaitReadyWithWorkers("roll", 3);

    List<PodEvent> events = new CopyOnWriteArrayList<>();
    try (Watch watch =
        harness
            .client()
            .pods()
            .inNamespace(harness.namespace())
            .withLabel(Labels.CLUSTER, "roll")
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, Pod pod) {
                    events.add(new PodEvent(action, pod.getMetadata().getName()));
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                })) {
      harness.edit("roll", c -> c.getSpec().image = TestClusters.IMAGE + "-patched");
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(300))
          .untilAsserted(
              () -> {
                harness.markAllReady("roll");
                List<Pod> pods = harness.pods("roll");
                assertThat(pods).hasSize(4);
                assertThat(pods)
                    .allSatisfy(
                        p ->
                            assertThat(p.getSpec().getContainers().get(0).getImage())
                                .endsWith("-patched"));
                assertThat(harness.isTrue("roll", Conditions.READY)).isTrue();
              });
    }

    List<String> deleted =
        events.stream()
            .filter(e -> e.action() == Watcher.Action.DELETED)
            .map(PodEvent::name)
            .toList();
    assertThat(deleted)
        .containsExactly("roll-worker-2", "roll-worker-1", "roll-worker-0", "roll-driver");
    // At most one worker is away at a time: a worker is deleted only after the previous one
    // came back.
    Set<String> away = new HashSet<>();
    List<Integer> awayAtDeletion = new ArrayList<>();
    for (PodEvent e : events) {
      if (e.action() == Watcher.Action.DELETED) {
        away.add(e.name());
        awayAtDeletion.add(away.size());
      } else if (e.action() == Watcher.Action.ADDED) {
        away.remove(e.name());
      }
    }
    assertThat(awayAtDeletion).containsOnly(1);
    assertThat(harness.events("roll")).anyMatch(e -> "PodReplaced".equals(e.getReason()));
  }

  @Test
  void sparkConfEditReachesPodsThroughTheirConfigHash() {
    harness.create(TestClusters.cluster("conf", 1));
    harness.awaitReadyWithWorkers("conf", 1);
    String before =
        harness.pods("conf").get(0).getMetadata().getAnnotations().get("rspark.io/config-hash");
    harness.edit("conf", c -> c.getSpec().sparkConf.put("spark.sql.shuffle.partitions", "64"));
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(300))
        .untilAsserted(
            () -> {
              harness.markAllReady("conf");
              assertThat(harness.pods("conf"))
                  .hasSize(2)
                  .allSatisfy(
                      p ->
                          assertThat(p.getMetadata().getAnnotations().get("rspark.io/config-hash"))
                              .isNotEqualTo(before));
              assertThat(harness.isTrue("conf", Conditions.READY)).isTrue();
            });
    assertThat(
            harness
                .client()
                .configMaps()
                .inNamespace(harness.namespace())
                .withName("conf-spark-config")
                .get()
                .getData()
                .get("spark-defaults.conf"))
        .contains("spark.sql.shuffle.partitions 64");
  }
}

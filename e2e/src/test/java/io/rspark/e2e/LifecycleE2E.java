package io.rspark.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the operator does by itself on real pods: idle stop that an attached R session holds off,
 * and {@code scheduler: kubernetes}, where Spark in the driver starts executor pods from the
 * operator's template and a job runs on them.
 */
@ExtendWith({E2eEnvironment.class, E2eRun.class})
class LifecycleE2E {
  private static final String IDLE = "idle";
  private static final String ELASTIC = "elastic";

  private static Namespace ns;

  @BeforeAll
  static void namespace() {
    ns = E2eRun.current().ns;
  }

  @AfterAll
  static void removeClusters() {
    if (ns != null) {
      ns.deleteClusters(IDLE, ELASTIC);
    }
  }

  @Test
  void anAttachedSessionHoldsOffIdleStopAndTheClusterStopsOnceItLeaves() throws Exception {
    Kubectl.apply(ClustersE2E.cluster(IDLE, 0, "autoTermination: {idleMinutes: 1}"));
    ns.awaitReady(IDLE);
    try (Attach attach = Attach.sparkR(ns, IDLE);
        SparkRWire r = attach.session()) {
      assertThat(r.firstValue("SELECT count(*) FROM range(0, 1000)")).isEqualTo("1000");
      // Well past idleMinutes with the session attached and no job: still running.
      Thread.sleep(Duration.ofSeconds(100).toMillis());
      assertThat(ns.cluster(IDLE, "{.status.phase}")).isEqualTo("Running");
      assertThat(ns.pods(IDLE)).containsExactly(IDLE + "-driver");
    }
    long left = System.nanoTime();
    await()
        .atMost(Duration.ofMinutes(5))
        .pollInterval(Duration.ofSeconds(5))
        .until(() -> "Suspended".equals(ns.cluster(IDLE, "{.status.phase}")));
    Figures.seconds(
        "idle stop (idleMinutes 1): last session gone -> Suspended",
        Duration.ofNanos(System.nanoTime() - left));
    assertThat(ns.cluster(IDLE, "{.status.conditions[?(@.type==\"Suspended\")].reason}"))
        .isEqualTo("Idle");
    await()
        .atMost(E2eEnvironment.timeout())
        .pollInterval(Duration.ofSeconds(2))
        .until(() -> ns.pods(IDLE).isEmpty());
  }

  @Test
  void kubernetesSchedulerRunsJobsOnExecutorPodsSparkStarts() throws Exception {
    Kubectl.apply(
        """
        apiVersion: rspark.io/v1alpha1
        kind: RSparkCluster
        metadata: {name: %s, namespace: %s}
        spec:
          scheduler: kubernetes
          driver: {resources: {cpu: 250m, memory: 2Gi}}
          executors:
            minExecutors: 1
            maxExecutors: 2
            resources: {cpu: 250m, memory: 1536Mi}
        """
            .formatted(ELASTIC, ns.name));
    ns.awaitReady(ELASTIC);
    try (Attach attach = Attach.sparkR(ns, ELASTIC);
        SparkRWire r = attach.session()) {
      assertThat(r.firstValue("SELECT sum(id) FROM range(0, 1000000, 1, 8)"))
          .isEqualTo("499999500000");
      Set<String> executors =
          ns.pods(ELASTIC).stream()
              .filter(p -> !p.equals(ELASTIC + "-driver"))
              .collect(Collectors.toCollection(TreeSet::new));
      assertThat(executors).isNotEmpty();
      String hosts = r.firstValue(ClustersE2E.R_HOSTS_QUERY);
      assertThat(Arrays.asList(hosts.split(","))).isNotEmpty().allMatch(executors::contains);
      for (String executor : executors) {
        assertThat(ns.pod(executor, "{.metadata.ownerReferences[0].name}"))
            .isEqualTo(ELASTIC + "-driver");
        ClustersE2E.assertRestricted(executor);
        assertThat(ns.kubectl("logs", executor))
            .as("the bridge's jar is on the executor pod's class path (SPARK_CLASSPATH)")
            .contains(
                "Initialized executor component for plugin io.rspark.bridge.SessionFilesPlugin");
      }
    }
    assertThat(ns.cluster(ELASTIC, "{.status.executors.running}")).isNotIn("", "0");
  }
}

package io.rspark.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The multi-worker scenario on both Spark lines, and a change of line on a running cluster
 * (docs/spark-versions.md): a 1 + 2 worker cluster on 3.5 runs a shuffle job and R on its workers;
 * {@code spec.sparkVersion: "4.2"} then replaces every pod with the 4.2 image, and the same jobs
 * run on Spark 4.2.0, on the new workers, through the same {@code kubectl rspark attach}.
 */
@ExtendWith({E2eEnvironment.class, E2eRun.class})
class SparkLinesE2E {
  private static final String CLUSTER = "lines";

  private static Namespace ns;

  @BeforeAll
  static void namespace() {
    ns = E2eRun.current().ns;
  }

  @AfterAll
  static void removeCluster() {
    if (ns != null) {
      ns.deleteClusters(CLUSTER);
    }
  }

  @Test
  void aMultiWorkerClusterRunsOnEachLineAndChangesLineByReplacingEveryPod() throws Exception {
    Kubectl.apply(
        ClustersE2E.cluster(CLUSTER, 2, "sparkVersion: \"3.5\"\nconnect: {enabled: true}"));
    ns.awaitReady(CLUSTER);
    assertThat(ns.cluster(CLUSTER, "{.status.sparkVersion}")).isEqualTo("3.5");
    assertThat(images()).containsOnly(E2eEnvironment.executorImage());
    runsItsJobsOnTheWorkers("3.5.6");

    long t0 = System.nanoTime();
    ns.kubectl(
        "patch", "rsc/" + CLUSTER, "--type=merge", "-p", "{\"spec\":{\"sparkVersion\":\"4.2\"}}");
    await()
        .atMost(E2eEnvironment.timeout())
        .pollInterval(Duration.ofSeconds(2))
        .until(
            () ->
                "4.2".equals(ns.cluster(CLUSTER, "{.status.sparkVersion}"))
                    && ns.pods(CLUSTER).size() == 3
                    && images().stream().allMatch(E2eEnvironment.executorImage42()::equals));
    ns.awaitReady(CLUSTER);
    Figures.seconds(
        "1 + 2 workers: sparkVersion 3.5 -> 4.2, every pod replaced -> Ready",
        Duration.ofNanos(System.nanoTime() - t0));
    assertThat(ns.pods(CLUSTER))
        .containsExactly(CLUSTER + "-driver", CLUSTER + "-worker-0", CLUSTER + "-worker-1");
    for (String pod : ns.pods(CLUSTER)) {
      ClustersE2E.assertRestricted(pod);
    }
    String application = runsItsJobsOnTheWorkers("4.2.0");

    try (ConnectQuery.Forward connect = ConnectQuery.Forward.open(ns, CLUSTER)) {
      ConnectQuery.Result result =
          ConnectQuery.run("bridge-spark-4.2", connect.url(), "SELECT sum(id) FROM range(1000)");
      assertThat(result.output())
          .as(() -> ConnectQuery.driverLog(ns, CLUSTER))
          .contains("value 499500", "application " + application);
      assertThat(result.exitCode()).isZero();
    }
  }

  /** The images of every container of the cluster's pods, terminating ones included. */
  private static List<String> images() {
    return ns.kubectl(
            "get",
            "pods",
            "-l",
            "rspark.io/cluster=" + CLUSTER,
            "-o",
            "jsonpath={range .items[*]}{range .spec.containers[*]}{.image}{\"\\n\"}{end}{end}")
        .lines()
        .map(String::trim)
        .filter(line -> !line.isEmpty())
        .toList();
  }

  /** Runs the jobs through SparkR; returns the application's id. */
  private static String runsItsJobsOnTheWorkers(String sparkRelease) throws Exception {
    try (Attach attach = Attach.sparkR(ns, CLUSTER);
        SparkRWire r = attach.session()) {
      assertThat(r.firstValue("SELECT version()")).startsWith(sparkRelease + " ");
      assertThat(r.firstValue(ClustersE2E.SUM_QUERY)).isEqualTo(ClustersE2E.SUM);
      assertThat(ClustersE2E.hosts(r.firstValue(ClustersE2E.R_HOSTS_QUERY)))
          .isNotEmpty()
          .isSubsetOf(CLUSTER + "-worker-0", CLUSTER + "-worker-1");
      return r.applicationId();
    }
  }
}

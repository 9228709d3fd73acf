package io.rspark.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Clusters on real pods, used the way a data team uses them: through {@code kubectl rspark attach}
 * (a real port-forward to the driver's SparkR port, the SparkR wire protocol), with jobs whose
 * exact results are checked, R run on the workers, scaling while a job runs, a worker pod lost, the
 * operator killed mid-scale, suspend and resume. Every pod is checked for what Pod Security
 * Standards <i>restricted</i> asks of the running container.
 */
@ExtendWith({E2eEnvironment.class, E2eRun.class})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClustersE2E {
  private static final String SOLO = "solo";
  private static final String MULTI = "multi";

  /** sum(0..999 999): a job with a shuffle across 8 partitions. */
  static final String SUM_QUERY =
      "SELECT sum(id) FROM (SELECT id % 97 AS k, sum(id) AS id FROM range(0, 1000000, 1, 8)"
          + " GROUP BY id % 97)";

  static final String SUM = "499999500000";

  /**
   * R on the executors: each of 8 tasks runs Rscript (Spark's script transform, through bash),
   * which prints the name of the pod it runs in.
   */
  static final String R_HOSTS_QUERY =
      "SELECT concat_ws(',', sort_array(collect_set(host))) FROM (SELECT TRANSFORM(id) USING"
          + " 'cat >/dev/null; Rscript -e \"cat(Sys.info()[[4]], fill = TRUE)\"' AS (host STRING)"
          + " FROM range(0, 8, 1, 8))";

  /**
   * 20 tasks of 3 s each (a script transform that sleeps, then passes its rows on): long enough to
   * scale and to lose a worker under it, with an exact sum at the end.
   */
  private static final String SLOW_QUERY =
      "SELECT sum(CAST(n AS BIGINT)) FROM (SELECT TRANSFORM(id) USING 'sleep 3; cat' AS (n STRING)"
          + " FROM range(0, 200, 1, 20))";

  private static final String SLOW_SUM = "19900";

  private static Namespace ns;

  @BeforeAll
  static void namespace() {
    ns = E2eRun.current().ns;
  }

  @AfterAll
  static void removeClusters() {
    if (ns != null) {
      ns.deleteClusters(SOLO, MULTI);
    }
  }

  @Test
  @Order(1)
  void singleNodeClusterAnswersThroughAttach() throws Exception {
    long t0 = System.nanoTime();
    Kubectl.apply(cluster(SOLO, 0, ""));
    Figures.seconds("single node: apply -> Ready", ns.awaitReady(SOLO));
    assertThat(ns.pods(SOLO)).containsExactly(SOLO + "-driver");
    assertThat(ns.cluster(SOLO, "{.status.endpoints.master}")).isEqualTo("local[*]");
    assertRestricted(SOLO + "-driver");

    try (Attach attach = Attach.sparkR(ns, SOLO);
        SparkRWire r = attach.session()) {
      assertThat(r.firstValue(SUM_QUERY)).isEqualTo(SUM);
      Figures.seconds("single node: apply -> first job result", since(t0));
      assertThat(r.firstValue(R_HOSTS_QUERY)).isEqualTo(SOLO + "-driver");
    }
  }

  @Test
  @Order(2)
  void multiWorkerClusterRunsItsTasksOnTheWorkers() throws Exception {
    long t0 = System.nanoTime();
    Kubectl.apply(cluster(MULTI, 2, ""));
    Figures.seconds("1 + 2 workers: apply -> Ready", ns.awaitReady(MULTI));
    assertThat(ns.pods(MULTI))
        .containsExactly(MULTI + "-driver", MULTI + "-worker-0", MULTI + "-worker-1");
    assertThat(ns.cluster(MULTI, "{.status.endpoints.master}"))
        .isEqualTo("spark://" + MULTI + "-driver." + ns.name + ".svc:7077");
    for (String pod : ns.pods(MULTI)) {
      assertRestricted(pod);
    }
    Figures.print(
        "operator RSS with solo and multi running", E2eRun.current().operator.residentMemory());

    try (Attach attach = Attach.sparkR(ns, MULTI);
        SparkRWire r = attach.session()) {
      assertThat(r.firstValue(SUM_QUERY)).isEqualTo(SUM);
      Figures.seconds("1 + 2 workers: apply -> first job result", since(t0));
      assertThat(hosts(r.firstValue(R_HOSTS_QUERY)))
          .isNotEmpty()
          .isSubsetOf(MULTI + "-worker-0", MULTI + "-worker-1");
    }
  }

  @Test
  @Order(3)
  void scalingWhileAJobRunsKeepsResultsAndCachedData() throws Exception {
    try (Attach attach = Attach.sparkR(ns, MULTI);
        SparkRWire r = attach.session();
        SparkRWire slow = attach.session()) {
      r.execute("CACHE TABLE cached AS SELECT * FROM range(0, 100000, 1, 8)");
      assertThat(r.firstValue("SELECT count(*) FROM cached")).isEqualTo("100000");

      CompletableFuture<String> job = async(slow, SLOW_QUERY);
      long up = System.nanoTime();
      ns.kubectl("scale", "rsc/" + MULTI, "--replicas=3");
      await()
          .atMost(E2eEnvironment.timeout())
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> "3".equals(ns.cluster(MULTI, "{.status.workers.ready}")));
      Figures.seconds("scale 2 -> 3: new worker registered and Ready", since(up));
      assertThat(job.get()).isEqualTo(SLOW_SUM);

      job = async(slow, SLOW_QUERY);
      long down = System.nanoTime();
      ns.kubectl("scale", "rsc/" + MULTI, "--replicas=1");
      awaitPods(MULTI, MULTI + "-driver", MULTI + "-worker-0");
      Figures.seconds("scale 3 -> 1: both workers decommissioned and gone", since(down));
      assertThat(job.get()).isEqualTo(SLOW_SUM);
      ns.awaitReady(MULTI);
      assertThat(r.firstValue("SELECT count(*) FROM cached")).isEqualTo("100000");
      assertThat(r.firstValue(SUM_QUERY)).isEqualTo(SUM);
    }
  }

  @Test
  @Order(4)
  void aWorkerPodDeletedByHandIsReplacedAndTheJobCompletes() throws Exception {
    String worker = MULTI + "-worker-0";
    String uid = ns.pod(worker, "{.metadata.uid}");
    try (Attach attach = Attach.sparkR(ns, MULTI);
        SparkRWire r = attach.session()) {
      CompletableFuture<String> job = async(r, SLOW_QUERY);
      ns.kubectl("delete", "pod", worker, "--wait=false");
      await()
          .atMost(E2eEnvironment.timeout())
          .pollInterval(Duration.ofSeconds(2))
          .until(() -> ns.pods(MULTI).contains(worker) && !uid.equals(podUid(worker)));
      assertThat(job.get()).isEqualTo(SLOW_SUM);
    }
    ns.awaitReady(MULTI);
    assertThat(ns.pods(MULTI)).containsExactly(MULTI + "-driver", worker);
  }

  @Test
  @Order(5)
  void theOperatorKilledMidScaleConvergesOnRestart() throws Exception {
    ns.kubectl("scale", "rsc/" + MULTI, "--replicas=3");
    await()
        .atMost(E2eEnvironment.timeout())
        .pollInterval(Duration.ofMillis(200))
        .until(() -> ns.pods(MULTI).size() > 2);
    E2eRun.current().operator.killAndRestart();
    ns.awaitReady(MULTI);
    awaitPods(
        MULTI, MULTI + "-driver", MULTI + "-worker-0", MULTI + "-worker-1", MULTI + "-worker-2");
    assertThat(ns.cluster(MULTI, "{.status.workers.ready}")).isEqualTo("3");
    // No pod of the cluster other than the planned ones, terminating or not.
    assertThat(
            ns.kubectl(
                    "get",
                    "pods",
                    "-l",
                    "rspark.io/cluster=" + MULTI,
                    "-o",
                    "jsonpath={range .items[*]}{.metadata.name}{\"\\n\"}{end}")
                .lines()
                .toList())
        .hasSize(4);
    try (Attach attach = Attach.sparkR(ns, MULTI);
        SparkRWire r = attach.session()) {
      assertThat(r.firstValue(SUM_QUERY)).isEqualTo(SUM);
    }
  }

  @Test
  @Order(6)
  void suspendStopsThePodsAndResumeBringsTheClusterBack() throws Exception {
    ns.kubectl("patch", "rsc/" + SOLO, "--type=merge", "-p", "{\"spec\":{\"suspend\":true}}");
    await()
        .atMost(E2eEnvironment.timeout())
        .pollInterval(Duration.ofSeconds(2))
        .until(
            () ->
                "Suspended".equals(ns.cluster(SOLO, "{.status.phase}")) && ns.pods(SOLO).isEmpty());
    long resume = System.nanoTime();
    ns.kubectl("patch", "rsc/" + SOLO, "--type=merge", "-p", "{\"spec\":{\"suspend\":false}}");
    ns.awaitReady(SOLO);
    Figures.seconds("single node: resume -> Ready", since(resume));
    try (Attach attach = Attach.sparkR(ns, SOLO);
        SparkRWire r = attach.session()) {
      assertThat(r.firstValue(SUM_QUERY)).isEqualTo(SUM);
    }
  }

  /**
   * What PSS restricted asks, read from the running container: a non-root user, no capabilities, no
   * privilege escalation, the runtime's default seccomp profile.
   */
  static void assertRestricted(String pod) {
    Namespace ns = E2eRun.current().ns;
    String status = ns.exec(pod, "cat", "/proc/1/status");
    assertThat(status)
        .as("/proc/1/status of %s", pod)
        .containsPattern("(?m)^Uid:\\s+185\\s")
        .containsPattern("(?m)^CapEff:\\s+0+$")
        .containsPattern("(?m)^NoNewPrivs:\\s+1$")
        .containsPattern("(?m)^Seccomp:\\s+2$");
    assertThat(ns.pod(pod, "{.spec.automountServiceAccountToken}")).isEqualTo("false");
  }

  static Set<String> hosts(String joined) {
    return Arrays.stream(joined.split(","))
        .map(String::trim)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static String podUid(String pod) {
    return Kubectl.tryExec(
            List.of("kubectl", "-n", ns.name, "get", "pod", pod, "-o", "jsonpath={.metadata.uid}"),
            null,
            Duration.ofMinutes(1))
        .output()
        .trim();
  }

  private static void awaitPods(String cluster, String... expected) {
    await()
        .atMost(E2eEnvironment.timeout())
        .pollInterval(Duration.ofSeconds(2))
        .untilAsserted(() -> assertThat(ns.pods(cluster)).containsExactly(expected));
  }

  private static CompletableFuture<String> async(SparkRWire session, String query) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return session.firstValue(query);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
  }

  private static Duration since(long t0) {
    return Duration.ofNanos(System.nanoTime() - t0);
  }

  static String cluster(String name, int workers, String extraSpec) {
    return """
        apiVersion: rspark.io/v1alpha1
        kind: RSparkCluster
        metadata: {name: %s, namespace: %s}
        spec:
          driver: {resources: {cpu: 250m, memory: 2Gi}}
          workers:
            replicas: %d
            resources: {cpu: 250m, memory: 1536Mi}
        %s"""
        .formatted(name, E2eRun.current().ns.name, workers, extraSpec.indent(2));
  }
}

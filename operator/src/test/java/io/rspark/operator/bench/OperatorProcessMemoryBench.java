package io.rspark.operator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.rspark.operator.api.RSparkCluster;
import io.rspark.operator.status.Conditions;
import io.rspark.operator.testing.KubeApiKit;
import io.rspark.operator.testing.OperatorProcess;
import io.rspark.operator.testing.RepoPaths;
import io.rspark.operator.testing.TestClusters;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The operator's own memory at N clusters × 10 workers: the packaged jar runs as a process of its
 * own, with the JVM flags of its image (operator/Dockerfile) and the heap its chart's memory limit
 * gives it (50 % of 512 MiB), while the test creates the clusters and plays the kubelet. Its RSS is
 * read from /proc once every cluster is Ready (docs/benchmarks.md). Runs with -Pbench only.
 */
class OperatorProcessMemoryBench {
  private static final int CLUSTERS = Integer.getInteger("bench.clusters", 100);
  private static final int WORKERS = 10;
  private static final Duration LIMIT = Duration.ofMinutes(10 + CLUSTERS / 20);

  @Test
  void operatorProcessRssWithAllClustersReady() throws Exception {
    KubeApiKit kit = KubeApiKit.get();
    try (KubernetesClient client = kit.newClient()) {
      String namespace = kit.newNamespace(client, "bench-process");
      Path logs = RepoPaths.root().resolve("operator/target/bench");
      Process operator =
          OperatorProcess.start(
                  "bench",
                  "operator-process",
                  List.of(
                      "-XX:+UseSerialGC",
                      "-Xmx256m",
                      "-XX:+ExitOnOutOfMemoryError",
                      "-XX:-UsePerfData"),
                  Map.of(
                      "KUBECONFIG", kit.kubeconfig().toString(),
                      "RSPARK_WATCH_NAMESPACES", namespace,
                      "RSPARK_LEADER_ELECTION_ENABLED", "false",
                      "RSPARK_HEALTH_PORT", "0",
                      "RSPARK_METRICS_PORT", "0"))
              .process();
      try (ScaleBench.Kubelet kubelet = new ScaleBench.Kubelet(client, namespace)) {
        long t0 = System.nanoTime();
        createClusters(client, namespace);
        awaitAllReady(client, namespace, operator);
        double seconds = (System.nanoTime() - t0) / 1e9;
        String status = Files.readString(Path.of("/proc/" + operator.pid() + "/status"));
        String report =
            String.format(
                "operator process, %d clusters x (driver + %d workers), all Ready in %.1f s%n"
                    + "JVM: -XX:+UseSerialGC -Xmx256m (50%% of the chart's 512Mi limit), the image's flags%n"
                    + "%s%n%s%n",
                CLUSTERS, WORKERS, seconds, field(status, "VmRSS"), field(status, "VmHWM"));
        Path out = logs.resolve("operator-process-" + CLUSTERS + ".txt");
        Files.writeString(out, report, StandardCharsets.UTF_8);
        System.out.print(report);
        assertThat(kubelet.ready()).isEqualTo(CLUSTERS * (WORKERS + 1));
      } finally {
        operator.destroy();
        if (!operator.waitFor(20, TimeUnit.SECONDS)) {
          operator.destroyForcibly();
        }
      }
    }
  }

  private static void createClusters(KubernetesClient client, String namespace) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(10);
    List<Future<?>> created = new ArrayList<>();
    for (int i = 0; i < CLUSTERS; i++) {
      RSparkCluster cluster = TestClusters.cluster("c" + i, WORKERS);
      cluster.getMetadata().setNamespace(namespace);
      created.add(pool.submit(() -> client.resource(cluster).create()));
    }
    for (Future<?> f : created) {
      f.get(LIMIT.toSeconds(), TimeUnit.SECONDS);
    }
    pool.shutdown();
  }

  private static void awaitAllReady(KubernetesClient client, String namespace, Process operator)
      throws InterruptedException {
    long deadline = System.nanoTime() + LIMIT.toNanos();
    while (client.resources(RSparkCluster.class).inNamespace(namespace).list().getItems().stream()
            .filter(
                c ->
                    c.getStatus() != null
                        && Conditions.isTrue(c.getStatus().conditions, Conditions.READY))
            .count()
        < CLUSTERS) {
      assertThat(operator.isAlive()).as("the operator process is running").isTrue();
      assertThat(System.nanoTime()).as("all clusters Ready within %s", LIMIT).isLessThan(deadline);
      Thread.sleep(500);
    }
  }

  private static String field(String procStatus, String name) throws IOException {
    return procStatus
        .lines()
        .filter(l -> l.startsWith(name + ":"))
        .findFirst()
        .orElseThrow(() -> new IOException("no " + name + " in /proc status"))
        .replaceAll("\\s+", " ");
  }
}

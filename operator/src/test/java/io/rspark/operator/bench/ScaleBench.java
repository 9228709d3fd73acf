package io.rspark.operator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.rspark.operator.api.RSparkCluster;
import io.rspark.operator.config.OperatorConfig;
import io.rspark.operator.resources.AuthSecretFactory;
import io.rspark.operator.resources.ClusterModel;
import io.rspark.operator.resources.DriverServiceFactory;
import io.rspark.operator.resources.NetworkPolicyFactory;
import io.rspark.operator.resources.PodFactory;
import io.rspark.operator.resources.SparkConfigMapFactory;
import io.rspark.operator.status.Conditions;
import io.rspark.operator.testing.KubeApiKit;
import io.rspark.operator.testing.OperatorHarness;
import io.rspark.operator.testing.RepoPaths;
import io.rspark.operator.testing.RequestCounter;
import io.rspark.operator.testing.TestClusters;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * N clusters of 10 workers against the real API server kit, the test playing the kubelet for every
 * pod the moment it appears. The same run first has a bare fabric8 client create the same objects
 * (rendered by the same factories) with as many threads as the operator has reconcile threads: the
 * operator's throughput is reported against that. Not part of the default build: {@code mvn -Pbench
 * verify -pl operator} (docs/benchmarks.md).
 */
class ScaleBench {
  private static final int CLUSTERS = Integer.getInteger("bench.clusters", 100);
  private static final int WORKERS = 10;
  private static final int PODS = CLUSTERS * (WORKERS + 1);
  private static final int THREADS = 10;
  private static final Duration LIMIT = Duration.ofMinutes(10 + CLUSTERS / 20);

  private final StringBuilder report = new StringBuilder();
  private String bareNamespace;

  @Test
  void operatorBesideABareClient() throws Exception {
    KubeApiKit kit = KubeApiKit.get();
    line(
        "clusters: %d x (driver + %d workers) = %d pods, %d other objects",
        CLUSTERS, WORKERS, PODS, 4 * CLUSTERS);
    line(
        "machine: %d cores, %s, Java %s",
        Runtime.getRuntime().availableProcessors(), memTotal(), System.getProperty("java.version"));

    double bareSeconds = bareClientRun(kit);
    line(
        "bare fabric8 client: all %d pods created and ready in %.1f s (%.2f clusters/s)",
        PODS, bareSeconds, CLUSTERS / bareSeconds);

    long heapBefore = usedHeapAfterGc();
    try (OperatorHarness harness = new OperatorHarness("bench-operator")) {
      harness.start();
      double operatorSeconds;
      try (Kubelet kubelet = new Kubelet(harness.client(), harness.namespace())) {
        long t0 = System.nanoTime();
        parallel(i -> harness.create(TestClusters.cluster("c" + i, WORKERS)));
        awaitAllReady(harness);
        operatorSeconds = seconds(t0);
        assertThat(kubelet.ready()).isEqualTo(PODS);
      }
      line(
          "operator: all %d clusters Ready in %.1f s (%.2f clusters/s)",
          CLUSTERS, operatorSeconds, CLUSTERS / operatorSeconds);
      line(
          "operator throughput / bare client throughput: %.0f%%",
          100 * bareSeconds / operatorSeconds);

      List<RequestCounter.Request> requests = harness.requests();
      int reconciles = harness.reconciliations();
      long writes = requests.stream().filter(RequestCounter.Request::isWrite).count();
      long reads = requests.size() - writes;
      line(
          "reconciliations until all Ready: %d (%.1f per cluster)",
          reconciles, reconciles / (double) CLUSTERS);
      line(
          "API requests: %d reads (%s), %d writes (%s)",
          reads, breakdown(requests, false), writes, breakdown(requests, true));
      line(
          "API requests per reconcile: %.2f reads, %.2f writes",
          reads / (double) reconciles, writes / (double) reconciles);
      List<Long> nanos = new ArrayList<>(harness.reconcileNanos());
      Collections.sort(nanos);
      line(
          "reconcile latency: p50 %.1f ms, p99 %.1f ms, max %.1f ms",
          ms(nanos, 0.50), ms(nanos, 0.99), ms(nanos, 1.0));

      long heapOperator = usedHeapAfterGc() - heapBefore;
      line(
          "heap held by the operator (used after GC, minus before it started): %.1f MiB",
          heapOperator / 1048576.0);
      line(
          "test JVM (operator, test clients, JUnit): RSS %s, heap used after GC %.1f MiB",
          rss(), usedHeapAfterGc() / 1048576.0);
      line("largest classes on the heap (jcmd GC.class_histogram):%n%s", histogram(12));

      noOpResync(harness);
    } finally {
      // Deleted only now, so that its garbage collection does not load the operator's run.
      if (bareNamespace != null) {
        try (KubernetesClient client = kit.newClient()) {
          client.namespaces().withName(bareNamespace).delete();
        }
      }
    }
    Path out = RepoPaths.root().resolve("operator/target/bench/scale-" + CLUSTERS + ".txt");
    Files.createDirectories(out.getParent());
    Files.writeString(out, report.toString(), StandardCharsets.UTF_8);
    System.out.println(report);
  }

  /** Every cluster touched once (an owned pod's annotation): the reconciles must write nothing. */
  private void noOpResync(OperatorHarness harness) throws Exception {
    Thread.sleep(3000);
    int reconcilesBefore = harness.reconciliations();
    long writesBefore = harness.requests().stream().filter(RequestCounter.Request::isWrite).count();
    parallel(
        i ->
            harness
                .client()
                .pods()
                .inNamespace(harness.namespace())
                .withName("c" + i + "-driver")
                .edit(
                    p -> {
                      p.getMetadata().getAnnotations().put("bench/poke", "1");
                      return p;
                    }));
    long deadline = System.nanoTime() + LIMIT.toNanos();
    while (harness.reconciliations() < reconcilesBefore + CLUSTERS
        && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    Thread.sleep(2000);
    int reconciles = harness.reconciliations() - reconcilesBefore;
    long writes =
        harness.requests().stream().filter(RequestCounter.Request::isWrite).count() - writesBefore;
    line(
        "no-op resync: %d reconciliations of %d converged clusters made %d writes",
        reconciles, CLUSTERS, writes);
    assertThat(reconciles).isGreaterThanOrEqualTo(CLUSTERS);
  }

  private double bareClientRun(KubeApiKit kit) throws Exception {
    try (KubernetesClient client = kit.newClient()) {
      String ns = kit.newNamespace(client, "bench-bare");
      bareNamespace = ns;
      try (Kubelet kubelet = new Kubelet(client, ns)) {
        long t0 = System.nanoTime();
        parallel(
            i -> {
              RSparkCluster c = TestClusters.cluster("c" + i, WORKERS);
              c.getMetadata().setNamespace(ns);
              c = client.resource(c).create();
              ClusterModel model = ClusterModel.of(c, TestClusters.IMAGE);
              Secret secret = client.resource(AuthSecretFactory.create(model)).create();
              client.resource(SparkConfigMapFactory.create(model)).create();
              client.resource(DriverServiceFactory.create(model)).create();
              client
                  .resource(
                      NetworkPolicyFactory.create(
                          model, OperatorConfig.withOverrides(Map.of()).operatorPeer()))
                  .create();
              String uid = secret.getMetadata().getUid();
              client.resource(PodFactory.driver(model, uid)).create();
              for (int w = 0; w < WORKERS; w++) {
                client.resource(PodFactory.worker(model, w, uid)).create();
              }
            });
        waitFor(() -> kubelet.ready() >= PODS, "all bare pods ready");
        return seconds(t0);
      }
    }
  }

  private void awaitAllReady(OperatorHarness harness) throws InterruptedException {
    waitFor(
        () ->
            harness
                    .client()
                    .resources(RSparkCluster.class)
                    .inNamespace(harness.namespace())
                    .list()
                    .getItems()
                    .stream()
                    .filter(
                        c ->
                            c.getStatus() != null
                                && Conditions.isTrue(c.getStatus().conditions, Conditions.READY))
                    .count()
                == CLUSTERS,
        "all clusters Ready");
  }

  private static void waitFor(Supplier<Boolean> done, String what) throws InterruptedException {
    long deadline = System.nanoTime() + LIMIT.toNanos();
    while (!done.get()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + LIMIT + ": " + what);
      }
      Thread.sleep(250);
    }
  }

  private static void parallel(IntConsumer task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    List<Future<?>> futures = new ArrayList<>();
    for (int i = 0; i < CLUSTERS; i++) {
      int n = i;
      futures.add(pool.submit(() -> task.accept(n)));
    }
    for (Future<?> f : futures) {
      f.get(LIMIT.toSeconds(), TimeUnit.SECONDS);
    }
    pool.shutdown();
  }

  /**
   * Plays the kubelet: every pod that appears in the namespace is marked running and ready at once.
   * A raw watch, not an informer, so the test caches no pods of its own in the measured JVM.
   */
  static final class Kubelet implements AutoCloseable {
    private final Set<String> ready = ConcurrentHashMap.newKeySet();
    private final ExecutorService pool = Executors.newFixedThreadPool(8);
    private final KubernetesClient client;
    private final String namespace;
    private final Watch watch;

    Kubelet(KubernetesClient client, String namespace) {
      this.client = client;
      this.namespace = namespace;
      this.watch =
          client
              .pods()
              .inNamespace(namespace)
              .watch(
                  new Watcher<>() {
                    @Override
                    public void eventReceived(Action action, Pod pod) {
                      if (action == Action.ADDED) {
                        pool.submit(() -> markReady(pod));
                      }
                    }

                    @Override
                    public void onClose(WatcherException cause) {}
                  });
    }

    private void markReady(Pod pod) {
      pod.setStatus(
          new PodStatusBuilder()
              .withPhase("Running")
              .withConditions(
                  new PodConditionBuilder().withType("Ready").withStatus("True").build())
              .build());
      try {
        client.pods().inNamespace(namespace).resource(pod).updateStatus();
        ready.add(pod.getMetadata().getName());
      } catch (KubernetesClientException e) {
        if (e.getCode() != 404) {
          throw e;
        }
      }
    }

    int ready() {
      return ready.size();
    }

    @Override
    public void close() {
      watch.close();
      pool.shutdown();
    }
  }

  private static String breakdown(List<RequestCounter.Request> requests, boolean writes) {
    var counts = new java.util.TreeMap<String, Integer>();
    for (RequestCounter.Request r : requests) {
      if (r.isWrite() != writes) {
        continue;
      }
      String path = r.uri().replaceAll("\\?.*", "");
      String kind = path.replaceAll(".*/namespaces/[^/]+/([^/]+).*", "$1");
      if (path.endsWith("/status")) {
        kind += "/status";
      }
      if (path.contains("watch=true") || r.uri().contains("watch=true")) {
        kind += " watch";
      }
      counts.merge(r.method() + " " + kind, 1, Integer::sum);
    }
    return counts.toString();
  }

  private static double ms(List<Long> sorted, double q) {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    int i = (int) Math.min(sorted.size() - 1, Math.ceil(q * sorted.size()) - 1);
    return sorted.get(Math.max(0, i)) / 1e6;
  }

  private static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  private static long usedHeapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static String rss() throws IOException {
    return Files.readAllLines(Path.of("/proc/self/status")).stream()
        .filter(l -> l.startsWith("VmRSS"))
        .map(l -> l.replaceAll("VmRSS:\\s*", ""))
        .findFirst()
        .orElse("?");
  }

  private static String memTotal() throws IOException {
    return Files.readAllLines(Path.of("/proc/meminfo")).stream()
        .filter(l -> l.startsWith("MemTotal"))
        .map(l -> l.replaceAll("MemTotal:\\s*", "") + " RAM")
        .findFirst()
        .orElse("?");
  }

  private static String histogram(int top) throws Exception {
    long pid = ProcessHandle.current().pid();
    Process p =
        new ProcessBuilder("jcmd", Long.toString(pid), "GC.class_histogram")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(60, TimeUnit.SECONDS);
    return String.join("\n", out.lines().skip(1).limit(top + 2).toList());
  }

  private void line(String format, Object... args) {
    report.append(String.format(format, args)).append('\n');
  }
}

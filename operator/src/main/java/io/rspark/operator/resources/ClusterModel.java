package io.rspark.operator.resources;

import io.rspark.operator.api.ExecutorsSpec;
import io.rspark.operator.api.ImagePullPolicy;
import io.rspark.operator.api.RSparkCluster;
import io.rspark.operator.api.RSparkClusterSpec;
import io.rspark.operator.api.RSpec;
import io.rspark.operator.api.Scheduler;
import io.rspark.operator.spark.ContainerSizing;
import io.rspark.operator.spark.PodContract;
import io.rspark.operator.spark.SparkDefaults;
import io.rspark.operator.spark.SparkLine;
import io.rspark.operator.spark.SparkLines;
import java.util.List;
import java.util.Map;

/**
 * Everything the object factories need, derived once per reconcile from a validated spec and the
 * operator's defaults. A pure value: equal inputs give equal models.
 */
public record ClusterModel(
    RSparkCluster cluster,
    SparkLine sparkLine,
    String image,
    ImagePullPolicy imagePullPolicy,
    ContainerSizing driverSizing,
    ContainerSizing workerSizing,
    int workers,
    String masterUrl,
    String sparkDefaultsConf,
    List<String> rPackages,
    List<String> rRepos,
    String rLibrarySizeLimit,
    boolean clientAccess,
    int sparklyrSessions,
    Scheduler scheduler,
    ContainerSizing executorSizing,
    boolean connect) {

  public static final String LOCAL_MASTER = "local[*]";

  /** The API server as a pod inside the cluster reaches it, as Spark's master URL. */
  public static final String KUBERNETES_MASTER = "k8s://https://kubernetes.default.svc";

  public static final String DEFAULT_R_LIBRARY_SIZE = "4Gi";

  /** With {@code defaultImage} as the default image of every Spark line (tests, benchmarks). */
  public static ClusterModel of(RSparkCluster cluster, String defaultImage) {
    RSparkClusterSpec spec = cluster.getSpec();
    return of(
        cluster,
        SparkLines.everyLine(defaultImage),
        spec.workers == null ? 0 : spec.workers.replicas);
  }

  /** {@code workerCount} workers, {@code defaultImage} the default image of every line (tests). */
  public static ClusterModel of(RSparkCluster cluster, String defaultImage, int workerCount) {
    return of(cluster, SparkLines.everyLine(defaultImage), workerCount);
  }

  /** With {@code workers} worker pods instead of spec.workers.replicas (the autoscaler's count). */
  public static ClusterModel of(RSparkCluster cluster, SparkLines lines, int workerCount) {
    RSparkClusterSpec spec = cluster.getSpec();
    SparkLine line = lines.lineOf(spec);
    RSpec r = spec.r == null ? new RSpec() : spec.r;
    Scheduler scheduler = Scheduler.of(spec);
    boolean kubernetes = scheduler == Scheduler.KUBERNETES;
    // Spark's Kubernetes backend creates executor pods itself: this mode has no worker pods.
    int workers = kubernetes ? 0 : workerCount;
    ContainerSizing workerSizing =
        ContainerSizing.of(spec.workers == null ? null : spec.workers.resources);
    ExecutorsSpec executors = spec.executors == null ? new ExecutorsSpec() : spec.executors;
    ContainerSizing executorSizing = ContainerSizing.of(executors.resources);
    String masterUrl =
        kubernetes
            ? KUBERNETES_MASTER
            : workers == 0
                ? LOCAL_MASTER
                : "spark://" + ResourceNames.driverHost(cluster) + ":" + PodContract.MASTER_PORT;
    String image = lines.imageOf(spec);
    ImagePullPolicy pullPolicy =
        spec.imagePullPolicy == null ? ImagePullPolicy.IfNotPresent : spec.imagePullPolicy;
    Map<String, String> sparkDefaults =
        kubernetes
            ? SparkDefaults.mergeKubernetes(
                kubernetesBackend(cluster, executors, masterUrl, image, pullPolicy),
                executorSizing,
                spec.sparkConf)
            : SparkDefaults.merge(
                line,
                masterUrl,
                workerSizing,
                workers,
                spec.workers != null && spec.workers.autoscaling != null,
                spec.sparkConf);
    return new ClusterModel(
        cluster,
        line,
        image,
        pullPolicy,
        ContainerSizing.of(spec.driver == null ? null : spec.driver.resources),
        workerSizing,
        workers,
        masterUrl,
        SparkDefaults.render(sparkDefaults),
        r.packages,
        r.repos.isEmpty() ? List.of(RSpec.DEFAULT_REPO) : r.repos,
        r.librarySizeLimit == null ? DEFAULT_R_LIBRARY_SIZE : r.librarySizeLimit.toString(),
        spec.access != null && spec.access.clientSelector != null,
        r.sparklyrSessions == null ? RSpec.DEFAULT_SPARKLYR_SESSIONS : r.sparklyrSessions,
        scheduler,
        executorSizing,
        spec.connect != null && spec.connect.enabled);
  }

  private static SparkDefaults.KubernetesBackend kubernetesBackend(
      RSparkCluster cluster,
      ExecutorsSpec executors,
      String masterUrl,
      String image,
      ImagePullPolicy pullPolicy) {
    int min = executors.minExecutors == null ? 0 : executors.minExecutors;
    int max =
        executors.maxExecutors == null
            ? Math.max(min, ExecutorsSpec.DEFAULT_MAX_EXECUTORS)
            : executors.maxExecutors;
    return new SparkDefaults.KubernetesBackend(
        masterUrl,
        cluster.getMetadata().getNamespace(),
        ResourceNames.driverPod(cluster),
        ResourceNames.driverHost(cluster),
        image,
        pullPolicy.name(),
        ResourceNames.executorPodPrefix(cluster),
        min,
        max,
        executors.idleTimeout == null ? ExecutorsSpec.DEFAULT_IDLE_TIMEOUT : executors.idleTimeout);
  }

  /** True when Spark's Kubernetes backend creates the executors (no master, no workers). */
  public boolean kubernetesScheduler() {
    return scheduler == Scheduler.KUBERNETES;
  }

  public String name() {
    return cluster.getMetadata().getName();
  }

  public String namespace() {
    return cluster.getMetadata().getNamespace();
  }
}

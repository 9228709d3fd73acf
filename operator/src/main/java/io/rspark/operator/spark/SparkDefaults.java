package io.rspark.operator.spark;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The spark-defaults.conf of a cluster: the operator's settings, then the user's {@code sparkConf}
 * over the overridable ones. Keys the operator owns were refused before this point (see {@code
 * OperatorOwnedSparkConf}). The secret is never written here: the image adds it at start-up.
 */
public final class SparkDefaults {
  /**
   * Graceful scale-down (see docs/operations.md, "How decommissioning works"): before a worker pod
   * is deleted the operator sends {@code POST <master UI>/workers/kill/?host=<pod IP>}. The master
   * serves that only with decommissioning enabled and, since the operator is not on the master's
   * host, with allow mode ALLOW (the default LOCAL accepts loopback callers only). ALLOW is
   * acceptable because who reaches the master UI (8080) is decided by the cluster's NetworkPolicy:
   * the cluster's own pods, the operator and the clients spec.access selects, which can already
   * kill the application from the same UI. The worker and the executors act on the request only
   * with decommissioning enabled too; the executors then move their cached RDD blocks and shuffle
   * files to the remaining executors before exiting, so running jobs lose nothing. All are in every
   * role's spark-defaults.conf; a user may turn them off in spec.sparkConf, and the master then
   * refuses (HTTP 405) and the operator deletes workers after its deadline without migration.
   */
  static final Map<String, String> DECOMMISSION =
      new TreeMap<>(
          Map.of(
              "spark.decommission.enabled", "true",
              "spark.master.ui.decommission.allow.mode", "ALLOW",
              "spark.storage.decommission.enabled", "true",
              "spark.storage.decommission.shuffleBlocks.enabled", "true",
              "spark.storage.decommission.rddBlocks.enabled", "true"));

  /**
   * With workers.autoscaling: the bridge's one long-lived application would otherwise keep an
   * executor on every worker for ever, so no worker would ever be idle and the autoscaler could
   * never give one back. Dynamic allocation releases executors idle for a minute; shuffle tracking
   * keeps those whose shuffle files a running job still needs (standalone workers here run no
   * external shuffle service). Once no job needs them, an executor holding shuffle files waits
   * shuffleTracking.timeout instead of the idle timeout, which is infinite by default: after any
   * aggregation or join the executors would stay until the driver's garbage collector dropped the
   * shuffle. A released executor decommissions and moves its shuffle files to a peer; when that
   * peer is released during the move, the executor waits for ever for a migration that cannot end,
   * so the driver kills decommissioning executors after forceKillTimeout. Both were seen with Spark
   * 3.5.6 in StandaloneDynamicAllocationIT (images/r-executor/bridge).
   */
  static final Map<String, String> AUTOSCALED =
      new TreeMap<>(
          Map.of(
              "spark.dynamicAllocation.enabled", "true",
              "spark.dynamicAllocation.shuffleTracking.enabled", "true",
              "spark.dynamicAllocation.executorIdleTimeout", "60s",
              "spark.dynamicAllocation.shuffleTracking.timeout", "60s",
              "spark.executor.decommission.forceKillTimeout", "2m"));

  private SparkDefaults() {}

  /**
   * @param line the cluster's Spark line: its standalone master gets the line's own settings
   * @param autoscaled whether workers.autoscaling chooses the worker count
   */
  public static Map<String, String> merge(
      SparkLine line,
      String masterUrl,
      ContainerSizing workerSizing,
      int workers,
      boolean autoscaled,
      Map<String, String> userConf) {
    Map<String, String> conf = new LinkedHashMap<>();
    conf.put("spark.master", masterUrl);
    conf.put("spark.authenticate", "true");
    conf.put("spark.r.command", PodContract.R_LAUNCHER);
    conf.put("spark.ui.port", Integer.toString(PodContract.APP_UI_PORT));
    if (workers > 0) {
      conf.putAll(new TreeMap<>(line.standaloneMasterConf()));
    }
    Map<String, String> overridable = new LinkedHashMap<>();
    overridable.put("spark.network.crypto.enabled", "true");
    if (workers > 0) {
      overridable.put("spark.executor.memory", workerSizing.executorMemoryMib() + "m");
      // Spark's default since 4.0 (false in 3.5): written on every line all the same, so that
      // both clean up stopped applications' directories in the worker's emptyDir.
      overridable.put("spark.worker.cleanup.enabled", "true");
      overridable.putAll(DECOMMISSION);
      if (autoscaled) {
        overridable.putAll(AUTOSCALED);
      }
    }
    overridable.putAll(new TreeMap<>(userConf));
    conf.putAll(overridable);
    return conf;
  }

  /**
   * The settings of a {@code scheduler: kubernetes} cluster: the bridge runs Spark's Kubernetes
   * backend in client mode inside the driver pod and it creates executor pods from the operator's
   * template. The secret is read from the mounted file on both sides, so Spark never copies it into
   * an executor pod's environment. Spark is told not to own PVCs or delete Services: executors get
   * no claims (spark.kubernetes.* is operator-owned) and the driver Service is the operator's, so
   * the driver's Role needs no rights on either ({@code DriverPermissions}).
   */
  public static Map<String, String> mergeKubernetes(
      KubernetesBackend backend, ContainerSizing executorSizing, Map<String, String> userConf) {
    Map<String, String> conf = new LinkedHashMap<>();
    conf.put("spark.master", backend.masterUrl());
    conf.put("spark.submit.deployMode", "client");
    conf.put("spark.authenticate", "true");
    conf.put("spark.authenticate.secret.driver.file", backend.authSecretFile());
    conf.put("spark.authenticate.secret.executor.file", backend.authSecretFile());
    // The generic key too: an executor first fetches the driver's settings through a
    // SecurityManager that reads spark.authenticate.secret.file (the two keys above fall back to
    // it, not the other way round). With only those, every executor pod failed on real pods with
    // "A secret key must be specified via the spark.authenticate.secret config".
    conf.put("spark.authenticate.secret.file", backend.authSecretFile());
    conf.put("spark.r.command", PodContract.R_LAUNCHER);
    conf.put("spark.ui.port", Integer.toString(PodContract.APP_UI_PORT));
    conf.put("spark.driver.host", backend.driverHost());
    conf.put("spark.kubernetes.namespace", backend.namespace());
    conf.put("spark.kubernetes.driver.pod.name", backend.driverPod());
    conf.put("spark.kubernetes.authenticate.caCertFile", PodContract.SERVICE_ACCOUNT_CA_FILE);
    conf.put("spark.kubernetes.container.image", backend.image());
    conf.put("spark.kubernetes.container.image.pullPolicy", backend.imagePullPolicy());
    conf.put("spark.kubernetes.executor.podTemplateFile", PodContract.EXECUTOR_TEMPLATE_FILE);
    conf.put("spark.kubernetes.executor.podTemplateContainerName", PodContract.CONTAINER);
    conf.put("spark.kubernetes.executor.podNamePrefix", backend.executorPodNamePrefix());
    conf.put("spark.kubernetes.executor.request.cores", executorSizing.cpu());
    if (executorSizing.cpuLimit() != null) {
      conf.put("spark.kubernetes.executor.limit.cores", executorSizing.cpuLimit());
    }
    conf.put("spark.kubernetes.driver.service.deleteOnTermination", "false");
    conf.put("spark.kubernetes.driver.ownPersistentVolumeClaim", "false");
    conf.put("spark.kubernetes.driver.reusePersistentVolumeClaim", "false");
    // Without it Spark copies the files of the driver's SPARK_CONF_DIR into a ConfigMap for the
    // executors and lists them in every executor pod: that directory holds the bridge's SparkR
    // secret (a ConfigMap is no place for it), and a file written after the ConfigMap was made
    // left every later executor pod unable to mount it (seen on real pods). Executors get their
    // settings from the pod template and the options Spark passes them.
    conf.put("spark.kubernetes.executor.disableConfigMap", "true");
    Map<String, String> overridable = new LinkedHashMap<>();
    overridable.put("spark.network.crypto.enabled", "true");
    overridable.put("spark.driver.port", Integer.toString(PodContract.DRIVER_RPC_PORT));
    overridable.put(
        "spark.driver.blockManager.port", Integer.toString(PodContract.DRIVER_BLOCK_PORT));
    overridable.put("spark.executor.cores", Integer.toString(executorSizing.sparkCores()));
    overridable.put("spark.executor.memory", executorSizing.executorMemoryMib() + "m");
    overridable.put(
        "spark.executor.memoryOverhead",
        (executorSizing.memoryMib() - executorSizing.executorMemoryMib()) + "m");
    overridable.put("spark.dynamicAllocation.enabled", "true");
    overridable.put("spark.dynamicAllocation.shuffleTracking.enabled", "true");
    overridable.put(
        "spark.dynamicAllocation.minExecutors", Integer.toString(backend.minExecutors()));
    overridable.put(
        "spark.dynamicAllocation.initialExecutors", Integer.toString(backend.minExecutors()));
    overridable.put(
        "spark.dynamicAllocation.maxExecutors", Integer.toString(backend.maxExecutors()));
    overridable.put("spark.dynamicAllocation.executorIdleTimeout", backend.idleTimeout());
    // As with autoscaled standalone workers (AUTOSCALED): without these an executor that holds
    // shuffle files is never released, and one whose blocks moved can hang in decommission.
    overridable.put("spark.dynamicAllocation.shuffleTracking.timeout", backend.idleTimeout());
    overridable.put("spark.executor.decommission.forceKillTimeout", "2m");
    overridable.put("spark.decommission.enabled", "true");
    overridable.put("spark.storage.decommission.enabled", "true");
    overridable.put("spark.storage.decommission.shuffleBlocks.enabled", "true");
    overridable.putAll(new TreeMap<>(userConf));
    conf.putAll(overridable);
    return conf;
  }

  /** Where the driver's Kubernetes backend works and what it may ask for. */
  public record KubernetesBackend(
      String masterUrl,
      String namespace,
      String driverPod,
      String driverHost,
      String image,
      String imagePullPolicy,
      String executorPodNamePrefix,
      int minExecutors,
      int maxExecutors,
      String idleTimeout) {
    public String authSecretFile() {
      return PodContract.AUTH_DIR + "/" + PodContract.AUTH_SECRET_KEY;
    }
  }

  /**
   * The file's text: one "key value" line per property, in a stable order. Spark reads the file as
   * Java properties, where a backslash escapes and a trailing one joins the next line (the secret
   * the image appends): backslashes in values are escaped so that Spark gets them as written.
   */
  public static String render(Map<String, String> conf) {
    StringBuilder text =
        new StringBuilder("# Written by rspark-operator; edit spec.sparkConf instead.\n");
    conf.forEach((k, v) -> text.append(k).append(' ').append(v.replace("\\", "\\\\")).append('\n'));
    return text.toString();
  }
}

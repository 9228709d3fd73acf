package io.rspark.operator.resources;

import io.rspark.operator.api.RSparkCluster;

/** Names of the objects of a cluster, all derived from the cluster's name. */
public final class ResourceNames {
  private ResourceNames() {}

  public static String driverPod(RSparkCluster cluster) {
    return cluster.getMetadata().getName() + "-driver";
  }

  public static String workerPod(RSparkCluster cluster, int ordinal) {
    return cluster.getMetadata().getName() + "-worker-" + ordinal;
  }

  /** The ordinal of a worker pod's name, or -1 when the name is not one of this cluster's. */
  public static int workerOrdinal(RSparkCluster cluster, String podName) {
    String prefix = cluster.getMetadata().getName() + "-worker-";
    if (!podName.startsWith(prefix)) {
      return -1;
    }
    String digits = podName.substring(prefix.length());
    if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit) || digits.length() > 4) {
      return -1;
    }
    int ordinal = Integer.parseInt(digits);
    // Only the name workerPod gives: not "x-worker-01", nor digits of other scripts.
    return Integer.toString(ordinal).equals(digits) ? ordinal : -1;
  }

  /** The driver Service; also the host name workers use to reach the Spark master. */
  public static String driverService(RSparkCluster cluster) {
    return cluster.getMetadata().getName() + "-driver";
  }

  public static String authSecret(RSparkCluster cluster) {
    return cluster.getMetadata().getName() + "-spark-auth";
  }

  public static String sparkConfig(RSparkCluster cluster) {
    return cluster.getMetadata().getName() + "-spark-config";
  }

  public static String networkPolicy(RSparkCluster cluster) {
    return cluster.getMetadata().getName() + "-cluster";
  }

  /** The driver Service's DNS name inside the cluster. */
  public static String driverHost(RSparkCluster cluster) {
    return driverService(cluster) + "." + cluster.getMetadata().getNamespace() + ".svc";
  }

  /**
   * With scheduler: kubernetes, the driver's ServiceAccount, and its Role and RoleBinding (one
   * name: they exist only for the driver).
   */
  public static String driverServiceAccount(RSparkCluster cluster) {
    return cluster.getMetadata().getName() + "-driver";
  }

  /** The ConfigMap with the executor pod template (scheduler: kubernetes). */
  public static String executorTemplate(RSparkCluster cluster) {
    return cluster.getMetadata().getName() + "-executor-template";
  }

  /** What Spark's executor pod names start with: {@code <prefix>-exec-<id>}. */
  public static String executorPodPrefix(RSparkCluster cluster) {
    return cluster.getMetadata().getName();
  }
}

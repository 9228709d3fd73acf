package io.rspark.operator.pods;

import io.fabric8.kubernetes.api.model.Pod;
import io.rspark.operator.api.ExecutorsStatus;
import io.rspark.operator.resources.Labels;
import io.rspark.operator.resources.Role;
import java.util.Collection;
import java.util.Map;

/**
 * The executor pods of a {@code scheduler: kubernetes} cluster: Spark's backend creates them (owned
 * by the driver pod) from the operator's template, so they carry the cluster's labels; the operator
 * only counts them and never plans them.
 */
public final class ExecutorPods {
  /** The label Spark puts on its pods: "driver" or "executor". */
  public static final String SPARK_ROLE_LABEL = "spark-role";

  /** The label with the Spark application id, on every pod Spark creates. */
  public static final String SPARK_APP_LABEL = "spark-app-selector";

  private ExecutorPods() {}

  /** Whether {@code pod} is an executor pod Spark created for this operator's template. */
  public static boolean isExecutor(Pod pod) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    return labels != null
        && Role.EXECUTOR.value().equals(labels.get(Labels.ROLE))
        && "executor".equals(labels.get(SPARK_ROLE_LABEL))
        && labels.containsKey(SPARK_APP_LABEL);
  }

  /** Running and not-yet-running executor pods; those being deleted or ended do not count. */
  public static ExecutorsStatus count(Collection<Pod> executors) {
    int running = 0;
    int pending = 0;
    for (Pod pod : executors) {
      if (pod.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
      if ("Running".equals(phase)) {
        running++;
      } else if (phase == null || "Pending".equals(phase)) {
        pending++;
      }
    }
    return new ExecutorsStatus(running, pending);
  }

  /** What a Ready kubernetes-mode cluster is, in words; the message of its ClusterReady Event. */
  public static final String READY_MESSAGE =
      "the driver is ready; Spark creates executor pods as work arrives";
}

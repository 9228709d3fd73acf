package io.rspark.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.rspark.operator.api.RSparkClusterStatus;
import io.rspark.operator.pods.ExecutorPods;
import java.util.Collection;
import java.util.List;

/** What the status of a {@code scheduler: kubernetes} cluster says beyond a single-node one's. */
public final class KubernetesModeStatus {
  private KubernetesModeStatus() {}

  /**
   * A kubernetes-mode status: the executor counts, and a WorkersReady condition that says there are
   * no workers to wait for instead of describing a single-node cluster.
   */
  public static void describe(
      RSparkClusterStatus status, Collection<Pod> executors, long generation) {
    status.executors = ExecutorPods.count(executors);
    List<Condition> conditions = status.conditions;
    for (Condition c : conditions) {
      if (Conditions.WORKERS_READY.equals(c.getType())) {
        c.setReason("KubernetesScheduler");
        c.setMessage(
            "scheduler is kubernetes: no workers; Spark creates executor pods as work arrives"
                + " (status.executors)");
        c.setObservedGeneration(generation);
      }
    }
  }
}

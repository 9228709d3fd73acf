package io.rspark.operator.reconcile;

import io.fabric8.kubernetes.api.model.Condition;
import io.rspark.operator.api.RSparkCluster;
import io.rspark.operator.api.RSparkClusterStatus;
import io.rspark.operator.lifecycle.IdleDetector;
import io.rspark.operator.pods.PodState;
import io.rspark.operator.reconcile.ClusterEvents.Reason;
import io.rspark.operator.status.ClusterStatusFactory;
import io.rspark.operator.status.Conditions;
import java.time.temporal.ChronoUnit;

/**
 * Removes a cluster's pods and keeps everything else, for spec.suspend or because the cluster was
 * idle for autoTermination.idleMinutes. Its Spark readings go with the pods.
 */
final class Suspension {
  private final SparkObserver spark;

  Suspension(SparkObserver spark) {
    this.spark = spark;
  }

  /**
   * @param idle the verdict that stops the cluster now; null when it is suspended by the spec, or
   *     stays stopped for an earlier idle verdict
   */
  ReconcileProgress suspend(Reconciliation r, IdleDetector.Verdict idle) {
    RSparkCluster cluster = r.cluster();
    boolean byUser = cluster.getSpec().suspend;
    String message;
    if (byUser) {
      message = "spec.suspend is true: pods removed, set it to false to start them again";
    } else if (idle != null) {
      message = idle.message() + ": pods removed; any spec change starts them again";
    } else {
      message =
          cluster.getStatus().conditions.stream()
              .filter(c -> Conditions.SUSPENDED.equals(c.getType()))
              .map(Condition::getMessage)
              .findFirst()
              .orElse("stopped for being idle: any spec change starts the pods again");
    }
    spark.forget(r.key());
    r.observed().pods().stream()
        .filter(p -> !PodState.isTerminating(p))
        .forEach(r.writer()::delete);
    RSparkClusterStatus status =
        ClusterStatusFactory.suspended(
            cluster, byUser ? "Suspended" : "Idle", message, r.observed().pods(), r.now());
    status.idleSuspendedGeneration =
        !byUser && idle != null
            ? cluster.getMetadata().getGeneration()
            : r.lifecycle().idleGeneration();
    if (idle != null) {
      status.lastActivityTime = idle.lastActivity().truncatedTo(ChronoUnit.SECONDS).toString();
    }
    boolean wasSuspended =
        cluster.getStatus() != null
            && Conditions.isTrue(cluster.getStatus().conditions, Conditions.SUSPENDED);
    if (!wasSuspended) {
      r.record(byUser ? Reason.Suspended : Reason.IdleSuspended, message);
    }
    r.status(status);
    return ReconcileProgress.done();
  }
}

package io.rspark.operator.reconcile;

import io.fabric8.kubernetes.api.model.Pod;
import io.rspark.operator.api.RSparkCluster;
import io.rspark.operator.lifecycle.IdleDetector;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Stops a cluster that was idle for autoTermination.idleMinutes (pods removed, as a suspend), and
 * otherwise notes its last activity for the status.
 */
final class IdleStopStep implements ReconcileStep {
  private final SparkObserver spark;
  private final Suspension suspension;

  IdleStopStep(SparkObserver spark, Suspension suspension) {
    this.spark = spark;
    this.suspension = suspension;
  }

  @Override
  public ReconcileProgress reconcile(Reconciliation r) {
    if (r.lifecycle().idleAfter() == null || r.driverPod().isEmpty()) {
      return ReconcileProgress.proceed();
    }
    IdleDetector.Verdict verdict =
        IdleDetector.judge(
            knownActivity(r.cluster(), r.driverPod().get()),
            spark.driver(r.key()),
            r.lifecycle().idleAfter(),
            r.now());
    if (verdict.idle()) {
      return suspension.suspend(r, verdict);
    }
    r.lastActivity(verdict.lastActivity().truncatedTo(ChronoUnit.SECONDS).toString());
    return ReconcileProgress.proceed();
  }

  /** The last activity known: the recorded one, or the driver pod's start if that is later. */
  static Instant knownActivity(RSparkCluster cluster, Pod driver) {
    Instant started =
        driver.getMetadata().getCreationTimestamp() == null
            ? Instant.EPOCH
            : Instant.parse(driver.getMetadata().getCreationTimestamp());
    String recorded = cluster.getStatus() == null ? null : cluster.getStatus().lastActivityTime;
    if (recorded == null) {
      return started;
    }
    Instant last = Instant.parse(recorded);
    return last.isAfter(started) ? last : started;
  }
}

package io.rspark.operator.reconcile;

import io.fabric8.kubernetes.api.model.Pod;
import io.rspark.operator.api.AutoscalingStatus;
import io.rspark.operator.api.RSparkCluster;
import io.rspark.operator.pods.PodState;
import io.rspark.operator.reconcile.ClusterEvents.Reason;
import io.rspark.operator.reconcile.Reconciliation.Scaling;
import io.rspark.operator.resources.ClusterModel;
import io.rspark.operator.resources.ResourceNames;
import io.rspark.operator.scaling.Autoscaler;
import io.rspark.operator.scaling.Decommissioner;
import io.rspark.operator.spark.SparkLines;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * Decides how many workers the cluster has now — the autoscaler's decision from the latest Spark
 * readings, or the spec's count — and renders the cluster's model for that count.
 */
final class WorkerCountStep implements ReconcileStep {
  private final SparkObserver spark;
  private final SparkLines lines;

  WorkerCountStep(SparkObserver spark, SparkLines lines) {
    this.spark = spark;
    this.lines = lines;
  }

  @Override
  public ReconcileProgress reconcile(Reconciliation r) {
    RSparkCluster cluster = r.cluster();
    int workers = r.lifecycle().workers(cluster);
    if (r.lifecycle().autoscaling() != null && !r.lifecycle().suspended()) {
      Scaling scaling = autoscale(r);
      r.scaling(scaling);
      Autoscaler.Decision decision = scaling.decision();
      if (decision.changed()) {
        r.record(
            decision.desired() > scaling.previous() ? Reason.AutoscaledUp : Reason.AutoscaledDown,
            decision.message());
      }
      workers = decision.desired();
    }
    r.model(ClusterModel.of(cluster, lines, workers));
    return ReconcileProgress.proceed();
  }

  /**
   * The autoscaler's decision. It starts from the last decision this process made (the status read
   * in a reconcile may not show it yet), else from the status (after a restart), else from
   * spec.workers.replicas.
   */
  private Scaling autoscale(Reconciliation r) {
    RSparkCluster cluster = r.cluster();
    String key = r.key();
    Instant now = r.now();
    AutoscalingStatus last =
        spark
            .lastScaling(key)
            .orElse(cluster.getStatus() == null ? null : cluster.getStatus().autoscaling);
    int previousCount = last != null ? last.desired : cluster.getSpec().workers.replicas;
    Optional<Instant> lastScale =
        last == null || last.lastScaleTime == null
            ? Optional.empty()
            : Optional.of(Instant.parse(last.lastScaleTime));
    Autoscaler.Decision d =
        Autoscaler.decide(
            new Autoscaler.Input(
                r.lifecycle().autoscaling(),
                previousCount,
                lastScale,
                serving(cluster, r.observed().pods()),
                spark.master(key),
                spark.driver(key),
                spark.idleSince(key),
                now));
    spark.idleSince(key, d.idleSince());
    AutoscalingStatus next =
        new AutoscalingStatus(
            d.desired(),
            d.reason(),
            d.message(),
            d.changed()
                ? now.truncatedTo(ChronoUnit.SECONDS).toString()
                : last == null ? null : last.lastScaleTime);
    spark.lastScaling(key, next);
    return new Scaling(d, previousCount, next);
  }

  /** The worker pods that serve work: neither terminating nor draining. */
  private static List<Autoscaler.WorkerPod> serving(RSparkCluster cluster, List<Pod> pods) {
    return pods.stream()
        .filter(p -> ResourceNames.workerOrdinal(cluster, p.getMetadata().getName()) >= 0)
        .filter(p -> !PodState.isTerminating(p) && Decommissioner.started(p).isEmpty())
        .map(
            p ->
                new Autoscaler.WorkerPod(
                    p.getMetadata().getName(),
                    p.getStatus() == null ? null : p.getStatus().getPodIP()))
        .toList();
  }
}

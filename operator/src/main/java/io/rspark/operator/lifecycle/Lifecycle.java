package io.rspark.operator.lifecycle;

import io.rspark.operator.api.AutoscalingSpec;
import io.rspark.operator.api.RSparkCluster;
import io.rspark.operator.scaling.Autoscaler;
import java.time.Duration;

/**
 * The lifecycle settings of one cluster, read from its spec and status once per reconcile.
 *
 * @param autoscaling the autoscaler's bounds, or null when the worker count is the user's
 * @param idleAfter idle time before the pods are removed, or null when never
 * @param suspended the pods must not run: spec.suspend, or stopped for being idle and the spec not
 *     changed since
 * @param idleGeneration the generation at which the cluster was stopped for being idle, or null
 */
public record Lifecycle(
    Autoscaler.Bounds autoscaling, Duration idleAfter, boolean suspended, Long idleGeneration) {

  public static Lifecycle of(RSparkCluster cluster) {
    var spec = cluster.getSpec();
    AutoscalingSpec a = spec.workers == null ? null : spec.workers.autoscaling;
    Autoscaler.Bounds bounds =
        a == null
            ? null
            : new Autoscaler.Bounds(
                a.minReplicas,
                a.maxReplicas,
                Autoscaler.parseDelay(
                    a.scaleDownDelay == null
                        ? AutoscalingSpec.DEFAULT_SCALE_DOWN_DELAY
                        : a.scaleDownDelay));
    Duration idleAfter =
        spec.autoTermination == null || spec.autoTermination.idleMinutes == null
            ? null
            : Duration.ofMinutes(spec.autoTermination.idleMinutes);
    Long idleGeneration =
        cluster.getStatus() == null ? null : cluster.getStatus().idleSuspendedGeneration;
    boolean idleStopped =
        idleGeneration != null && idleGeneration.equals(cluster.getMetadata().getGeneration());
    return new Lifecycle(
        bounds, idleAfter, spec.suspend || idleStopped, idleStopped ? idleGeneration : null);
  }

  /** The worker count when the autoscaler does not decide it now. */
  public int workers(RSparkCluster cluster) {
    if (autoscaling != null
        && cluster.getStatus() != null
        && cluster.getStatus().autoscaling != null) {
      return cluster.getStatus().autoscaling.desired;
    }
    int replicas = cluster.getSpec().workers == null ? 0 : cluster.getSpec().workers.replicas;
    return autoscaling == null
        ? replicas
        : Math.max(autoscaling.min(), Math.min(autoscaling.max(), replicas));
  }
}

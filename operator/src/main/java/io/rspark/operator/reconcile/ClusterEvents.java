package io.rspark.operator.reconcile;

import io.rspark.operator.api.RSparkCluster;
import java.time.Instant;

/**
 * Kubernetes Events about a cluster, so that {@code kubectl describe rsc/NAME} tells its story.
 * Recording is best effort: a lost Event must not fail or repeat a reconcile.
 */
interface ClusterEvents {
  /** Why an Event was recorded; the Event's reason is the constant's name. */
  enum Reason {
    PodsCreated(false),
    ScaledDown(false),
    PodReplaced(false),
    PodFailed(true),
    ConfigUpdated(false),
    InvalidSpec(true),
    ObjectRejected(true),
    ClusterReady(false),
    Suspended(false),
    IdleSuspended(false),
    Resumed(false),
    AutoscaledUp(false),
    AutoscaledDown(false),
    Decommissioning(false);

    private final boolean warning;

    Reason(boolean warning) {
      this.warning = warning;
    }

    boolean warning() {
      return warning;
    }
  }

  void record(RSparkCluster cluster, Reason reason, String message, Instant now);
}

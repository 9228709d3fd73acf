package io.rspark.operator.api;

/** Coarse lifecycle phase for humans and printer columns; conditions carry the detail. */
public enum ClusterPhase {
  /** Accepted; pods are created but none has started yet. */
  Pending,
  /** Pods exist and are starting. */
  Starting,
  /** Driver and all desired workers are ready. */
  Running,
  /** The worker count is moving towards spec.workers.replicas. */
  Scaling,
  /** Pods are being replaced because their rendered spec changed. */
  Updating,
  /** Pods removed on purpose (spec.suspend, or idle auto-termination); see Suspended. */
  Suspended,
  /** The spec cannot be realised, or pods keep failing; see the Stalled condition. */
  Failed
}

package io.rspark.operator.pods;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What to do with a cluster's pods in this reconcile.
 *
 * @param creates pods to create
 * @param deletions pods to delete, each with why
 * @param retryAfter when to look again although no event may come (a back-off ends)
 * @param backingOff names of failed pods waiting for their back-off before being recreated
 * @param outdated pods whose rendering changed and that still wait for replacement
 * @param draining workers leaving the cluster whose deletion waits until Spark is done with them
 */
public record PodPlan(
    List<Pod> creates,
    List<Deletion> deletions,
    Optional<Duration> retryAfter,
    List<String> backingOff,
    int outdated,
    List<Draining> draining) {

  /** Why a pod is deleted. */
  public enum Cause {
    /** Its ordinal is at or above spec.workers.replicas. */
    SCALE_DOWN,
    /** It ended (Failed/Succeeded); it is recreated after a back-off. */
    FAILED,
    /** Its rendering changed; a new one replaces it. */
    OUTDATED
  }

  public record Deletion(Pod pod, Cause cause) {}

  /**
   * A worker kept while Spark decommissions it.
   *
   * @param pod the worker pod's name
   * @param waitsFor what Spark has yet to report before the pod is deleted, in words
   * @param deadline when the pod is deleted anyway
   */
  public record Draining(String pod, String waitsFor, Instant deadline) {
    /** For the status: which worker drains, what it waits for and until when at most. */
    public String describe() {
      return pod
          + " is decommissioning: "
          + waitsFor
          + " (deleted at "
          + deadline
          + " at the latest)";
    }
  }

  public boolean isNoop() {
    return creates.isEmpty() && deletions.isEmpty();
  }
}

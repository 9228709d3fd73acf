package io.rspark.operator.reconcile;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.rspark.operator.reconcile.ClusterEvents.Reason;
import io.rspark.operator.status.ClusterStatusFactory;
import java.time.Duration;

/**
 * What a reconcile does when the API server refused one of the cluster's objects, or someone else's
 * object holds one of its names. A refusal only a spec change can cure (invalid object) or that
 * waits on someone else (quota, admission policy, a foreign object) is reported as Stalled instead
 * of being retried in a loop; anything else is a transient failure for JOSDK to retry.
 */
final class ObjectRefusals {
  static final Duration FORBIDDEN_RETRY = Duration.ofMinutes(1);

  /**
   * How often a name held by a foreign object is tried again: that object carries none of our
   * labels, so no informer tells the operator when it goes.
   */
  static final Duration NAME_TAKEN_RETRY = Duration.ofSeconds(10);

  private ObjectRefusals() {}

  /**
   * @throws KubernetesClientException {@code e} again when the refusal is transient
   */
  static ReconcileProgress refused(Reconciliation r, KubernetesClientException e) {
    boolean invalid = e.getCode() == 400 || e.getCode() == 422;
    boolean forbidden = e.getCode() == 403;
    if (!invalid && !forbidden) {
      throw e;
    }
    String detail = e.getStatus() != null ? e.getStatus().getMessage() : e.getMessage();
    String message = "the API server refused an object of this cluster: " + detail;
    r.report(
        ClusterStatusFactory.stalled(
            r.cluster(),
            invalid ? "ObjectInvalid" : "Forbidden",
            message,
            invalid
                ? "waiting for a spec whose objects the API server accepts"
                : "retrying every minute: a quota or an admission policy may change",
            r.observed().pods(),
            r.now()),
        Reason.ObjectRejected,
        message);
    return forbidden
        ? ReconcileProgress.doneAndRequeueAfter(FORBIDDEN_RETRY)
        : ReconcileProgress.done();
  }

  static ReconcileProgress nameTaken(Reconciliation r, NameTakenException e) {
    r.report(
        ClusterStatusFactory.stalled(
            r.cluster(),
            e.kind() + "NameTaken",
            e.getMessage(),
            "retrying every " + NAME_TAKEN_RETRY.toSeconds() + " s until the name is free",
            r.observed().pods(),
            r.now()),
        Reason.ObjectRejected,
        e.getMessage());
    return ReconcileProgress.doneAndRequeueAfter(NAME_TAKEN_RETRY);
  }
}

package io.rspark.operator.reconcile;

import io.fabric8.kubernetes.api.model.Pod;
import io.rspark.operator.pods.PodPlan;
import io.rspark.operator.pods.PodPlan.Cause;
import io.rspark.operator.reconcile.ClusterEvents.Reason;
import java.util.List;

/**
 * Deletes and creates the pods the plan says, with one Event per kind of change; comes back when
 * the plan waits for something (a back-off, a pod's end).
 */
final class CarryOutPodsStep implements ReconcileStep {
  @Override
  public ReconcileProgress reconcile(Reconciliation r) {
    PodPlan plan = r.plan();
    for (Cause cause : Cause.values()) {
      List<Pod> pods =
          plan.deletions().stream().filter(d -> d.cause() == cause).map(d -> d.pod()).toList();
      if (pods.isEmpty()) {
        continue;
      }
      pods.forEach(r.writer()::delete);
      String names = names(pods);
      switch (cause) {
        case SCALE_DOWN -> r.record(Reason.ScaledDown, "deleted " + names);
        case OUTDATED -> r.record(Reason.PodReplaced, "replacing " + names + " with the new spec");
        case FAILED -> r.record(Reason.PodFailed, names + " ended; recreating after a back-off");
      }
    }
    if (!plan.creates().isEmpty()) {
      plan.creates().forEach(pod -> r.writer().create(pod, r.cluster()));
      r.record(Reason.PodsCreated, "created " + names(plan.creates()));
    }
    return plan.retryAfter()
        .map(ReconcileProgress::proceedAndRequeueAfter)
        .orElse(ReconcileProgress.proceed());
  }

  private static String names(List<Pod> pods) {
    return String.join(", ", pods.stream().map(p -> p.getMetadata().getName()).toList());
  }
}

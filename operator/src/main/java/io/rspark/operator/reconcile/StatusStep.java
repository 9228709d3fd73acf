package io.rspark.operator.reconcile;

import io.fabric8.kubernetes.api.model.Condition;
import io.rspark.operator.api.ClusterPhase;
import io.rspark.operator.api.RSparkCluster;
import io.rspark.operator.api.RSparkClusterStatus;
import io.rspark.operator.pods.ExecutorPods;
import io.rspark.operator.reconcile.ClusterEvents.Reason;
import io.rspark.operator.resources.ClusterModel;
import io.rspark.operator.status.ClusterStatusFactory;
import io.rspark.operator.status.Conditions;
import io.rspark.operator.status.KubernetesModeStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * Describes a running cluster in its status — phase, conditions, workers or executors, autoscaling,
 * last activity — and records the Events of a resume and of becoming Ready.
 */
final class StatusStep implements ReconcileStep {
  @Override
  public ReconcileProgress reconcile(Reconciliation r) {
    RSparkCluster cluster = r.cluster();
    ClusterModel model = r.model();
    RSparkClusterStatus status =
        ClusterStatusFactory.of(
            cluster, model, r.desiredWorkers(), r.observed().pods(), r.plan(), r.now());
    if (model.kubernetesScheduler()) {
      KubernetesModeStatus.describe(
          status, r.observed().executors(), cluster.getMetadata().getGeneration());
    }
    List<Condition> conditions = new ArrayList<>(status.conditions);
    conditions.add(ClusterStatusFactory.notSuspended(cluster, r.now()));
    status.conditions = conditions;
    status.lastActivityTime = r.lastActivity();
    status.autoscaling = r.scaling().map(Reconciliation.Scaling::status).orElse(null);
    RSparkClusterStatus before = cluster.getStatus();
    if (before != null && before.phase == ClusterPhase.Suspended) {
      r.record(Reason.Resumed, "pods are started again");
    }
    boolean becameReady =
        Conditions.isTrue(status.conditions, Conditions.READY)
            && (before == null || !Conditions.isTrue(before.conditions, Conditions.READY));
    if (becameReady) {
      r.record(
          Reason.ClusterReady,
          model.kubernetesScheduler()
              ? ExecutorPods.READY_MESSAGE
              : ClusterStatusFactory.readyMessage(model.workers()));
    }
    r.status(status);
    return ReconcileProgress.proceed();
  }
}

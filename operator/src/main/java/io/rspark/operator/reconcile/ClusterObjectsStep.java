package io.rspark.operator.reconcile;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.rspark.operator.config.OperatorPeer;
import io.rspark.operator.reconcile.ClusterEvents.Reason;
import io.rspark.operator.resources.ClusterModel;
import io.rspark.operator.resources.DriverRbacFactory;
import io.rspark.operator.resources.DriverServiceFactory;
import io.rspark.operator.resources.ExecutorTemplateFactory;
import io.rspark.operator.resources.NetworkPolicyFactory;
import io.rspark.operator.resources.SparkConfigMapFactory;

/**
 * Writes the cluster's objects other than pods, each only when its rendering changed: the auth
 * Secret (once), the Spark configuration, the kubernetes scheduler's account, role and executor
 * template, the driver Service and the NetworkPolicy. They stay while the cluster is suspended.
 */
final class ClusterObjectsStep implements ReconcileStep {
  private final OperatorPeer operator;

  ClusterObjectsStep(OperatorPeer operator) {
    this.operator = operator;
  }

  @Override
  public ReconcileProgress reconcile(Reconciliation r) {
    ClusterModel model = r.model();
    ObservedObjects observed = r.observed();
    ObjectWriter writer = r.writer();
    r.secretUid(writer.ensureAuthSecret(model, observed.secret()));
    ConfigMap sparkConfig = SparkConfigMapFactory.create(model);
    if (writer.applyIfChanged(
        sparkConfig, observed.configMap(sparkConfig.getMetadata().getName()))) {
      r.record(Reason.ConfigUpdated, "spark-defaults.conf rendered anew");
    }
    if (model.kubernetesScheduler()) {
      // The Role before its binding, and both before the driver that uses them.
      writer.applyIfChanged(DriverRbacFactory.serviceAccount(model), observed.serviceAccount());
      writer.applyIfChanged(DriverRbacFactory.role(model), observed.role());
      writer.applyIfChanged(DriverRbacFactory.roleBinding(model), observed.roleBinding());
      ConfigMap template = ExecutorTemplateFactory.create(model);
      writer.applyIfChanged(template, observed.configMap(template.getMetadata().getName()));
    }
    writer.applyIfChanged(DriverServiceFactory.create(model), observed.service());
    writer.applyIfChanged(NetworkPolicyFactory.create(model, operator), observed.networkPolicy());
    return ReconcileProgress.proceed();
  }
}

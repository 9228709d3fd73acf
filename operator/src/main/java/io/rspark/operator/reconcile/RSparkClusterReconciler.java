package io.rspark.operator.reconcile;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.rspark.operator.api.RSparkCluster;
import io.rspark.operator.config.OperatorConfig;
import java.time.Clock;

/** Reconciles an RSparkCluster into its Secret, ConfigMap, Service, NetworkPolicy and pods. */
@ControllerConfiguration(name = RSparkClusterReconciler.NAME)
public class RSparkClusterReconciler implements Reconciler<RSparkCluster> {
  public static final String NAME = "rsparkcluster";

  private final OperatorConfig config;
  private final Clock clock;

  public RSparkClusterReconciler(OperatorConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
  }

  @Override
  public UpdateControl<RSparkCluster> reconcile(RSparkCluster cluster, Context<RSparkCluster> ctx) {
    return UpdateControl.noUpdate();
  }
}

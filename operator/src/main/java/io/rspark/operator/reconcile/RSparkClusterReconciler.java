package io.rspark.operator.reconcile;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.rspark.operator.api.RSparkCluster;
import io.rspark.operator.config.OperatorConfig;
import io.rspark.operator.pods.PodBackoff;
import io.rspark.operator.spark.SparkClient;
import io.rspark.operator.spark.SparkLines;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Reconciles an RSparkCluster into its objects and pods, as an ordered list of steps: validate →
 * observe Spark → decide the worker count → cluster objects → suspend / idle stop → pods (plan,
 * decommission, carry out) → status. Reads come from informer caches of the operator's own objects
 * only, and the status is written only when it changed, so a converged cluster costs no request.
 */
@ControllerConfiguration(name = RSparkClusterReconciler.NAME)
public class RSparkClusterReconciler implements Reconciler<RSparkCluster> {
  public static final String NAME = "rsparkcluster";

  private final Clock clock;
  private final List<ReconcileStep> steps;

  /**
   * @param sparkClient reads and steers the clusters' Spark processes (autoscaling, idle stop,
   *     decommission)
   * @param addresses where a driver pod's master UI and bridge are reached
   */
  public RSparkClusterReconciler(
      OperatorConfig config, Clock clock, SparkClient sparkClient, SparkAddresses addresses) {
    this.clock = clock;
    SparkObserver spark =
        new SparkObserver(sparkClient, clock, config.get(OperatorConfig.SPARK_DATA_MAX_AGE));
    Duration poll = config.get(OperatorConfig.SPARK_POLL_INTERVAL);
    Suspension suspension = new Suspension(spark);
    SparkLines lines = SparkLines.of(config);
    this.steps =
        List.of(
            new ValidateStep(lines),
            new ObserveSparkStep(spark, addresses, poll),
            new WorkerCountStep(spark, lines),
            new ClusterObjectsStep(config.operatorPeer()),
            new SuspendStep(suspension),
            new IdleStopStep(spark, suspension),
            new PlanPodsStep(new PodBackoff(config.get(OperatorConfig.POD_BACKOFF_MAX))),
            new DecommissionStep(
                spark, addresses, config.get(OperatorConfig.DECOMMISSION_TIMEOUT), poll),
            new CarryOutPodsStep(),
            new StatusStep());
  }

  @Override
  public List<EventSource<?, RSparkCluster>> prepareEventSources(
      EventSourceContext<RSparkCluster> context) {
    return OwnedInformers.of(context);
  }

  @Override
  public UpdateControl<RSparkCluster> reconcile(RSparkCluster cluster, Context<RSparkCluster> ctx) {
    Reconciliation reconciliation =
        new Reconciliation(
            cluster,
            ObservedObjects.of(ctx),
            new ApiObjectWriter(ctx.getClient()),
            new ApiClusterEvents(ctx.getClient()),
            clock.instant());
    return reconciliation.outcome(run(steps, reconciliation));
  }

  /** Runs the steps in order until one ends the reconcile; returns when to come back. */
  static Optional<Duration> run(List<ReconcileStep> steps, Reconciliation reconciliation) {
    Optional<Duration> requeue = Optional.empty();
    for (ReconcileStep step : steps) {
      ReconcileProgress progress;
      try {
        progress = step.reconcile(reconciliation);
      } catch (KubernetesClientException e) {
        progress = ObjectRefusals.refused(reconciliation, e);
      } catch (NameTakenException e) {
        progress = ObjectRefusals.nameTaken(reconciliation, e);
      }
      requeue = progress.requeueAfter(requeue);
      if (!progress.continues()) {
        break;
      }
    }
    return requeue;
  }
}

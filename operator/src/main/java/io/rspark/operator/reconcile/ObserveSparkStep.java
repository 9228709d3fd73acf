package io.rspark.operator.reconcile;

import io.rspark.operator.pods.PodState;
import java.time.Duration;
import java.util.Optional;

/**
 * Asks for fresh readings of the cluster's Spark processes when the operator acts on them
 * (autoscaling, idle stop). Readings arrive in the background; this reconcile decides on the last
 * ones, and the next poll on these.
 */
final class ObserveSparkStep implements ReconcileStep {
  private final SparkObserver spark;
  private final SparkAddresses addresses;
  private final Duration poll;

  ObserveSparkStep(SparkObserver spark, SparkAddresses addresses, Duration poll) {
    this.spark = spark;
    this.addresses = addresses;
    this.poll = poll;
  }

  @Override
  public ReconcileProgress reconcile(Reconciliation r) {
    if (!r.observesSpark()) {
      return ReconcileProgress.proceed();
    }
    boolean autoscales = r.lifecycle().autoscaling() != null;
    r.driverPod()
        .filter(PodState::isReady)
        .ifPresent(
            driver ->
                spark.refresh(
                    r.key(),
                    autoscales ? addresses.masterUi(driver) : Optional.empty(),
                    addresses.bridge(driver)));
    return ReconcileProgress.proceedAndRequeueAfter(poll);
  }
}

package io.rspark.operator.reconcile;

import io.fabric8.kubernetes.api.model.Pod;
import io.rspark.operator.pods.PodPlan;
import io.rspark.operator.pods.PodPlan.Deletion;
import io.rspark.operator.pods.PodState;
import io.rspark.operator.reconcile.ClusterEvents.Reason;
import io.rspark.operator.scaling.Decommissioner;
import java.net.URI;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds back the deletion of workers leaving the cluster until Spark has moved their work away:
 * asks the master to decommission each (once, marked on the pod) and lets the deletion through when
 * the master lets the worker go or the timeout passes. While workers drain, their readings are
 * polled whether or not the cluster autoscales.
 */
final class DecommissionStep implements ReconcileStep {
  private static final Logger LOG = LoggerFactory.getLogger(DecommissionStep.class);

  private final SparkObserver spark;
  private final SparkAddresses addresses;
  private final Duration timeout;
  private final Duration poll;

  DecommissionStep(SparkObserver spark, SparkAddresses addresses, Duration timeout, Duration poll) {
    this.spark = spark;
    this.addresses = addresses;
    this.timeout = timeout;
    this.poll = poll;
  }

  @Override
  public ReconcileProgress reconcile(Reconciliation r) {
    PodPlan plan = r.plan();
    Optional<URI> masterUi =
        r.model().workers() == 0
            ? Optional.empty()
            : r.driverPod().filter(PodState::isReady).flatMap(addresses::masterUi);
    if (masterUi.isPresent()) {
      plan = holdForDrain(r, plan, masterUi.get());
      r.plan(plan);
    }
    // No master (single node, or the driver is down): nothing can drain and deletions go through.
    if (!plan.draining().isEmpty()) {
      return ReconcileProgress.proceedAndRequeueAfter(poll);
    }
    if (!r.observesSpark()) {
      spark.forget(r.key());
    }
    return ReconcileProgress.proceed();
  }

  private PodPlan holdForDrain(Reconciliation r, PodPlan plan, URI masterUi) {
    String key = r.key();
    Decommissioner.Step step =
        Decommissioner.plan(
            plan.deletions(),
            spark.master(key),
            name -> spark.workerExecutors(key, name),
            timeout,
            r.now());
    if (step.holding()) {
      spark.refresh(key, Optional.of(masterUi), Optional.empty());
      for (Deletion held : plan.deletions()) {
        Pod pod = held.pod();
        if (step.waiting().contains(pod.getMetadata().getName())) {
          addresses
              .workerUi(pod)
              .ifPresent(ui -> spark.refreshWorker(key, pod.getMetadata().getName(), ui));
        }
      }
    }
    for (Pod pod : step.start()) {
      r.writer()
          .annotate(
              pod, Decommissioner.STARTED, r.now().truncatedTo(ChronoUnit.SECONDS).toString());
      askToDecommission(masterUi, pod);
    }
    if (!step.start().isEmpty()) {
      r.record(
          Reason.Decommissioning,
          "asked Spark to decommission "
              + String.join(
                  ", ", step.start().stream().map(p -> p.getMetadata().getName()).toList())
              + " before deleting it");
    }
    return new PodPlan(
        plan.creates(),
        step.deletions(),
        plan.retryAfter(),
        plan.backingOff(),
        plan.outdated(),
        step.draining());
  }

  private void askToDecommission(URI masterUi, Pod pod) {
    String ip = pod.getStatus().getPodIP();
    spark
        .client()
        .decommissionWorkers(masterUi, ip)
        .whenComplete(
            (ok, failure) -> {
              if (failure != null) {
                LOG.warn(
                    "Decommission of {} ({}) was not accepted; it is deleted at the timeout: {}",
                    pod.getMetadata().getName(),
                    ip,
                    failure.getMessage());
              }
            });
  }
}

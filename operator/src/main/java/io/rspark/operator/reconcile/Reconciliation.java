package io.rspark.operator.reconcile;

import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.rspark.operator.api.AutoscalingStatus;
import io.rspark.operator.api.RSparkCluster;
import io.rspark.operator.api.RSparkClusterStatus;
import io.rspark.operator.lifecycle.Lifecycle;
import io.rspark.operator.pods.PodPlan;
import io.rspark.operator.reconcile.ClusterEvents.Reason;
import io.rspark.operator.resources.ClusterModel;
import io.rspark.operator.resources.ResourceNames;
import io.rspark.operator.scaling.Autoscaler;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Optional;
import java.util.Set;

/**
 * One reconcile of one cluster: what was observed when it started, where it writes, and what its
 * steps decided so far, in the order they decide it. A step reads what earlier steps set and sets
 * its own part; reading a part no earlier step set is a bug and fails at once.
 */
final class Reconciliation {
  private final RSparkCluster cluster;
  private final ObservedObjects observed;
  private final ObjectWriter writer;
  private final ClusterEvents events;
  private final Instant now;
  private final Lifecycle lifecycle;

  private Optional<Scaling> scaling = Optional.empty();
  private ClusterModel model;
  private String secretUid;
  private String lastActivity;
  private Set<String> desiredWorkers;
  private PodPlan plan;
  private RSparkClusterStatus status;

  Reconciliation(
      RSparkCluster cluster,
      ObservedObjects observed,
      ObjectWriter writer,
      ClusterEvents events,
      Instant now) {
    this.cluster = cluster;
    this.observed = observed;
    this.writer = writer;
    this.events = events;
    this.now = now;
    this.lifecycle = Lifecycle.of(cluster);
  }

  /**
   * An autoscaling decision.
   *
   * @param previous the worker count it started from
   * @param status the decision as status.autoscaling shows it
   */
  record Scaling(Autoscaler.Decision decision, int previous, AutoscalingStatus status) {}

  RSparkCluster cluster() {
    return cluster;
  }

  ObservedObjects observed() {
    return observed;
  }

  ObjectWriter writer() {
    return writer;
  }

  Instant now() {
    return now;
  }

  Lifecycle lifecycle() {
    return lifecycle;
  }

  /** The key of the cluster's Spark readings: namespace/name. */
  String key() {
    return cluster.getMetadata().getNamespace() + "/" + cluster.getMetadata().getName();
  }

  Optional<Pod> driverPod() {
    String name = ResourceNames.driverPod(cluster);
    return observed.pods().stream().filter(p -> p.getMetadata().getName().equals(name)).findFirst();
  }

  /** Whether the operator reads the cluster's Spark processes: it autoscales or stops when idle. */
  boolean observesSpark() {
    return !lifecycle.suspended()
        && (lifecycle.autoscaling() != null || lifecycle.idleAfter() != null);
  }

  void record(Reason reason, String message) {
    events.record(cluster, reason, message, now);
  }

  /**
   * Reports a state the spec or someone else must change: the status, and an Event of {@code
   * reason} the first time (a status that says so already means the Event was recorded).
   */
  void report(RSparkClusterStatus problem, Reason reason, String message) {
    if (!problem.equals(cluster.getStatus())) {
      record(reason, message);
    }
    status = problem;
  }

  Optional<Scaling> scaling() {
    return scaling;
  }

  void scaling(Scaling decided) {
    scaling = Optional.of(decided);
  }

  ClusterModel model() {
    return required(model, "model");
  }

  void model(ClusterModel rendered) {
    model = rendered;
  }

  String secretUid() {
    return required(secretUid, "secretUid");
  }

  void secretUid(String uid) {
    secretUid = uid;
  }

  /** The last activity known to the idle stop, as status.lastActivityTime shows it; or null. */
  String lastActivity() {
    return lastActivity;
  }

  void lastActivity(String time) {
    lastActivity = time;
  }

  Set<String> desiredWorkers() {
    return required(desiredWorkers, "desiredWorkers");
  }

  PodPlan plan() {
    return required(plan, "plan");
  }

  void plan(Set<String> workers, PodPlan planned) {
    desiredWorkers = Collections.unmodifiableSet(workers);
    plan = planned;
  }

  void plan(PodPlan changed) {
    plan = changed;
  }

  void status(RSparkClusterStatus next) {
    status = next;
  }

  /**
   * The reconcile's answer to JOSDK: the status when it changed, written with the cluster's
   * resourceVersion. A reconcile that ran on a cache one version behind meets 409 and JOSDK runs it
   * again at once on the fresh cluster: the status carries what later reconciles decide on (the
   * idle-stop generation, the autoscaler's last decision), so a stale write must not win.
   */
  UpdateControl<RSparkCluster> outcome(Optional<Duration> requeueAfter) {
    UpdateControl<RSparkCluster> control;
    if (status == null || status.equals(cluster.getStatus())) {
      control = UpdateControl.noUpdate();
    } else {
      cluster.setStatus(status);
      control = UpdateControl.patchStatus(cluster);
    }
    requeueAfter.ifPresent(control::rescheduleAfter);
    return control;
  }

  private static <T> T required(T value, String part) {
    if (value == null) {
      throw new IllegalStateException("no earlier step decided the " + part);
    }
    return value;
  }
}

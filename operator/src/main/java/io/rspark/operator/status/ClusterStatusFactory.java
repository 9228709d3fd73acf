package io.rspark.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.rspark.operator.api.ClusterPhase;
import io.rspark.operator.api.Endpoints;
import io.rspark.operator.api.RSparkCluster;
import io.rspark.operator.api.RSparkClusterStatus;
import io.rspark.operator.api.WorkersStatus;
import io.rspark.operator.pods.PodPlan;
import io.rspark.operator.pods.PodState;
import io.rspark.operator.resources.ClusterModel;
import io.rspark.operator.resources.Labels;
import io.rspark.operator.resources.ResourceNames;
import io.rspark.operator.resources.Role;
import io.rspark.operator.spark.PodContract;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The status that tells the truth about a cluster: a pure function of the spec, the observed pods,
 * the plan just carried out and the previous status (for stable transition times).
 */
public final class ClusterStatusFactory {
  /** Container waiting reasons that will not clear up without someone changing something. */
  static final Set<String> STUCK_REASONS =
      Set.of(
          "CrashLoopBackOff",
          "ImagePullBackOff",
          "ErrImagePull",
          "InvalidImageName",
          "CreateContainerConfigError",
          "CreateContainerError");

  private ClusterStatusFactory() {}

  /**
   * Status of a cluster whose spec cannot be realised ({@code reason} of the first problem, all
   * problems in {@code problems}); running pods are left as they are.
   */
  public static RSparkClusterStatus invalidSpec(
      RSparkCluster cluster, String reason, String problems, Collection<Pod> pods, Instant now) {
    return stalled(
        cluster,
        reason,
        "spec is not valid: " + problems,
        "waiting for a valid spec; nothing was changed",
        pods,
        now);
  }

  /**
   * Status of a cluster that cannot progress until someone changes something: Stalled with {@code
   * reason} and {@code message}, Reconciling False with {@code waiting}; pods are reported as seen.
   */
  public static RSparkClusterStatus stalled(
      RSparkCluster cluster,
      String reason,
      String message,
      String waiting,
      Collection<Pod> pods,
      Instant now) {
    int desired = desiredWorkers(cluster);
    Observed seen = Observed.of(cluster, pods, desired, ordinals(cluster, desired));
    List<Condition> previous = previousConditions(cluster);
    long generation = cluster.getMetadata().getGeneration();
    RSparkClusterStatus status = base(cluster, seen);
    status.phase = ClusterPhase.Failed;
    status.conditions =
        List.of(
            Conditions.of(previous, Conditions.READY, false, reason, message, generation, now),
            Conditions.of(
                previous, Conditions.RECONCILING, false, reason, waiting, generation, now),
            Conditions.of(previous, Conditions.STALLED, true, reason, message, generation, now),
            driverCondition(seen, previous, generation, now),
            workersCondition(seen, previous, generation, now));
    return status;
  }

  public static RSparkClusterStatus of(
      RSparkCluster cluster, ClusterModel model, Collection<Pod> pods, PodPlan plan, Instant now) {
    return of(cluster, model, ordinals(cluster, model.workers()), pods, plan, now);
  }

  /**
   * @param desiredWorkers names of the worker pods the cluster should have: ordinals 0..n-1, or
   *     under autoscaling the workers kept plus the ones added
   */
  public static RSparkClusterStatus of(
      RSparkCluster cluster,
      ClusterModel model,
      Set<String> desiredWorkers,
      Collection<Pod> pods,
      PodPlan plan,
      Instant now) {
    Observed seen = Observed.of(cluster, pods, model.workers(), desiredWorkers);
    List<Condition> previous = previousConditions(cluster);
    long generation = cluster.getMetadata().getGeneration();
    RSparkClusterStatus status = base(cluster, seen);
    status.endpoints = endpoints(cluster, model);
    status.sparkVersion = model.sparkLine().version();

    Condition driver = driverCondition(seen, previous, generation, now);
    Condition workers = workersCondition(seen, previous, generation, now);
    Optional<String> stuck = stuckReason(seen, plan);
    boolean scaling = seen.current != model.workers();
    boolean rolling = plan.outdated() > 0;
    boolean ready =
        "True".equals(driver.getStatus())
            && "True".equals(workers.getStatus())
            && !scaling
            && !rolling
            && plan.isNoop();

    String progress;
    String progressMessage;
    if (ready) {
      progress = "Reconciled";
      progressMessage = "the cluster matches its spec";
    } else if (rolling) {
      progress = "RollingUpdate";
      progressMessage = plan.outdated() + " pod(s) wait to be replaced with the new spec";
    } else if (scaling) {
      progress = "Scaling";
      // A draining worker can hold the cluster here for minutes: say what it waits for.
      progressMessage =
          Stream.concat(
                  Stream.of(
                      "moving from " + seen.current + " to " + model.workers() + " worker(s)"),
                  plan.draining().stream().map(PodPlan.Draining::describe))
              .collect(Collectors.joining("; "));
    } else if (!"True".equals(driver.getStatus())) {
      progress = "DriverNotReady";
      progressMessage = driver.getMessage();
    } else {
      progress = "WorkersNotReady";
      progressMessage = workers.getMessage();
    }
    List<Condition> conditions = new ArrayList<>();
    conditions.add(
        Conditions.of(
            previous,
            Conditions.READY,
            ready,
            ready ? "ClusterReady" : progress,
            ready ? readyMessage(model.workers()) : progressMessage,
            generation,
            now));
    conditions.add(
        Conditions.of(
            previous, Conditions.RECONCILING, !ready, progress, progressMessage, generation, now));
    conditions.add(
        Conditions.of(
            previous,
            Conditions.STALLED,
            stuck.isPresent(),
            stuck.isPresent() ? stuck.get().split(":", 2)[0] : "AsExpected",
            stuck.map(s -> s.split(":", 2)[1].trim()).orElse("the operator is making progress"),
            generation,
            now));
    conditions.add(driver);
    conditions.add(workers);
    status.conditions = conditions;

    if (stuck.isPresent()) {
      status.phase = ClusterPhase.Failed;
    } else if (ready) {
      status.phase = ClusterPhase.Running;
    } else if (rolling) {
      status.phase = ClusterPhase.Updating;
    } else if (scaling && seen.driver != null) {
      status.phase = ClusterPhase.Scaling;
    } else if (seen.anyRunning) {
      status.phase = ClusterPhase.Starting;
    } else {
      status.phase = ClusterPhase.Pending;
    }
    return status;
  }

  /**
   * Status of a cluster whose pods were removed on purpose: {@code reason} Suspended (spec.suspend)
   * or Idle (auto-termination); Ready False, Suspended True, phase Suspended.
   */
  public static RSparkClusterStatus suspended(
      RSparkCluster cluster, String reason, String message, Collection<Pod> pods, Instant now) {
    Observed seen = Observed.of(cluster, pods, 0, Set.of());
    List<Condition> previous = previousConditions(cluster);
    long generation = cluster.getMetadata().getGeneration();
    RSparkClusterStatus status = base(cluster, seen);
    status.phase = ClusterPhase.Suspended;
    String pending =
        seen.all.isEmpty() ? message : message + "; " + seen.all.size() + " pod(s) still stopping";
    status.conditions =
        List.of(
            Conditions.of(previous, Conditions.READY, false, reason, pending, generation, now),
            Conditions.of(
                previous, Conditions.RECONCILING, false, reason, pending, generation, now),
            Conditions.of(
                previous,
                Conditions.STALLED,
                false,
                "AsExpected",
                "the pods were removed on purpose",
                generation,
                now),
            driverCondition(seen, previous, generation, now),
            workersCondition(seen, previous, generation, now),
            Conditions.of(previous, Conditions.SUSPENDED, true, reason, message, generation, now));
    if (cluster.getStatus() != null) {
      status.lastActivityTime = cluster.getStatus().lastActivityTime;
      status.autoscaling = cluster.getStatus().autoscaling;
    }
    return status;
  }

  /** The Suspended condition of a cluster that runs: False, so it can be waited for. */
  public static Condition notSuspended(RSparkCluster cluster, Instant now) {
    return Conditions.of(
        previousConditions(cluster),
        Conditions.SUSPENDED,
        false,
        "NotSuspended",
        "spec.suspend is false and the cluster was not stopped for being idle",
        cluster.getMetadata().getGeneration(),
        now);
  }

  /** What a Ready cluster is, in words; also the message of its ClusterReady Event. */
  public static String readyMessage(int workers) {
    return workers == 0
        ? "the single-node driver is ready (Spark local[*])"
        : "driver and " + workers + " worker(s) are ready";
  }

  private static RSparkClusterStatus base(RSparkCluster cluster, Observed seen) {
    RSparkClusterStatus status = new RSparkClusterStatus();
    status.observedGeneration = cluster.getMetadata().getGeneration();
    status.workers = new WorkersStatus(seen.desired, seen.current, seen.ready);
    status.selector = Labels.selectorString(cluster, Role.WORKER);
    if (cluster.getStatus() != null) {
      status.endpoints = cluster.getStatus().endpoints;
      // A stalled or suspended cluster keeps reporting the line its pods were last made with.
      status.sparkVersion = cluster.getStatus().sparkVersion;
    }
    return status;
  }

  private static Optional<String> stuckReason(Observed seen, PodPlan plan) {
    for (Pod pod : seen.all) {
      Optional<String> waiting = PodState.waitingReason(pod).filter(STUCK_REASONS::contains);
      if (waiting.isPresent()) {
        return Optional.of(
            waiting.get() + ": pod " + pod.getMetadata().getName() + " is in " + waiting.get());
      }
    }
    if (!plan.backingOff().isEmpty()) {
      return Optional.of(
          "PodFailed: pod(s) "
              + String.join(", ", plan.backingOff())
              + " ended and are recreated after a back-off");
    }
    return Optional.empty();
  }

  private static Condition driverCondition(
      Observed seen, List<Condition> previous, long generation, Instant now) {
    Pod driver = seen.driver;
    boolean ready = driver != null && PodState.isReady(driver);
    String reason;
    String message;
    if (driver == null) {
      reason = "PodMissing";
      message = "the driver pod does not exist yet";
    } else if (ready) {
      reason = "PodReady";
      message = "driver pod " + driver.getMetadata().getName() + " is ready";
    } else if (PodState.isTerminating(driver)) {
      reason = "PodTerminating";
      message = "driver pod " + driver.getMetadata().getName() + " is being replaced";
    } else {
      reason = PodState.waitingReason(driver).orElse("Pod" + PodState.phase(driver));
      message =
          "driver pod "
              + driver.getMetadata().getName()
              + " is "
              + PodState.phase(driver)
              + PodState.waitingReason(driver).map(r -> " (" + r + ")").orElse("")
              + " and not ready";
    }
    return Conditions.of(
        previous, Conditions.DRIVER_READY, ready, reason, message, generation, now);
  }

  private static Condition workersCondition(
      Observed seen, List<Condition> previous, long generation, Instant now) {
    boolean ready = seen.readyDesired >= seen.desired;
    String reason;
    String message;
    if (seen.desired == 0) {
      reason = "SingleNode";
      message = "workers.replicas is 0: Spark runs local[*] inside the driver pod";
    } else if (ready) {
      reason = "AllWorkersReady";
      message = seen.desired + " of " + seen.desired + " worker(s) ready";
    } else {
      reason = "WorkersNotReady";
      message = seen.readyDesired + " of " + seen.desired + " worker(s) ready";
    }
    return Conditions.of(
        previous, Conditions.WORKERS_READY, ready, reason, message, generation, now);
  }

  private static Endpoints endpoints(RSparkCluster cluster, ClusterModel model) {
    String host = ResourceNames.driverHost(cluster);
    Endpoints e = new Endpoints();
    e.master = model.masterUrl();
    if (model.workers() > 0) {
      e.masterUi = "http://" + host + ":" + PodContract.MASTER_UI_PORT;
    }
    e.appUi = "http://" + host + ":" + PodContract.APP_UI_PORT;
    e.sparklyr =
        "sparklyr://"
            + host
            + ":"
            + PodContract.SPARKLYR_GATEWAY_PORT
            + "/"
            + PodContract.SPARKLYR_SESSION_ID;
    if (model.connect()) {
      e.connect = "sc://" + host + ":" + PodContract.CONNECT_PORT;
    }
    return e;
  }

  private static List<Condition> previousConditions(RSparkCluster cluster) {
    return cluster.getStatus() == null || cluster.getStatus().conditions == null
        ? List.of()
        : cluster.getStatus().conditions;
  }

  private static int desiredWorkers(RSparkCluster cluster) {
    if (cluster.getSpec().workers == null) {
      return 0;
    }
    if (cluster.getSpec().workers.autoscaling != null
        && cluster.getStatus() != null
        && cluster.getStatus().autoscaling != null) {
      return cluster.getStatus().autoscaling.desired;
    }
    return cluster.getSpec().workers.replicas;
  }

  private static Set<String> ordinals(RSparkCluster cluster, int count) {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < count; i++) {
      names.add(ResourceNames.workerPod(cluster, i));
    }
    return names;
  }

  /** Counts read off the observed pods. */
  private record Observed(
      Pod driver,
      List<Pod> all,
      int desired,
      int current,
      int ready,
      int readyDesired,
      boolean anyRunning) {
    static Observed of(
        RSparkCluster cluster, Collection<Pod> pods, int desired, Set<String> desiredNames) {
      Pod driver = null;
      int current = 0;
      int ready = 0;
      int readyDesired = 0;
      boolean anyRunning = false;
      for (Pod pod : pods) {
        anyRunning |= "Running".equals(PodState.phase(pod));
        String name = pod.getMetadata().getName();
        if (name.equals(ResourceNames.driverPod(cluster))) {
          driver = pod;
          continue;
        }
        int ordinal = ResourceNames.workerOrdinal(cluster, name);
        if (ordinal < 0 || PodState.isTerminating(pod)) {
          continue;
        }
        current++;
        if (PodState.isReady(pod)) {
          ready++;
          if (desiredNames.contains(name)) {
            readyDesired++;
          }
        }
      }
      return new Observed(
          driver, List.copyOf(pods), desired, current, ready, readyDesired, anyRunning);
    }
  }
}

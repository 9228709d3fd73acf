package io.rspark.operator.reconcile;

import io.fabric8.kubernetes.api.model.Pod;
import io.rspark.operator.api.RSparkCluster;
import io.rspark.operator.pods.PodBackoff;
import io.rspark.operator.pods.PodPlan;
import io.rspark.operator.pods.PodPlanner;
import io.rspark.operator.pods.PodState;
import io.rspark.operator.resources.ClusterModel;
import io.rspark.operator.resources.PodFactory;
import io.rspark.operator.resources.ResourceNames;
import io.rspark.operator.scaling.Autoscaler;
import io.rspark.operator.scaling.Decommissioner;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Plans the pods: which workers the cluster has, rendered with the driver, and what to create and
 * delete to get there from the pods observed (failed pods after a back-off, outdated ones rolled).
 */
final class PlanPodsStep implements ReconcileStep {
  private static final Comparator<String> BY_ORDINAL =
      Comparator.comparing(String::length).thenComparing(s -> s);

  private final PodBackoff backoff;

  PlanPodsStep(PodBackoff backoff) {
    this.backoff = backoff;
  }

  @Override
  public ReconcileProgress reconcile(Reconciliation r) {
    RSparkCluster cluster = r.cluster();
    ClusterModel model = r.model();
    Set<String> workerNames =
        desiredWorkerNames(
            cluster,
            r.observed().pods(),
            model.workers(),
            r.scaling().map(Reconciliation.Scaling::decision));
    List<Pod> workers =
        workerNames.stream()
            .map(n -> ResourceNames.workerOrdinal(cluster, n))
            .sorted()
            .map(i -> PodFactory.worker(model, i, r.secretUid()))
            .toList();
    Map<String, Pod> observed =
        r.observed().pods().stream()
            .collect(Collectors.toMap(p -> p.getMetadata().getName(), Function.identity()));
    PodPlan plan =
        PodPlanner.plan(
            PodFactory.driver(model, r.secretUid()),
            workers,
            observed,
            backoff,
            model.namespace() + "/" + model.name() + "/",
            r.now());
    r.plan(workerNames, plan);
    return ReconcileProgress.proceed();
  }

  /**
   * The worker pods to have: without autoscaling ordinals 0..n-1; with it, the workers that stay
   * (not chosen for removal, not draining), trimmed from the highest ordinal or topped up with the
   * lowest free ordinals.
   */
  static Set<String> desiredWorkerNames(
      RSparkCluster cluster, List<Pod> pods, int count, Optional<Autoscaler.Decision> decision) {
    TreeSet<String> names = new TreeSet<>(BY_ORDINAL);
    if (decision.isEmpty()) {
      IntStream.range(0, count).forEach(i -> names.add(ResourceNames.workerPod(cluster, i)));
      return names;
    }
    Set<String> taken = new HashSet<>();
    for (Pod p : pods) {
      String name = p.getMetadata().getName();
      if (ResourceNames.workerOrdinal(cluster, name) < 0) {
        continue;
      }
      taken.add(name);
      if (!PodState.isTerminating(p)
          && Decommissioner.started(p).isEmpty()
          && !decision.get().remove().contains(name)) {
        names.add(name);
      }
    }
    while (names.size() > count) {
      names.remove(names.last());
    }
    for (int i = 0; names.size() < count; i++) {
      String name = ResourceNames.workerPod(cluster, i);
      if (!taken.contains(name)) {
        names.add(name);
      }
    }
    return names;
  }
}

package io.rspark.operator.pods;

import io.fabric8.kubernetes.api.model.Pod;
import io.rspark.operator.pods.PodPlan.Cause;
import io.rspark.operator.pods.PodPlan.Deletion;
import io.rspark.operator.resources.SpecHash;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Decides, from desired and observed pods alone, which pods to create and delete: missing pods are
 * created, excess workers deleted, ended pods recreated after a back-off, and outdated pods
 * replaced one worker at a time, then the driver. A pure function of its inputs and the clock.
 */
public final class PodPlanner {
  private PodPlanner() {}

  /**
   * @param driver the desired driver pod
   * @param workers the desired worker pods, by ordinal
   * @param observed the cluster's pods as the informer sees them, by name
   * @param keyPrefix prefix of this cluster's back-off keys ("namespace/cluster/"), so clusters do
   *     not share entries
   */
  public static PodPlan plan(
      Pod driver,
      List<Pod> workers,
      Map<String, Pod> observed,
      PodBackoff backoff,
      String keyPrefix,
      Instant now) {
    List<Pod> creates = new ArrayList<>();
    List<Deletion> deletions = new ArrayList<>();
    List<String> backingOff = new ArrayList<>();
    Optional<Duration> retryAfter = Optional.empty();

    List<String> desiredNames = new ArrayList<>();
    desiredNames.add(name(driver));
    workers.forEach(w -> desiredNames.add(name(w)));
    observed.values().stream()
        .filter(p -> !desiredNames.contains(name(p)) && !PodState.isTerminating(p))
        // Highest ordinal first: "x-worker-10" is longer, hence later, than "x-worker-9".
        .sorted(
            Comparator.comparing((Pod p) -> name(p).length())
                .thenComparing(PodPlanner::name)
                .reversed())
        .forEach(p -> deletions.add(new Deletion(p, Cause.SCALE_DOWN)));

    List<Pod> desired = new ArrayList<>();
    desired.add(driver);
    desired.addAll(workers);
    backoff.retainOnly(
        keyPrefix,
        desired.stream().map(p -> keyPrefix + name(p)).collect(Collectors.toUnmodifiableSet()));
    for (Pod want : desired) {
      Pod have = observed.get(name(want));
      String key = keyPrefix + name(want);
      if (have == null) {
        Optional<Duration> wait = backoff.remaining(key, now);
        if (wait.isPresent()) {
          backingOff.add(name(want));
          retryAfter = earliest(retryAfter, wait.get());
        } else {
          creates.add(want);
        }
      } else if (!PodState.isTerminating(have) && PodState.hasEnded(have)) {
        deletions.add(new Deletion(have, Cause.FAILED));
        Duration wait = backoff.recordFailure(key, now);
        backingOff.add(name(want));
        retryAfter = earliest(retryAfter, wait);
      } else if (PodState.isReady(have)) {
        backoff.forget(key);
      }
    }

    List<Pod> outdatedWorkers = new ArrayList<>();
    int unavailableWorkers = 0;
    for (Pod want : workers) {
      Pod have = observed.get(name(want));
      if (have == null || PodState.isTerminating(have) || PodState.hasEnded(have)) {
        unavailableWorkers++;
      } else {
        if (isOutdated(have, want)) {
          outdatedWorkers.add(have);
        }
        if (!PodState.isReady(have)) {
          unavailableWorkers++;
        }
      }
    }
    int outdated = outdatedWorkers.size();
    List<Pod> unreadyOutdated = outdatedWorkers.stream().filter(p -> !PodState.isReady(p)).toList();
    if (!unreadyOutdated.isEmpty()) {
      // Replacing a worker that serves nothing costs no capacity.
      unreadyOutdated.forEach(p -> deletions.add(new Deletion(p, Cause.OUTDATED)));
    } else if (!outdatedWorkers.isEmpty() && unavailableWorkers == 0) {
      deletions.add(new Deletion(outdatedWorkers.get(outdatedWorkers.size() - 1), Cause.OUTDATED));
    }

    Pod haveDriver = observed.get(name(driver));
    if (haveDriver != null
        && !PodState.isTerminating(haveDriver)
        && !PodState.hasEnded(haveDriver)
        && isOutdated(haveDriver, driver)) {
      outdated++;
      if (!PodState.isReady(haveDriver) || (outdatedWorkers.isEmpty() && unavailableWorkers == 0)) {
        deletions.add(new Deletion(haveDriver, Cause.OUTDATED));
      }
    }
    return new PodPlan(
        List.copyOf(creates),
        List.copyOf(deletions),
        retryAfter,
        List.copyOf(backingOff),
        outdated,
        List.of());
  }

  static boolean isOutdated(Pod have, Pod want) {
    String hash = SpecHash.carried(have);
    return hash == null || !hash.equals(SpecHash.carried(want));
  }

  private static Optional<Duration> earliest(Optional<Duration> current, Duration candidate) {
    return current.isEmpty() || candidate.compareTo(current.get()) < 0
        ? Optional.of(candidate)
        : current;
  }

  private static String name(Pod pod) {
    return pod.getMetadata().getName();
  }
}

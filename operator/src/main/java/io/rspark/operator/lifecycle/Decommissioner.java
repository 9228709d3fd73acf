package io.rspark.operator.lifecycle;

import io.fabric8.kubernetes.api.model.Pod;
import io.rspark.operator.lifecycle.PodPlan.Cause;
import io.rspark.operator.lifecycle.PodPlan.Deletion;
import io.rspark.operator.spark.MasterStatus;
import io.rspark.operator.spark.SparkWorker;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Decides which workers leaving the cluster may be deleted now and which must first be given back
 * to Spark: a ready worker is asked to decommission (marked with {@link #STARTED} so a restarted
 * operator carries on), and deleted once Spark is done with it, or when {@code timeout} has passed.
 * Done means the master no longer lists the worker as alive and either no longer lists it at all or
 * the worker itself reports no executor: the master marks it DECOMMISSIONED at once, while its
 * executor may still be migrating blocks for tens of seconds. A pure function of the plan's
 * deletions, the pods, the latest fresh readings and the clock.
 */
public final class Decommissioner {
  /** Annotation on a worker pod: when the operator asked Spark to decommission it (RFC 3339). */
  public static final String STARTED = "rspark.io/decommission-started";

  private Decommissioner() {}

  /**
   * @param deletions the plan's deletions; only SCALE_DOWN ones of ready workers are held back
   * @param start workers to mark and ask Spark to decommission now
   * @param waiting names of workers still draining
   */
  public record Step(List<Deletion> deletions, List<Pod> start, List<String> waiting) {
    public boolean holding() {
      return !start.isEmpty() || !waiting.isEmpty();
    }
  }

  /**
   * @param workerExecutors executors a worker pod (by name) runs, where freshly read
   */
  public static Step plan(
      List<Deletion> deletions,
      Optional<MasterStatus> master,
      Function<String, Optional<Integer>> workerExecutors,
      Duration timeout,
      Instant now) {
    List<Deletion> deleteNow = new ArrayList<>();
    List<Pod> start = new ArrayList<>();
    List<String> waiting = new ArrayList<>();
    for (Deletion d : deletions) {
      Pod pod = d.pod();
      String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
      if (d.cause() != Cause.SCALE_DOWN || ip == null || !PodState.isReady(pod)) {
        // Not leaving for good, or never served Spark: nothing to move elsewhere.
        deleteNow.add(d);
        continue;
      }
      Optional<Instant> started = started(pod);
      if (started.isEmpty()) {
        start.add(pod);
      } else if (!now.isBefore(started.get().plus(timeout))) {
        deleteNow.add(d);
      } else if (master.isPresent()
          && done(master.get(), ip, workerExecutors.apply(pod.getMetadata().getName()))) {
        deleteNow.add(d);
      } else {
        waiting.add(pod.getMetadata().getName());
      }
    }
    return new Step(List.copyOf(deleteNow), List.copyOf(start), List.copyOf(waiting));
  }

  /** When the worker was asked to decommission; an unreadable mark counts as asked long ago. */
  public static Optional<Instant> started(Pod pod) {
    var annotations = pod.getMetadata().getAnnotations();
    String value = annotations == null ? null : annotations.get(STARTED);
    if (value == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(value));
    } catch (DateTimeParseException e) {
      return Optional.of(Instant.EPOCH);
    }
  }

  /**
   * Spark is done with the worker: the master lists it neither as alive nor as decommissioned
   * (gone, or DEAD), or lists it decommissioned and the worker itself runs no executor any more.
   */
  private static boolean done(MasterStatus master, String ip, Optional<Integer> executors) {
    List<SparkWorker> listed = master.workers().stream().filter(w -> ip.equals(w.host())).toList();
    if (listed.stream().anyMatch(SparkWorker::alive)) {
      return false;
    }
    boolean decommissioned = listed.stream().anyMatch(w -> DECOMMISSIONED.equals(w.state()));
    return !decommissioned || executors.orElse(-1) == 0;
  }

  private static final String DECOMMISSIONED = "DECOMMISSIONED";
}

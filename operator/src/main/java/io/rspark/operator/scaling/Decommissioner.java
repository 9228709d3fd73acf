package io.rspark.operator.scaling;

import io.fabric8.kubernetes.api.model.Pod;
import io.rspark.operator.pods.PodPlan.Cause;
import io.rspark.operator.pods.PodPlan.Deletion;
import io.rspark.operator.pods.PodPlan.Draining;
import io.rspark.operator.pods.PodState;
import io.rspark.operator.spark.MasterStatus;
import io.rspark.operator.spark.SparkWorker;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
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
   * @param draining every worker held back, those asked now included, with what it waits for
   */
  public record Step(List<Deletion> deletions, List<Pod> start, List<Draining> draining) {
    public boolean holding() {
      return !draining.isEmpty();
    }

    /** Names of the workers asked before this step and still draining. */
    public List<String> waiting() {
      return draining.stream()
          .map(Draining::pod)
          .filter(name -> start.stream().noneMatch(p -> name.equals(p.getMetadata().getName())))
          .toList();
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
    List<Draining> draining = new ArrayList<>();
    for (Deletion d : deletions) {
      Pod pod = d.pod();
      String name = pod.getMetadata().getName();
      String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
      if (d.cause() != Cause.SCALE_DOWN || ip == null || !PodState.isReady(pod)) {
        // Not leaving for good, or never served Spark: nothing to move elsewhere.
        deleteNow.add(d);
        continue;
      }
      Optional<Instant> started = started(pod);
      if (started.isEmpty()) {
        start.add(pod);
        // The mark is written to the second; the deadline is the one later reconciles read off it.
        draining.add(
            new Draining(name, ASKED_NOW, now.truncatedTo(ChronoUnit.SECONDS).plus(timeout)));
        continue;
      }
      Instant deadline = started.get().plus(timeout);
      Optional<String> pending =
          now.isBefore(deadline)
              ? pending(master, ip, workerExecutors.apply(name))
              : Optional.empty();
      if (pending.isEmpty()) {
        deleteNow.add(d);
      } else {
        draining.add(new Draining(name, pending.get(), deadline));
      }
    }
    return new Step(List.copyOf(deleteNow), List.copyOf(start), List.copyOf(draining));
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
   * What Spark has yet to report before the worker may go, or empty when it is done with it: the
   * master lists it neither as alive nor as decommissioned (gone, or DEAD), or lists it
   * decommissioned and the worker itself runs no executor any more.
   */
  private static Optional<String> pending(
      Optional<MasterStatus> master, String ip, Optional<Integer> executors) {
    if (master.isEmpty()) {
      return Optional.of("no fresh reading of the Spark master");
    }
    List<SparkWorker> listed =
        master.get().workers().stream().filter(w -> ip.equals(w.host())).toList();
    if (listed.stream().anyMatch(SparkWorker::alive)) {
      return Optional.of("the Spark master still lists it alive");
    }
    if (listed.stream().noneMatch(w -> DECOMMISSIONED.equals(w.state()))) {
      return Optional.empty();
    }
    if (executors.isEmpty()) {
      return Optional.of(
          "the Spark master lists it DECOMMISSIONED; no fresh reading of its executors from the"
              + " worker's UI");
    }
    if (executors.get() != 0) {
      return Optional.of(
          "the Spark master lists it DECOMMISSIONED; its "
              + executors.get()
              + " executor(s) still run, moving their blocks away");
    }
    return Optional.empty();
  }

  /** What a worker asked in this very reconcile waits for. */
  private static final String ASKED_NOW = "Spark was just asked to decommission it";

  private static final String DECOMMISSIONED = "DECOMMISSIONED";
}

package io.rspark.operator.scaling;

import io.rspark.operator.spark.DriverActivity;
import io.rspark.operator.spark.MasterStatus;
import io.rspark.operator.spark.SparkWorker;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides how many workers an autoscaled cluster runs, and which to give back first: a pure
 * function of the bounds, the previous decision, the worker pods, the latest Spark readings and the
 * clock. It grows the cluster when work waits for cores and shrinks it by workers that ran no
 * executor for the scale-down delay; without fresh readings it never shrinks.
 */
public final class Autoscaler {
  public static final String SCALED_UP = "ScaledUp";
  public static final String SCALED_DOWN = "ScaledDown";
  public static final String STEADY = "Steady";
  public static final String AT_MAXIMUM = "AtMaximum";
  public static final String WAITING_FOR_WORKERS = "WaitingForWorkers";
  public static final String SCALE_DOWN_DELAY = "ScaleDownDelay";
  public static final String BOUNDS = "Bounds";
  public static final String SPARK_UNREADABLE = "SparkUnreadable";

  private static final Pattern DURATION = Pattern.compile("^(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?$");

  private Autoscaler() {}

  /** spec.workers.autoscaling, read. */
  public record Bounds(int min, int max, Duration scaleDownDelay) {}

  /** A worker pod that exists and is not being removed. */
  public record WorkerPod(String name, String ip) {}

  /**
   * @param previous the count decided last time (or spec.workers.replicas the first time)
   * @param lastScaleTime when the count last changed
   * @param master the master's latest fresh status; empty when it could not be read or is stale
   * @param driver the bridge's latest fresh report; empty likewise
   * @param idleSince since when each worker pod (by name) has run no executor, from last time
   */
  public record Input(
      Bounds bounds,
      int previous,
      Optional<Instant> lastScaleTime,
      List<WorkerPod> workers,
      Optional<MasterStatus> master,
      Optional<DriverActivity> driver,
      Map<String, Instant> idleSince,
      Instant now) {}

  /**
   * @param remove worker pods to give back first, idle longest first
   * @param idleSince the idle clocks to pass in next time
   */
  public record Decision(
      int desired,
      String reason,
      String message,
      List<String> remove,
      Map<String, Instant> idleSince,
      boolean changed) {}

  public static Decision decide(Input in) {
    Bounds b = in.bounds();
    int base = Math.max(b.min(), Math.min(b.max(), in.previous()));
    if (base != in.previous()) {
      return decision(
          in,
          base,
          BOUNDS,
          "moved from " + in.previous() + " into [" + b.min() + ", " + b.max() + "]",
          List.of(),
          Map.of());
    }
    if (in.master().isEmpty() || in.driver().isEmpty()) {
      return decision(
          in,
          base,
          SPARK_UNREADABLE,
          "no fresh reading of the Spark "
              + (in.master().isEmpty() ? "master" : "driver")
              + "; holding at "
              + base
              + " worker(s), never scaling down without data",
          List.of(),
          // The idle clocks survive a gap in the readings: a missed poll must not restart
          // scaleDownDelay, and nothing is removed until a fresh reading confirms the idleness.
          in.idleSince());
    }
    MasterStatus master = in.master().get();
    DriverActivity driver = in.driver().get();
    long waitingApps = master.activeApps().stream().filter(a -> a.waiting()).count();
    if (driver.pendingTasks() > 0 || waitingApps > 0) {
      return scaleUp(in, base, master, driver.pendingTasks(), waitingApps);
    }
    return scaleDown(in, base, master);
  }

  private static Decision scaleUp(
      Input in, int base, MasterStatus master, int pendingTasks, long waitingApps) {
    String work =
        pendingTasks > 0
            ? pendingTasks + " task(s) wait for cores"
            : waitingApps + " application(s) wait for cores";
    if (base >= in.bounds().max()) {
      return decision(in, base, AT_MAXIMUM, work + "; already at maxReplicas", List.of(), Map.of());
    }
    List<SparkWorker> alive = master.workers().stream().filter(SparkWorker::alive).toList();
    if (alive.size() < base) {
      return decision(
          in,
          base,
          WAITING_FOR_WORKERS,
          work
              + "; "
              + alive.size()
              + " of "
              + base
              + " worker(s) registered, waiting for the rest",
          List.of(),
          Map.of());
    }
    int coresPerWorker = alive.stream().mapToInt(SparkWorker::cores).max().orElse(1);
    int needed = Math.max(1, (pendingTasks + coresPerWorker - 1) / Math.max(1, coresPerWorker));
    // At most doubling per step: a burst of small tasks must not summon maxReplicas at once.
    int step = Math.min(needed, Math.min(in.bounds().max() - base, Math.max(1, base)));
    return decision(
        in,
        base + step,
        SCALED_UP,
        work + "; from " + base + " to " + (base + step) + " worker(s)",
        List.of(),
        Map.of());
  }

  private static Decision scaleDown(Input in, int base, MasterStatus master) {
    Map<String, SparkWorker> aliveByHost = new HashMap<>();
    master.workers().stream().filter(SparkWorker::alive).forEach(w -> aliveByHost.put(w.host(), w));
    Map<String, Instant> idleSince = new HashMap<>();
    for (WorkerPod pod : in.workers()) {
      SparkWorker worker = pod.ip() == null ? null : aliveByHost.get(pod.ip());
      if (worker != null && !worker.runsExecutors()) {
        idleSince.put(pod.name(), in.idleSince().getOrDefault(pod.name(), in.now()));
      }
    }
    Duration delay = in.bounds().scaleDownDelay();
    if (base <= in.bounds().min()) {
      return decision(
          in, base, STEADY, "no work waits; at minReplicas " + base, List.of(), idleSince);
    }
    Optional<Instant> grewUntil = in.lastScaleTime().map(t -> t.plus(delay));
    if (grewUntil.isPresent() && in.now().isBefore(grewUntil.get())) {
      return decision(
          in,
          base,
          SCALE_DOWN_DELAY,
          idleSince.size()
              + " worker(s) without executors; the count changed less than scaleDownDelay ago,"
              + " no worker is removed before "
              + grewUntil.get(),
          List.of(),
          idleSince);
    }
    List<String> candidates =
        idleSince.entrySet().stream()
            .filter(e -> !in.now().isBefore(e.getValue().plus(delay)))
            .sorted(
                Map.Entry.<String, Instant>comparingByValue()
                    .thenComparing(Map.Entry.comparingByKey()))
            .map(Map.Entry::getKey)
            .toList();
    if (candidates.isEmpty()) {
      return decision(
          in,
          base,
          STEADY,
          "no work waits; "
              + idleSince.size()
              + " worker(s) without executors, none for scaleDownDelay yet",
          List.of(),
          idleSince);
    }
    List<String> remove =
        candidates.subList(0, Math.min(candidates.size(), base - in.bounds().min()));
    Map<String, Instant> stillIdle = new HashMap<>(idleSince);
    remove.forEach(stillIdle::remove);
    return decision(
        in,
        base - remove.size(),
        SCALED_DOWN,
        "worker(s) "
            + String.join(", ", remove)
            + " ran no executor for scaleDownDelay; from "
            + base
            + " to "
            + (base - remove.size()),
        List.copyOf(remove),
        stillIdle);
  }

  private static Decision decision(
      Input in,
      int desired,
      String reason,
      String message,
      List<String> remove,
      Map<String, Instant> idleSince) {
    return new Decision(
        desired, reason, message, remove, Map.copyOf(idleSince), desired != in.previous());
  }

  /** A scaleDownDelay as the CRD's pattern allows it ("90s", "10m", "1h30m"). */
  public static Duration parseDelay(String text) {
    Matcher m = DURATION.matcher(text == null ? "" : text.trim());
    if (text == null || text.isBlank() || !m.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration such as 90s, 10m or 1h30m");
    }
    return Duration.ofHours(group(m, 1)).plusMinutes(group(m, 2)).plusSeconds(group(m, 3));
  }

  private static long group(Matcher m, int i) {
    return m.group(i) == null ? 0 : Long.parseLong(m.group(i));
  }
}

package io.rspark.operator.scaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rspark.operator.scaling.Autoscaler.Bounds;
import io.rspark.operator.scaling.Autoscaler.Decision;
import io.rspark.operator.scaling.Autoscaler.Input;
import io.rspark.operator.scaling.Autoscaler.WorkerPod;
import io.rspark.operator.spark.DriverActivity;
import io.rspark.operator.spark.MasterStatus;
import io.rspark.operator.spark.SparkApp;
import io.rspark.operator.spark.SparkWorker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every autoscaling decision, as a table: inputs on the left, the decision on the right. */
class AutoscalerTest {
  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
  private static final Duration DELAY = Duration.ofMinutes(10);
  private static final Bounds B_1_5 = new Bounds(1, 5, DELAY);

  /** A scenario: n workers w-0..w-(n-1) at 10.0.0.i, each alive with {@code cores} cores. */
  private record Case(
      Bounds bounds,
      int previous,
      Optional<Instant> lastScale,
      int pods,
      Optional<MasterStatus> master,
      Optional<DriverActivity> driver,
      Map<String, Instant> idleSince) {
    Decision decide() {
      List<WorkerPod> workers =
          IntStream.range(0, pods).mapToObj(i -> new WorkerPod("w-" + i, "10.0.0." + i)).toList();
      return Autoscaler.decide(
          new Input(bounds, previous, lastScale, workers, master, driver, idleSince, NOW));
    }
  }

  private static MasterStatus master(int alive, int busy, List<SparkApp> apps) {
    List<SparkWorker> workers = new ArrayList<>();
    for (int i = 0; i < alive; i++) {
      workers.add(new SparkWorker("worker-" + i, "10.0.0." + i, 2, i < busy ? 2 : 0, "ALIVE"));
    }
    return new MasterStatus("ALIVE", workers, apps);
  }

  private static final SparkApp BRIDGE = new SparkApp("app-1", "rspark", "RUNNING", 4);
  private static final SparkApp WAITING = new SparkApp("app-2", "batch", "WAITING", 0);

  private static DriverActivity pending(int tasks) {
    return new DriverActivity(1, 0, tasks > 0 ? 1 : 0, tasks, NOW);
  }

  private static Optional<Instant> ago(long minutes) {
    return Optional.of(NOW.minus(Duration.ofMinutes(minutes)));
  }

  private static Map<String, Instant> idle(long minutes, String... names) {
    Map<String, Instant> m = new java.util.HashMap<>();
    for (String n : names) {
      m.put(n, NOW.minus(Duration.ofMinutes(minutes)));
    }
    return m;
  }

  static Stream<Arguments> table() {
    Optional<DriverActivity> quiet = Optional.of(pending(0));
    return Stream.of(
        // name, case, desired, reason, removed
        Arguments.of(
            "pending tasks grow by the cores they need",
            new Case(
                B_1_5,
                2,
                ago(60),
                2,
                Optional.of(master(2, 2, List.of(BRIDGE))),
                Optional.of(pending(3)),
                Map.of()),
            4,
            Autoscaler.SCALED_UP,
            List.of()),
        Arguments.of(
            "a growth step at most doubles the cluster",
            new Case(
                B_1_5,
                1,
                ago(60),
                1,
                Optional.of(master(1, 1, List.of(BRIDGE))),
                Optional.of(pending(40)),
                Map.of()),
            2,
            Autoscaler.SCALED_UP,
            List.of()),
        Arguments.of(
            "growth stops at maxReplicas",
            new Case(
                B_1_5,
                4,
                ago(60),
                4,
                Optional.of(master(4, 4, List.of(BRIDGE))),
                Optional.of(pending(40)),
                Map.of()),
            5,
            Autoscaler.SCALED_UP,
            List.of()),
        Arguments.of(
            "at maxReplicas waiting work changes nothing",
            new Case(
                B_1_5,
                5,
                ago(60),
                5,
                Optional.of(master(5, 5, List.of(BRIDGE))),
                Optional.of(pending(40)),
                Map.of()),
            5,
            Autoscaler.AT_MAXIMUM,
            List.of()),
        Arguments.of(
            "a WAITING application grows the cluster by one",
            new Case(
                B_1_5,
                2,
                ago(60),
                2,
                Optional.of(master(2, 2, List.of(BRIDGE, WAITING))),
                quiet,
                Map.of()),
            3,
            Autoscaler.SCALED_UP,
            List.of()),
        Arguments.of(
            "no second step before the workers of the first registered",
            new Case(
                B_1_5,
                3,
                ago(1),
                3,
                Optional.of(master(2, 2, List.of(BRIDGE))),
                Optional.of(pending(8)),
                Map.of()),
            3,
            Autoscaler.WAITING_FOR_WORKERS,
            List.of()),
        Arguments.of(
            "master unreachable: no scale-down even with long-idle workers",
            new Case(B_1_5, 3, ago(60), 3, Optional.empty(), quiet, idle(30, "w-1", "w-2")),
            3,
            Autoscaler.SPARK_UNREADABLE,
            List.of()),
        Arguments.of(
            "driver unreachable: no scale-down either",
            new Case(
                B_1_5,
                3,
                ago(60),
                3,
                Optional.of(master(3, 0, List.of(BRIDGE))),
                Optional.empty(),
                idle(30, "w-1", "w-2")),
            3,
            Autoscaler.SPARK_UNREADABLE,
            List.of()),
        Arguments.of(
            "unreadable master does not grow on stale demand",
            new Case(B_1_5, 2, ago(60), 2, Optional.empty(), Optional.of(pending(10)), Map.of()),
            2,
            Autoscaler.SPARK_UNREADABLE,
            List.of()),
        Arguments.of(
            "workers idle for the delay go, longest idle first, down to minReplicas",
            new Case(
                B_1_5,
                3,
                ago(60),
                3,
                Optional.of(master(3, 0, List.of(BRIDGE))),
                quiet,
                Map.of(
                    "w-0",
                    NOW.minus(Duration.ofMinutes(11)),
                    "w-1",
                    NOW.minus(Duration.ofMinutes(30)),
                    "w-2",
                    NOW.minus(Duration.ofMinutes(20)))),
            1,
            Autoscaler.SCALED_DOWN,
            List.of("w-1", "w-2")),
        Arguments.of(
            "a busy worker is not removed although others are",
            new Case(
                B_1_5,
                3,
                ago(60),
                3,
                Optional.of(master(3, 1, List.of(BRIDGE))),
                quiet,
                idle(30, "w-0", "w-1", "w-2")),
            1,
            Autoscaler.SCALED_DOWN,
            List.of("w-1", "w-2")),
        Arguments.of(
            "idle for less than the delay: kept (no flapping on a short pause)",
            new Case(
                B_1_5,
                3,
                ago(60),
                3,
                Optional.of(master(3, 0, List.of(BRIDGE))),
                quiet,
                idle(9, "w-0", "w-1", "w-2")),
            3,
            Autoscaler.STEADY,
            List.of()),
        Arguments.of(
            "first time seen idle starts the clock",
            new Case(
                B_1_5, 3, ago(60), 3, Optional.of(master(3, 0, List.of(BRIDGE))), quiet, Map.of()),
            3,
            Autoscaler.STEADY,
            List.of()),
        Arguments.of(
            "within the delay after growing nothing is removed (hysteresis)",
            new Case(
                B_1_5,
                3,
                ago(5),
                3,
                Optional.of(master(3, 0, List.of(BRIDGE))),
                quiet,
                idle(30, "w-0", "w-1", "w-2")),
            3,
            Autoscaler.SCALE_DOWN_DELAY,
            List.of()),
        Arguments.of(
            "at minReplicas idle workers stay",
            new Case(
                B_1_5,
                1,
                ago(60),
                1,
                Optional.of(master(1, 0, List.of(BRIDGE))),
                quiet,
                idle(30, "w-0")),
            1,
            Autoscaler.STEADY,
            List.of()),
        Arguments.of(
            "a previous count above a lowered maxReplicas is brought into bounds",
            new Case(
                new Bounds(1, 2, DELAY),
                4,
                ago(60),
                4,
                Optional.empty(),
                Optional.empty(),
                Map.of()),
            2,
            Autoscaler.BOUNDS,
            List.of()),
        Arguments.of(
            "a previous count below a raised minReplicas is brought into bounds",
            new Case(
                new Bounds(3, 5, DELAY),
                1,
                ago(60),
                1,
                Optional.empty(),
                Optional.empty(),
                Map.of()),
            3,
            Autoscaler.BOUNDS,
            List.of()),
        Arguments.of(
            "a worker not (yet) registered is never taken for idle",
            new Case(
                B_1_5,
                3,
                ago(60),
                3,
                Optional.of(master(2, 0, List.of(BRIDGE))),
                quiet,
                idle(30, "w-2")),
            3,
            Autoscaler.STEADY,
            List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void decides(String name, Case c, int desired, String reason, List<String> removed) {
    Decision d = c.decide();
    assertThat(d.desired()).as("desired").isEqualTo(desired);
    assertThat(d.reason()).as("reason").isEqualTo(reason);
    assertThat(d.remove()).as("removed").containsExactlyElementsOf(removed);
    assertThat(d.changed()).isEqualTo(desired != c.previous());
    assertThat(d.message()).isNotBlank();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void neverLeavesTheBounds(String name, Case c, int desired, String reason, List<String> r) {
    Decision d = c.decide();
    assertThat(d.desired()).isBetween(c.bounds().min(), c.bounds().max());
  }

  @org.junit.jupiter.api.Test
  void idleClocksCarryOverAndResetWhenAWorkerGetsBusy() {
    Case firstSeen =
        new Case(
            B_1_5,
            3,
            ago(60),
            3,
            Optional.of(master(3, 1, List.of(BRIDGE))),
            Optional.of(pending(0)),
            idle(4, "w-1"));
    Decision d = firstSeen.decide();
    assertThat(d.idleSince())
        .containsEntry("w-1", NOW.minus(Duration.ofMinutes(4)))
        .containsEntry("w-2", NOW)
        .doesNotContainKey("w-0");
  }

  @org.junit.jupiter.api.Test
  void aGapInTheReadingsKeepsTheIdleClocksAndTheFirstFreshReadingActsOnThem() {
    Map<String, Instant> clocks = idle(30, "w-1", "w-2");
    Decision blind =
        new Case(B_1_5, 3, ago(60), 3, Optional.empty(), Optional.of(pending(0)), clocks).decide();
    assertThat(blind.idleSince()).isEqualTo(clocks);
    Decision seen =
        new Case(
                B_1_5,
                3,
                ago(60),
                3,
                Optional.of(master(3, 1, List.of(BRIDGE))),
                Optional.of(pending(0)),
                blind.idleSince())
            .decide();
    assertThat(seen.remove()).containsExactly("w-1", "w-2");
  }

  @org.junit.jupiter.api.Test
  void waitingWorkStopsAllIdleClocks() {
    Case busy =
        new Case(
            B_1_5,
            2,
            ago(60),
            2,
            Optional.of(master(2, 0, List.of(BRIDGE))),
            Optional.of(pending(2)),
            idle(30, "w-0", "w-1"));
    assertThat(busy.decide().idleSince()).isEmpty();
  }

  @org.junit.jupiter.api.Test
  void scaleDownDelayText() {
    assertThat(Autoscaler.parseDelay("90s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(Autoscaler.parseDelay("10m")).isEqualTo(Duration.ofMinutes(10));
    assertThat(Autoscaler.parseDelay("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThatThrownBy(() -> Autoscaler.parseDelay("10 min"))
        .hasMessageContaining("not a duration");
    assertThatThrownBy(() -> Autoscaler.parseDelay("")).hasMessageContaining("not a duration");
  }
}

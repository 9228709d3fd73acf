package io.rspark.operator.pods;

import static io.rspark.operator.testing.PodFixtures.driver;
import static io.rspark.operator.testing.PodFixtures.model;
import static io.rspark.operator.testing.PodFixtures.names;
import static io.rspark.operator.testing.PodFixtures.observed;
import static io.rspark.operator.testing.PodFixtures.workers;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.rspark.operator.resources.ClusterModel;
import io.rspark.operator.testing.PodFixtures;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class PodPlannerTest {
  private static final Instant T0 = Instant.parse("2030-01-01T12:00:00Z");
  private static final Duration MAX = Duration.ofMinutes(5);
  private static final String PREFIX = "ns/";

  /**
   * One reconcile: the cluster was rendered for {@code from} workers, its spec now asks for {@code
   * to}; the pods observed are written in {@link PodFixtures}' notation. Expected creates and
   * deletions are in order; a deletion is {@code pod:CAUSE}.
   */
  static Stream<Arguments> plans() {
    return Stream.of(
        row("fresh cluster: everything created", 3, 3, "", "d w0 w1 w2", "", 0),
        row("fresh single-node cluster: only the driver", 0, 0, "", "d", "", 0),
        row("converged: nothing to do", 3, 3, "d w0 w1 w2", "", "", 0),
        row("converged single node: nothing to do", 0, 0, "d", "", "", 0),
        row(
            "pods still starting: nothing to do",
            2,
            2,
            "d:pending w0:nostatus w1:running",
            "",
            "",
            0),
        row("scale up 2 -> 4", 2, 4, "d w0 w1", "w2 w3", "", 0),
        row(
            "scale down 5 -> 2: highest ordinals first",
            5,
            2,
            "d w0 w1 w2 w3 w4",
            "",
            "w4:SCALE_DOWN w3:SCALE_DOWN w2:SCALE_DOWN",
            0),
        row(
            "scale down 12 -> 8: highest ordinals first, numerically",
            12,
            8,
            "d w0 w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w11",
            "",
            "w11:SCALE_DOWN w10:SCALE_DOWN w9:SCALE_DOWN w8:SCALE_DOWN",
            0),
        row(
            "scale down 3 -> 0: workers go, the driver is re-rendered for local[*] and replaced",
            3,
            0,
            "d w0 w1 w2",
            "",
            "w2:SCALE_DOWN w1:SCALE_DOWN w0:SCALE_DOWN d:OUTDATED",
            1),
        row(
            "scale up 0 -> 2: the local driver waits until the workers are available",
            0,
            2,
            "d",
            "w0 w1",
            "",
            1),
        row("missing worker recreated", 3, 3, "d w0 w2", "w1", "", 0),
        row("missing driver recreated", 2, 2, "w0 w1", "d", "", 0),
        row(
            "terminating worker neither recreated nor deleted",
            3,
            3,
            "d w0 w1:terminating w2",
            "",
            "",
            0),
        row(
            "terminating driver neither recreated nor deleted",
            1,
            1,
            "d:terminating w0",
            "",
            "",
            0),
        row(
            "terminating pod beyond replicas not deleted again",
            2,
            2,
            "d w0 w1 w2:terminating",
            "",
            "",
            0),
        row("terminating ended pod left alone", 2, 2, "d w0 w1:failed,terminating", "", "", 0),
        row(
            "stray pod names are deleted as SCALE_DOWN, highest name first",
            2,
            2,
            "d w0 w1 spark-worker-x spark-extra",
            "",
            "spark-worker-x:SCALE_DOWN spark-extra:SCALE_DOWN",
            0),
        row(
            "ended worker (Failed) deleted, not recreated in the same reconcile",
            2,
            2,
            "d w0 w1:failed",
            "",
            "w1:FAILED",
            0),
        row(
            "ended worker (Succeeded) is a failure too",
            2,
            2,
            "d w0:succeeded w1",
            "",
            "w0:FAILED",
            0),
        row("ended driver deleted", 1, 1, "d:failed w0", "", "d:FAILED", 0),
        row(
            "ended outdated worker: deleted once, as FAILED",
            2,
            2,
            "d w0 w1:failed,old",
            "",
            "w1:FAILED",
            0),
        row(
            "outdated workers, all ready: exactly one, the highest ordinal",
            3,
            3,
            "d w0:old w1:old w2",
            "",
            "w1:OUTDATED",
            2),
        row(
            "every worker outdated: the highest ordinal first",
            3,
            3,
            "d w0:old w1:old w2:old",
            "",
            "w2:OUTDATED",
            3),
        row("a worker without spec-hash is outdated", 2, 2, "d w0 w1:nohash", "", "w1:OUTDATED", 1),
        row(
            "outdated while another worker is not ready: nothing deleted",
            3,
            3,
            "d w0:old w1:old w2:running",
            "",
            "",
            2),
        row(
            "outdated while another worker is missing: it is created, nothing deleted",
            3,
            3,
            "d w0:old w1:old",
            "w2",
            "",
            2),
        row(
            "outdated while the replaced worker still terminates: nothing deleted",
            3,
            3,
            "d w0:old w1:old w2:terminating",
            "",
            "",
            2),
        row(
            "outdated while another worker ended: only the ended one deleted",
            3,
            3,
            "d w0:old w1:old w2:failed",
            "",
            "w2:FAILED",
            2),
        row(
            "unready outdated workers all deleted at once, ready ones kept",
            4,
            4,
            "d w0:old w1:old,running w2:old,pending w3:old,crashloop",
            "",
            "w1:OUTDATED w2:OUTDATED w3:OUTDATED",
            4),
        row(
            "unready outdated worker deleted although another is unavailable",
            3,
            3,
            "d w0:old,running w1:pending",
            "w2",
            "w0:OUTDATED",
            1),
        row(
            "driver outdated with workers outdated: driver kept, a worker goes",
            2,
            2,
            "d:old w0:old w1:old",
            "",
            "w1:OUTDATED",
            3),
        row(
            "driver outdated, workers up to date and ready: driver deleted",
            2,
            2,
            "d:old w0 w1",
            "",
            "d:OUTDATED",
            1),
        row(
            "driver outdated, a worker not ready: driver kept",
            2,
            2,
            "d:old w0 w1:running",
            "",
            "",
            1),
        row("driver outdated, a worker missing: driver kept", 2, 2, "d:old w0", "w1", "", 1),
        row(
            "driver outdated and not ready: deleted at once, with the worker being rolled",
            2,
            2,
            "d:old,running w0:old w1:old",
            "",
            "w1:OUTDATED d:OUTDATED",
            3),
        row(
            "driver outdated and waiting on its image: deleted at once",
            2,
            2,
            "d:old,pullbackoff w0 w1",
            "",
            "d:OUTDATED",
            1),
        row("single node, outdated driver: deleted", 0, 0, "d:old", "", "d:OUTDATED", 1),
        row(
            "ended outdated driver: deleted once, as FAILED, not counted as outdated",
            0,
            0,
            "d:old,failed",
            "",
            "d:FAILED",
            0),
        row(
            "terminating outdated pods are not counted as outdated",
            2,
            2,
            "d:old w0:old,terminating w1",
            "",
            "",
            1),
        row(
            "scale down while rolling: excess pods go, one outdated worker goes",
            4,
            2,
            "d w0:old w1:old w2:old w3",
            "",
            "w3:SCALE_DOWN w2:SCALE_DOWN w1:OUTDATED",
            2));
  }

  private static Arguments row(
      String situation,
      int from,
      int to,
      String observed,
      String creates,
      String deletions,
      int outdated) {
    return Arguments.of(situation, from, to, observed, creates, deletions, outdated);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("plans")
  void plansOneReconcile(
      String situation,
      int from,
      int to,
      String observed,
      String creates,
      String deletions,
      int outdated) {
    PodPlan plan = plan(to, observed(from, observed), new PodBackoff(MAX), T0);

    assertThat(names(plan.creates())).as("creates").isEqualTo(creates);
    assertThat(deletions(plan)).as("deletions").isEqualTo(deletions);
    assertThat(plan.outdated()).as("outdated").isEqualTo(outdated);
    assertThat(plan.isNoop()).isEqualTo(creates.isEmpty() && deletions.isEmpty());
    boolean failed = deletions.contains(":FAILED");
    assertThat(plan.retryAfter().isPresent()).as("retryAfter").isEqualTo(failed);
    assertThat(plan.backingOff().isEmpty()).as("backingOff").isEqualTo(!failed);
  }

  @Test
  void createdPodsAreTheDesiredOnesUnchanged() {
    ClusterModel model = model(2);
    PodPlan plan = PodPlanner.plan(driver(model), workers(model), Map.of(), backoff(), PREFIX, T0);

    assertThat(plan.creates())
        .containsExactly(driver(model), workers(model).get(0), workers(model).get(1));
  }

  @Test
  void deletionsCarryTheObservedPod() {
    Map<String, Pod> seen = observed(3, "d w0 w1 w2:failed");
    PodPlan plan = plan(2, seen, backoff(), T0);

    assertThat(plan.deletions())
        .extracting(PodPlan.Deletion::pod)
        .containsExactly(seen.get("spark-worker-2"));
  }

  @Test
  void endedWorkerIsRecreatedOnlyOnceItsBackOffHasPassed() {
    PodBackoff backoff = backoff();

    PodPlan failed = plan(2, observed(2, "d w0 w1:failed"), backoff, T0);
    assertThat(deletions(failed)).isEqualTo("w1:FAILED");
    assertThat(failed.creates()).isEmpty();
    assertThat(failed.backingOff()).containsExactly("spark-worker-1");
    assertThat(failed.retryAfter()).contains(Duration.ofSeconds(10));
    assertThat(backoff.failureCount("ns/spark-worker-1")).isEqualTo(1);

    PodPlan waiting = plan(2, observed(2, "d w0"), backoff, T0.plusSeconds(4));
    assertThat(waiting.creates()).isEmpty();
    assertThat(waiting.deletions()).isEmpty();
    assertThat(waiting.backingOff()).containsExactly("spark-worker-1");
    assertThat(waiting.retryAfter()).contains(Duration.ofSeconds(6));

    PodPlan lastMoment = plan(2, observed(2, "d w0"), backoff, T0.plusMillis(9_999));
    assertThat(lastMoment.creates()).isEmpty();
    assertThat(lastMoment.retryAfter()).contains(Duration.ofMillis(1));

    PodPlan recreated = plan(2, observed(2, "d w0"), backoff, T0.plusSeconds(10));
    assertThat(names(recreated.creates())).isEqualTo("w1");
    assertThat(recreated.backingOff()).isEmpty();
    assertThat(recreated.retryAfter()).isEmpty();
    assertThat(backoff.failureCount("ns/spark-worker-1"))
        .as("remembered until the pod is ready")
        .isEqualTo(1);
  }

  @Test
  void backOffDoublesWhileThePodKeepsFailingAndIsCapped() {
    PodBackoff backoff = backoff();
    Instant now = T0;
    StringBuilder delays = new StringBuilder();
    for (int i = 0; i < 7; i++) {
      PodPlan plan = plan(2, observed(2, "d w0 w1:crashloop,failed"), backoff, now);
      Duration wait = plan.retryAfter().orElseThrow();
      delays.append(wait.toSeconds()).append(' ');
      // Recreated once the back-off passed; it starts, then fails again before being ready.
      now = now.plus(wait);
      assertThat(names(plan(2, observed(2, "d w0"), backoff, now).creates())).isEqualTo("w1");
      assertThat(plan(2, observed(2, "d w0 w1:running"), backoff, now).isNoop()).isTrue();
    }
    assertThat(delays.toString().trim()).isEqualTo("10 20 40 80 160 300 300");
    assertThat(backoff.failureCount("ns/spark-worker-1")).isEqualTo(7);
  }

  @Test
  void backOffIsForgottenOnceThePodIsReady() {
    PodBackoff backoff = backoff();
    plan(2, observed(2, "d w0 w1:failed"), backoff, T0);
    plan(2, observed(2, "d w0"), backoff, T0.plusSeconds(10));
    plan(2, observed(2, "d w0 w1:failed"), backoff, T0.plusSeconds(15));
    assertThat(backoff.failureCount("ns/spark-worker-1")).isEqualTo(2);

    plan(2, observed(2, "d w0 w1"), backoff, T0.plusSeconds(60));
    assertThat(backoff.failureCount("ns/spark-worker-1")).isZero();

    PodPlan again = plan(2, observed(2, "d w0 w1:failed"), backoff, T0.plusSeconds(90));
    assertThat(again.retryAfter()).contains(Duration.ofSeconds(10));
  }

  @Test
  void backOffIsNotForgottenWhileThePodRunsUnready() {
    PodBackoff backoff = backoff();
    plan(2, observed(2, "d w0 w1:failed"), backoff, T0);
    plan(2, observed(2, "d w0 w1:running"), backoff, T0.plusSeconds(20));

    assertThat(backoff.failureCount("ns/spark-worker-1")).isEqualTo(1);
  }

  @Test
  void backOffKeysArePerNamespace() {
    PodBackoff backoff = backoff();
    ClusterModel model = model(2);
    PodPlanner.plan(
        driver(model), workers(model), observed(2, "d w0 w1:failed"), backoff, "a/", T0);

    PodPlan otherNamespace =
        PodPlanner.plan(driver(model), workers(model), observed(2, "d w0"), backoff, "b/", T0);
    assertThat(names(otherNamespace.creates())).isEqualTo("w1");
    assertThat(backoff.failureCount("a/spark-worker-1")).isEqualTo(1);
  }

  @Test
  void retryAfterIsTheEarliestBackOff() {
    PodBackoff backoff = backoff();
    plan(2, observed(2, "d w0 w1:failed"), backoff, T0);
    plan(2, observed(2, "d w0"), backoff, T0.plusSeconds(10));
    plan(2, observed(2, "d w0 w1:failed"), backoff, T0.plusSeconds(12));

    // w1 waits until T0+32 s; w0 fails now, at T0+20 s, and waits 10 s.
    PodPlan plan = plan(2, observed(2, "d w0:failed"), backoff, T0.plusSeconds(20));
    assertThat(deletions(plan)).isEqualTo("w0:FAILED");
    assertThat(plan.backingOff()).containsExactly("spark-worker-0", "spark-worker-1");
    assertThat(plan.retryAfter()).contains(Duration.ofSeconds(10));
  }

  @Test
  void backingOffDriverIsNotRecreatedButWorkersAre() {
    PodBackoff backoff = backoff();
    plan(1, observed(1, "d:failed w0"), backoff, T0);

    PodPlan plan = plan(1, Map.of(), backoff, T0.plusSeconds(1));
    assertThat(names(plan.creates())).isEqualTo("w0");
    assertThat(plan.backingOff()).containsExactly("spark-driver");
    assertThat(plan.retryAfter()).contains(Duration.ofSeconds(9));
  }

  @ParameterizedTest(name = "failure {0} with max {1}s waits {2}s")
  @CsvSource({
    "1, 300, 10",
    "2, 300, 20",
    "3, 300, 40",
    "4, 300, 80",
    "5, 300, 160",
    "6, 300, 300",
    "7, 300, 300",
    "40, 300, 300",
    "1, 5, 5",
    "3, 3600, 40",
    "10, 3600, 3600",
    "64, 86400000, 10485760",
  })
  void backOffDelays(int failures, long maxSeconds, long expectedSeconds) {
    PodBackoff backoff = new PodBackoff(Duration.ofSeconds(maxSeconds));
    Duration last = null;
    for (int i = 0; i < failures; i++) {
      last = backoff.recordFailure("ns/p", T0);
    }
    assertThat(last).isEqualTo(Duration.ofSeconds(expectedSeconds));
    assertThat(backoff.remaining("ns/p", T0)).contains(last);
    assertThat(backoff.remaining("ns/p", T0.plus(last))).isEmpty();
    assertThat(backoff.failureCount("ns/p")).isEqualTo(failures);
  }

  @Test
  void unknownPodsDoNotBackOff() {
    assertThat(backoff().remaining("ns/never-failed", T0)).isEqualTo(Optional.empty());
    assertThat(backoff().failureCount("ns/never-failed")).isZero();
  }

  @Test
  void planningIsAPureFunctionOfItsInputs() {
    Map<String, Pod> seen = observed(3, "d:old w0:old w1:old,running w2:failed spark-extra");
    Map<String, Pod> reordered = new LinkedHashMap<>();
    seen.keySet().stream().sorted().forEach(name -> reordered.put(name, seen.get(name)));

    PodPlan first = plan(3, seen, backoff(), T0);
    PodPlan second = plan(3, reordered, backoff(), T0);
    assertThat(deletions(second)).isEqualTo(deletions(first));
    assertThat(names(second.creates())).isEqualTo(names(first.creates()));
    assertThat(second.outdated()).isEqualTo(first.outdated());
  }

  private static PodBackoff backoff() {
    return new PodBackoff(MAX);
  }

  private static PodPlan plan(
      int workers, Map<String, Pod> observed, PodBackoff backoff, Instant now) {
    ClusterModel model = model(workers);
    return PodPlanner.plan(driver(model), workers(model), observed, backoff, PREFIX, now);
  }

  private static String deletions(PodPlan plan) {
    return plan.deletions().stream()
        .map(
            d -> PodFixtures.abbreviation(d.pod().getMetadata().getName()) + ":" + d.cause().name())
        .collect(Collectors.joining(" "));
  }
}

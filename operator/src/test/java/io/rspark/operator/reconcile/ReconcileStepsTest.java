package io.rspark.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.rspark.operator.api.ClusterPhase;
import io.rspark.operator.status.Conditions;
import io.rspark.operator.testing.PodFixtures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * How the reconciler runs its steps: in order, until one ends the reconcile; requeues folded to the
 * earliest unless the ending step decides alone; refusals of the API server turned into a Stalled
 * status or handed to JOSDK to retry.
 */
class ReconcileStepsTest {
  private final StepFixtures f = new StepFixtures();
  private final List<String> ran = new ArrayList<>();

  private ReconcileStep step(String name, ReconcileProgress progress) {
    return r -> {
      ran.add(name);
      return progress;
    };
  }

  private Optional<Duration> run(ReconcileStep... steps) {
    return RSparkClusterReconciler.run(
        List.of(steps), f.reconciliation(PodFixtures.cluster(1), List.of()));
  }

  @Test
  void stepsRunInOrderUntilOneEndsTheReconcile() {
    run(
        step("a", ReconcileProgress.proceed()),
        step("b", ReconcileProgress.done()),
        step("c", ReconcileProgress.proceed()));
    assertThat(ran).containsExactly("a", "b");
  }

  @Test
  void theEarliestRequeueOfStepsThatGoOnWins() {
    Optional<Duration> requeue =
        run(
            step("poll", ReconcileProgress.proceedAndRequeueAfter(Duration.ofSeconds(10))),
            step("none", ReconcileProgress.proceed()),
            step("backoff", ReconcileProgress.proceedAndRequeueAfter(Duration.ofSeconds(4))),
            step("later", ReconcileProgress.proceedAndRequeueAfter(Duration.ofSeconds(30))));
    assertThat(requeue).contains(Duration.ofSeconds(4));
  }

  @Test
  void aStepThatEndsTheReconcileDecidesTheRequeueAlone() {
    assertThat(
            run(
                step("poll", ReconcileProgress.proceedAndRequeueAfter(Duration.ofSeconds(10))),
                step("stop", ReconcileProgress.done())))
        .isEmpty();
    assertThat(
            run(
                step("poll", ReconcileProgress.proceedAndRequeueAfter(Duration.ofSeconds(10))),
                step("retry", ReconcileProgress.doneAndRequeueAfter(Duration.ofMinutes(1)))))
        .contains(Duration.ofMinutes(1));
  }

  @Test
  void aForbiddenObjectStallsTheClusterAndIsTriedAgainEveryMinute() {
    var r = f.reconciliation(PodFixtures.cluster(1), List.of());
    Optional<Duration> requeue =
        RSparkClusterReconciler.run(
            List.of(
                x -> {
                  throw refusal(403, "exceeded quota: compute");
                },
                step("after", ReconcileProgress.proceed())),
            r);
    assertThat(ran).isEmpty();
    assertThat(requeue).contains(ObjectRefusals.FORBIDDEN_RETRY);
    var status = StepFixtures.patchedStatus(r);
    assertThat(status.phase).isEqualTo(ClusterPhase.Failed);
    assertThat(StepFixtures.condition(status, Conditions.STALLED).getReason())
        .isEqualTo("Forbidden");
    assertThat(f.events.recorded)
        .containsExactly(
            "ObjectRejected: the API server refused an object of this cluster: exceeded quota:"
                + " compute");
  }

  @Test
  void anInvalidObjectStallsTheClusterUntilTheSpecChanges() {
    var r = f.reconciliation(PodFixtures.cluster(1), List.of());
    Optional<Duration> requeue =
        RSparkClusterReconciler.run(
            List.of(
                x -> {
                  throw refusal(422, "spec.containers[0].resources: Invalid value");
                }),
            r);
    assertThat(requeue).isEmpty();
    assertThat(
            StepFixtures.condition(StepFixtures.patchedStatus(r), Conditions.STALLED).getReason())
        .isEqualTo("ObjectInvalid");
  }

  @Test
  void aForeignObjectHoldingANameIsTriedAgainUntilTheNameIsFree() {
    var r = f.reconciliation(PodFixtures.cluster(1), List.of());
    Optional<Duration> requeue =
        RSparkClusterReconciler.run(
            List.of(
                x -> {
                  throw new NameTakenException("Service", "spark-driver");
                }),
            r);
    assertThat(requeue).contains(ObjectRefusals.NAME_TAKEN_RETRY);
    assertThat(
            StepFixtures.condition(StepFixtures.patchedStatus(r), Conditions.STALLED).getReason())
        .isEqualTo("ServiceNameTaken");
  }

  @Test
  void aTransientFailureGoesBackToJosdkForItsRetry() {
    var r = f.reconciliation(PodFixtures.cluster(1), List.of());
    assertThatThrownBy(
            () ->
                RSparkClusterReconciler.run(
                    List.of(
                        x -> {
                          throw refusal(500, "etcdserver: request timed out");
                        }),
                    r))
        .isInstanceOf(KubernetesClientException.class);
    assertThat(f.events.recorded).isEmpty();
  }

  private static KubernetesClientException refusal(int code, String message) {
    return new KubernetesClientException(
        new StatusBuilder().withCode(code).withMessage(message).build());
  }
}

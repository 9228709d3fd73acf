package io.rspark.operator.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.rspark.operator.pods.PodPlan.Cause;
import io.rspark.operator.pods.PodPlan.Deletion;
import io.rspark.operator.pods.PodPlan.Draining;
import io.rspark.operator.spark.MasterStatus;
import io.rspark.operator.spark.SparkWorker;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** When a worker leaving the cluster is deleted, asked to decommission, or waited for. */
class DecommissionerTest {
  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
  private static final Duration TIMEOUT = Duration.ofMinutes(5);
  private static final String IP = "10.0.0.7";

  private static Pod worker(boolean ready, String ip, String startedAt) {
    PodBuilder b =
        new PodBuilder()
            .withNewMetadata()
            .withName("c-worker-3")
            .endMetadata()
            .withNewStatus()
            .withPhase("Running")
            .withPodIP(ip)
            .addNewCondition()
            .withType("Ready")
            .withStatus(ready ? "True" : "False")
            .endCondition()
            .endStatus();
    if (startedAt != null) {
      b.editMetadata().addToAnnotations(Decommissioner.STARTED, startedAt).endMetadata();
    }
    return b.build();
  }

  private static Optional<MasterStatus> master(String state) {
    return Optional.of(
        new MasterStatus(
            "ALIVE",
            state == null ? List.of() : List.of(new SparkWorker("w", IP, 2, 0, state)),
            List.of()));
  }

  private static String ago(long minutes) {
    return NOW.minus(Duration.ofMinutes(minutes)).toString();
  }

  static Stream<Arguments> table() {
    return Stream.of(
        // name, pod, cause, master, executors the worker reports (-1 unread), outcome
        // (DELETE, START, WAIT)
        Arguments.of(
            "a ready worker is first asked to decommission",
            worker(true, IP, null),
            Cause.SCALE_DOWN,
            master("ALIVE"),
            -1,
            "START"),
        Arguments.of(
            "asked, still alive on the master: wait",
            worker(true, IP, ago(1)),
            Cause.SCALE_DOWN,
            master("ALIVE"),
            -1,
            "WAIT"),
        Arguments.of(
            "asked, DECOMMISSIONED on the master, the worker runs no executor: delete",
            worker(true, IP, ago(1)),
            Cause.SCALE_DOWN,
            master("DECOMMISSIONED"),
            0,
            "DELETE"),
        Arguments.of(
            "asked, DECOMMISSIONED, its executor still migrating blocks: wait",
            worker(true, IP, ago(1)),
            Cause.SCALE_DOWN,
            master("DECOMMISSIONED"),
            1,
            "WAIT"),
        Arguments.of(
            "asked, DECOMMISSIONED, the worker's UI unread: wait",
            worker(true, IP, ago(1)),
            Cause.SCALE_DOWN,
            master("DECOMMISSIONED"),
            -1,
            "WAIT"),
        Arguments.of(
            "asked, DECOMMISSIONED and unread past the timeout: delete",
            worker(true, IP, ago(5)),
            Cause.SCALE_DOWN,
            master("DECOMMISSIONED"),
            -1,
            "DELETE"),
        Arguments.of(
            "asked, the master lists it DEAD: delete",
            worker(true, IP, ago(1)),
            Cause.SCALE_DOWN,
            master("DEAD"),
            -1,
            "DELETE"),
        Arguments.of(
            "asked, master no longer lists it: delete",
            worker(true, IP, ago(1)),
            Cause.SCALE_DOWN,
            master(null),
            -1,
            "DELETE"),
        Arguments.of(
            "asked, master unreadable: wait",
            worker(true, IP, ago(1)),
            Cause.SCALE_DOWN,
            Optional.empty(),
            -1,
            "WAIT"),
        Arguments.of(
            "asked, timeout passed with the master unreadable: delete",
            worker(true, IP, ago(5)),
            Cause.SCALE_DOWN,
            Optional.empty(),
            -1,
            "DELETE"),
        Arguments.of(
            "asked, timeout passed while still alive: delete",
            worker(true, IP, ago(6)),
            Cause.SCALE_DOWN,
            master("ALIVE"),
            -1,
            "DELETE"),
        Arguments.of(
            "an unreadable mark counts as long ago",
            worker(true, IP, "yesterday"),
            Cause.SCALE_DOWN,
            master("ALIVE"),
            -1,
            "DELETE"),
        Arguments.of(
            "a worker that never became ready holds nothing: delete",
            worker(false, IP, null),
            Cause.SCALE_DOWN,
            master("ALIVE"),
            -1,
            "DELETE"),
        Arguments.of(
            "a worker without an IP never registered: delete",
            worker(true, null, null),
            Cause.SCALE_DOWN,
            master("ALIVE"),
            -1,
            "DELETE"),
        Arguments.of(
            "a failed worker is replaced at once",
            worker(true, IP, null),
            Cause.FAILED,
            master("ALIVE"),
            -1,
            "DELETE"),
        Arguments.of(
            "an outdated worker is replaced at once",
            worker(true, IP, null),
            Cause.OUTDATED,
            master("ALIVE"),
            -1,
            "DELETE"));
  }

  /** What the status says a held-back worker waits for, and until when at most. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          asked now          |      |                | -1 | Spark was just asked to decommission it | 12:05:00
          master unread      | 1    |                | -1 | no fresh reading of the Spark master | 12:04:00
          still alive        | 1    | ALIVE          | -1 | the Spark master still lists it alive | 12:04:00
          executor migrating | 2    | DECOMMISSIONED | 1  | the Spark master lists it DECOMMISSIONED; its 1 executor(s) still run, moving their blocks away | 12:03:00
          worker UI unread   | 2    | DECOMMISSIONED | -1 | the Spark master lists it DECOMMISSIONED; no fresh reading of its executors from the worker's UI | 12:03:00
          """)
  void saysWhatADrainingWorkerWaitsFor(
      String situation,
      Long askedMinutesAgo,
      String masterState,
      int executors,
      String waitsFor,
      String deadline) {
    Pod pod = worker(true, IP, askedMinutesAgo == null ? null : ago(askedMinutesAgo));
    Optional<Integer> reported = executors < 0 ? Optional.empty() : Optional.of(executors);
    Decommissioner.Step step =
        Decommissioner.plan(
            List.of(new Deletion(pod, Cause.SCALE_DOWN)),
            askedMinutesAgo == null || masterState != null ? master(masterState) : Optional.empty(),
            podName -> reported,
            TIMEOUT,
            NOW.plusMillis(500));

    assertThat(step.draining())
        .containsExactly(
            new Draining("c-worker-3", waitsFor, Instant.parse("2026-01-01T" + deadline + "Z")));
    assertThat(step.draining().get(0).describe())
        .isEqualTo(
            "c-worker-3 is decommissioning: "
                + waitsFor
                + " (deleted at 2026-01-01T"
                + deadline
                + "Z at the latest)");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void decides(
      String name,
      Pod pod,
      Cause cause,
      Optional<MasterStatus> master,
      int executors,
      String outcome) {
    Optional<Integer> reported = executors < 0 ? Optional.empty() : Optional.of(executors);
    Decommissioner.Step step =
        Decommissioner.plan(
            List.of(new Deletion(pod, cause)),
            master,
            podName -> podName.equals(pod.getMetadata().getName()) ? reported : Optional.empty(),
            TIMEOUT,
            NOW);
    assertThat(step.deletions().isEmpty()).isEqualTo(!outcome.equals("DELETE"));
    assertThat(step.start().isEmpty()).isEqualTo(!outcome.equals("START"));
    assertThat(step.waiting().isEmpty()).isEqualTo(!outcome.equals("WAIT"));
    assertThat(step.holding()).isEqualTo(!outcome.equals("DELETE"));
  }
}

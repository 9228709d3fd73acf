package io.rspark.operator.status;

import static io.rspark.operator.testing.PodFixtures.cluster;
import static io.rspark.operator.testing.PodFixtures.driver;
import static io.rspark.operator.testing.PodFixtures.observed;
import static io.rspark.operator.testing.PodFixtures.workers;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.rspark.operator.api.ClusterPhase;
import io.rspark.operator.api.ConnectSpec;
import io.rspark.operator.api.Endpoints;
import io.rspark.operator.api.RSparkCluster;
import io.rspark.operator.api.RSparkClusterStatus;
import io.rspark.operator.api.WorkersStatus;
import io.rspark.operator.pods.PodBackoff;
import io.rspark.operator.pods.PodPlan;
import io.rspark.operator.pods.PodPlanner;
import io.rspark.operator.resources.ClusterModel;
import io.rspark.operator.testing.PodFixtures;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class ClusterStatusFactoryTest {
  private static final Instant T1 = Instant.parse("2030-01-01T12:00:00Z");
  private static final Instant T2 = T1.plusSeconds(90);
  private static final String HOST = "spark-driver.ns.svc";

  /**
   * Phase and condition reasons of one reconcile: the pods were rendered for {@code from} workers,
   * the spec asks for {@code to}. A reason is written {@code Reason} when the condition is True and
   * {@code !Reason} when it is False.
   */
  static Stream<Arguments> phases() {
    return Stream.of(
        row(
            "no pod yet",
            2,
            2,
            "",
            ClusterPhase.Pending,
            "!Scaling",
            "Scaling",
            "!AsExpected",
            "!PodMissing",
            "!WorkersNotReady"),
        row(
            "pods created, none scheduled",
            2,
            2,
            "d:nostatus w0:nostatus w1:nostatus",
            ClusterPhase.Pending,
            "!DriverNotReady",
            "DriverNotReady",
            "!AsExpected",
            "!PodPending",
            "!WorkersNotReady"),
        row(
            "containers being created are not stuck",
            2,
            2,
            "d:creating w0:creating w1:pending",
            ClusterPhase.Pending,
            "!DriverNotReady",
            "DriverNotReady",
            "!AsExpected",
            "!PodPending",
            "!WorkersNotReady"),
        row(
            "driver running, not ready yet",
            2,
            2,
            "d:running w0:pending w1:pending",
            ClusterPhase.Starting,
            "!DriverNotReady",
            "DriverNotReady",
            "!AsExpected",
            "!PodRunning",
            "!WorkersNotReady"),
        row(
            "driver ready, workers starting",
            2,
            2,
            "d w0:running w1:pending",
            ClusterPhase.Starting,
            "!WorkersNotReady",
            "WorkersNotReady",
            "!AsExpected",
            "PodReady",
            "!WorkersNotReady"),
        row(
            "all ready",
            2,
            2,
            "d w0 w1",
            ClusterPhase.Running,
            "ClusterReady",
            "!Reconciled",
            "!AsExpected",
            "PodReady",
            "AllWorkersReady"),
        row(
            "single node ready",
            0,
            0,
            "d",
            ClusterPhase.Running,
            "ClusterReady",
            "!Reconciled",
            "!AsExpected",
            "PodReady",
            "SingleNode"),
        row(
            "single node starting",
            0,
            0,
            "d:running",
            ClusterPhase.Starting,
            "!DriverNotReady",
            "DriverNotReady",
            "!AsExpected",
            "!PodRunning",
            "SingleNode"),
        row(
            "scale up 2 -> 4",
            2,
            4,
            "d w0 w1",
            ClusterPhase.Scaling,
            "!Scaling",
            "Scaling",
            "!AsExpected",
            "PodReady",
            "!WorkersNotReady"),
        row(
            "scale down 4 -> 2",
            4,
            2,
            "d w0 w1 w2 w3",
            ClusterPhase.Scaling,
            "!Scaling",
            "Scaling",
            "!AsExpected",
            "PodReady",
            "AllWorkersReady"),
        row(
            "scale down 4 -> 2, excess pods terminating",
            4,
            2,
            "d w0 w1 w2:terminating w3:terminating",
            ClusterPhase.Running,
            "ClusterReady",
            "!Reconciled",
            "!AsExpected",
            "PodReady",
            "AllWorkersReady"),
        row(
            "rolling update of the workers",
            2,
            2,
            "d w0:old w1:old",
            ClusterPhase.Updating,
            "!RollingUpdate",
            "RollingUpdate",
            "!AsExpected",
            "PodReady",
            "AllWorkersReady"),
        row(
            "rolling update, the driver last",
            2,
            2,
            "d:old w0 w1",
            ClusterPhase.Updating,
            "!RollingUpdate",
            "RollingUpdate",
            "!AsExpected",
            "PodReady",
            "AllWorkersReady"),
        row(
            "a worker in CrashLoopBackOff",
            2,
            2,
            "d w0 w1:crashloop",
            ClusterPhase.Failed,
            "!WorkersNotReady",
            "WorkersNotReady",
            "CrashLoopBackOff",
            "PodReady",
            "!WorkersNotReady"),
        row(
            "the driver in ImagePullBackOff",
            2,
            2,
            "d:pullbackoff w0:pending w1:pending",
            ClusterPhase.Failed,
            "!DriverNotReady",
            "DriverNotReady",
            "ImagePullBackOff",
            "!ImagePullBackOff",
            "!WorkersNotReady"),
        row(
            "a worker with a config error",
            1,
            1,
            "d w0:configerror",
            ClusterPhase.Failed,
            "!WorkersNotReady",
            "WorkersNotReady",
            "CreateContainerConfigError",
            "PodReady",
            "!WorkersNotReady"),
        row(
            "stuck while rolling: Failed wins over Updating",
            2,
            2,
            "d w0:old w1:old,crashloop",
            ClusterPhase.Failed,
            "!RollingUpdate",
            "RollingUpdate",
            "CrashLoopBackOff",
            "PodReady",
            "!WorkersNotReady"),
        row(
            "a worker ended and backs off",
            2,
            2,
            "d w0 w1:failed",
            ClusterPhase.Failed,
            "!WorkersNotReady",
            "WorkersNotReady",
            "PodFailed",
            "PodReady",
            "!WorkersNotReady"),
        row(
            "the driver ended and backs off",
            1,
            1,
            "d:failed w0",
            ClusterPhase.Failed,
            "!DriverNotReady",
            "DriverNotReady",
            "PodFailed",
            "!PodFailed",
            "AllWorkersReady"),
        row(
            "the driver terminating",
            1,
            1,
            "d:terminating w0",
            ClusterPhase.Starting,
            "!DriverNotReady",
            "DriverNotReady",
            "!AsExpected",
            "!PodTerminating",
            "AllWorkersReady"));
  }

  private static Arguments row(
      String situation,
      int from,
      int to,
      String pods,
      ClusterPhase phase,
      String ready,
      String reconciling,
      String stalled,
      String driverReady,
      String workersReady) {
    return Arguments.of(
        situation, from, to, pods, phase, ready, reconciling, stalled, driverReady, workersReady);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("phases")
  void phaseAndConditions(
      String situation,
      int from,
      int to,
      String pods,
      ClusterPhase phase,
      String ready,
      String reconciling,
      String stalled,
      String driverReady,
      String workersReady) {
    RSparkClusterStatus status = status(cluster(to), observed(from, pods), T1);

    assertThat(status.phase).as("phase").isEqualTo(phase);
    assertThat(status.conditions)
        .extracting(Condition::getType)
        .containsExactly(
            Conditions.READY,
            Conditions.RECONCILING,
            Conditions.STALLED,
            Conditions.DRIVER_READY,
            Conditions.WORKERS_READY);
    assertThat(reasons(status))
        .containsExactly(ready, reconciling, stalled, driverReady, workersReady);
  }

  /** Messages of typical conditions: what `kubectl describe` shows a user. */
  @ParameterizedTest(name = "{0}: {4}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          no pod yet           | 2 | 2 |                           | Ready        | moving from 0 to 2 worker(s)
          no pod yet           | 2 | 2 |                           | DriverReady  | the driver pod does not exist yet
          no pod yet           | 2 | 2 |                           | WorkersReady | 0 of 2 worker(s) ready
          no pod yet           | 2 | 2 |                           | Stalled      | the operator is making progress
          all ready            | 2 | 2 | d w0 w1                   | Ready        | driver and 2 worker(s) are ready
          all ready            | 2 | 2 | d w0 w1                   | Reconciling  | the cluster matches its spec
          all ready            | 2 | 2 | d w0 w1                   | DriverReady  | driver pod spark-driver is ready
          all ready            | 2 | 2 | d w0 w1                   | WorkersReady | 2 of 2 worker(s) ready
          single node          | 0 | 0 | d                         | Ready        | the single-node driver is ready (Spark local[*])
          single node          | 0 | 0 | d                         | WorkersReady | workers.replicas is 0: Spark runs local[*] inside the driver pod
          driver not ready     | 2 | 2 | d:running w0 w1           | Ready        | driver pod spark-driver is Running and not ready
          driver not ready     | 2 | 2 | d:running w0 w1           | Reconciling  | driver pod spark-driver is Running and not ready
          driver unscheduled   | 2 | 2 | d:nostatus w0 w1          | DriverReady  | driver pod spark-driver is Pending and not ready
          driver pull back-off | 2 | 2 | d:pullbackoff w0 w1       | DriverReady  | driver pod spark-driver is Pending (ImagePullBackOff) and not ready
          driver pull back-off | 2 | 2 | d:pullbackoff w0 w1       | Stalled      | pod spark-driver is in ImagePullBackOff
          driver terminating   | 2 | 2 | d:terminating w0 w1       | DriverReady  | driver pod spark-driver is being replaced
          driver ended         | 1 | 1 | d:failed w0               | DriverReady  | driver pod spark-driver is Failed and not ready
          worker not ready     | 2 | 2 | d w0 w1:running           | Ready        | 1 of 2 worker(s) ready
          worker crash loop    | 2 | 2 | d w0 w1:crashloop         | Stalled      | pod spark-worker-1 is in CrashLoopBackOff
          worker ended         | 2 | 2 | d w0 w1:failed            | Stalled      | pod(s) spark-worker-1 ended and are recreated after a back-off
          two workers ended    | 3 | 3 | d w0:failed w1 w2:failed  | Stalled      | pod(s) spark-worker-0, spark-worker-2 ended and are recreated after a back-off
          rolling              | 2 | 2 | d:old w0:old w1           | Ready        | 2 pod(s) wait to be replaced with the new spec
          rolling              | 2 | 2 | d:old w0:old w1           | Reconciling  | 2 pod(s) wait to be replaced with the new spec
          scale up             | 1 | 3 | d w0                      | Reconciling  | moving from 1 to 3 worker(s)
          scale down           | 3 | 1 | d w0 w1 w2                | Ready        | moving from 3 to 1 worker(s)
          """)
  void conditionMessages(
      String situation, int from, int to, String pods, String type, String message) {
    RSparkClusterStatus status = status(cluster(to), observed(from, pods == null ? "" : pods), T1);

    assertThat(condition(status, type).getMessage()).isEqualTo(message);
  }

  @Test
  void aDrainingWorkerSaysWhatTheScalingWaitsFor() {
    RSparkCluster cluster = cluster(1);
    Map<String, Pod> pods = observed(3, "d w0 w1 w2");
    ClusterModel model = ClusterModel.of(cluster, PodFixtures.IMAGE);
    PodPlan planned =
        PodPlanner.plan(
            driver(model), workers(model), pods, new PodBackoff(Duration.ofMinutes(5)), "ns/", T1);
    PodPlan held =
        new PodPlan(
            planned.creates(),
            List.of(),
            planned.retryAfter(),
            planned.backingOff(),
            planned.outdated(),
            List.of(
                new PodPlan.Draining(
                    "spark-worker-1",
                    "the Spark master still lists it alive",
                    T1.plus(Duration.ofMinutes(5))),
                new PodPlan.Draining(
                    "spark-worker-2",
                    "no fresh reading of the Spark master",
                    T1.plus(Duration.ofMinutes(4)))));

    RSparkClusterStatus status = ClusterStatusFactory.of(cluster, model, pods.values(), held, T1);

    assertThat(status.phase).isEqualTo(ClusterPhase.Scaling);
    String message =
        "moving from 3 to 1 worker(s); spark-worker-1 is decommissioning: the Spark master still"
            + " lists it alive (deleted at 2030-01-01T12:05:00Z at the latest); spark-worker-2 is"
            + " decommissioning: no fresh reading of the Spark master (deleted at"
            + " 2030-01-01T12:04:00Z at the latest)";
    for (String type : List.of(Conditions.READY, Conditions.RECONCILING)) {
      assertThat(condition(status, type).getReason()).as(type).isEqualTo("Scaling");
      assertThat(condition(status, type).getMessage()).as(type).isEqualTo(message);
    }
  }

  @ParameterizedTest(name = "{0} workers, pods {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          3 |                                            | 0 | 0 | 0
          3 | d                                          | 0 | 0 | 0
          2 | d w0 w1                                    | 2 | 2 | 2
          2 | d w0 w1:running                            | 2 | 1 | 1
          2 | d w0 w1:running w2 w3:terminating          | 3 | 2 | 1
          2 | d w0:failed w1                             | 2 | 1 | 1
          2 | d w0 w1 spark-extra spark-worker-x         | 2 | 2 | 2
          0 | d w0 w1                                    | 2 | 2 | 0
          """)
  void workerCounts(int desired, String pods, int current, int ready, int readyDesired) {
    RSparkClusterStatus status =
        status(cluster(desired), observed(4, pods == null ? "" : pods), T1);

    assertThat(status.workers).isEqualTo(new WorkersStatus(desired, current, ready));
    if (desired > 0) {
      assertThat(condition(status, Conditions.WORKERS_READY).getMessage())
          .isEqualTo(readyDesired + " of " + desired + " worker(s) ready");
      assertThat(condition(status, Conditions.WORKERS_READY).getStatus())
          .isEqualTo(readyDesired >= desired ? "True" : "False");
    }
  }

  @Test
  void endpointsOfASingleNodeCluster() {
    RSparkClusterStatus status = status(cluster(0), observed(0, "d"), T1);

    Endpoints expected = new Endpoints();
    expected.master = "local[*]";
    expected.appUi = "http://" + HOST + ":4040";
    expected.sparklyr = "sparklyr://" + HOST + ":8880/1";
    assertThat(status.endpoints).isEqualTo(expected);
    assertThat(status.endpoints.masterUi).isNull();
  }

  @Test
  void endpointsOfAClusterWithWorkers() {
    RSparkClusterStatus status = status(cluster(3), observed(3, ""), T1);

    Endpoints expected = new Endpoints();
    expected.master = "spark://" + HOST + ":7077";
    expected.masterUi = "http://" + HOST + ":8080";
    expected.appUi = "http://" + HOST + ":4040";
    expected.sparklyr = "sparklyr://" + HOST + ":8880/1";
    assertThat(status.endpoints).isEqualTo(expected);
  }

  @Test
  void sparkConnectsEndpointWhenEnabledAndNeverTheToken() {
    RSparkCluster cluster = cluster(0);
    cluster.getSpec().connect = new ConnectSpec(true);
    RSparkClusterStatus status = status(cluster, observed(0, "d"), T1);

    assertThat(status.endpoints.connect).isEqualTo("sc://" + HOST + ":15002");
    assertThat(Serialization.asYaml(status)).doesNotContain("token");
    assertThat(status(cluster(0), observed(0, "d"), T1).endpoints.connect).isNull();
  }

  @Test
  void selectorAndObservedGeneration() {
    RSparkCluster cluster = cluster(2);
    cluster.getMetadata().setGeneration(42L);
    RSparkClusterStatus status = status(cluster, observed(2, "d w0 w1"), T1);

    assertThat(status.selector).isEqualTo("rspark.io/cluster=spark,rspark.io/role=worker");
    assertThat(status.observedGeneration).isEqualTo(42L);
    assertThat(status.conditions).extracting(Condition::getObservedGeneration).containsOnly(42L);
  }

  @Test
  void sameInputsGiveAnEqualStatus() {
    Map<String, Pod> pods = observed(3, "d w0:old w1:running w2:crashloop");
    RSparkClusterStatus first = status(cluster(3), pods, T1);
    RSparkClusterStatus second = status(cluster(3), pods, T1);

    assertThat(second).isEqualTo(first).hasSameHashCodeAs(first);
  }

  @Test
  void aConvergedClusterKeepsAnEqualStatusLater() {
    RSparkCluster cluster = cluster(2);
    Map<String, Pod> pods = observed(2, "d w0 w1");
    RSparkClusterStatus first = status(cluster, pods, T1);
    cluster.setStatus(first);

    RSparkClusterStatus later = status(cluster, pods, T2.plus(Duration.ofDays(3)));
    assertThat(later).isEqualTo(first);
    assertThat(later.conditions)
        .extracting(Condition::getLastTransitionTime)
        .containsOnly("2030-01-01T12:00:00Z");
  }

  @Test
  void statusReadBackFromTheApiServerIsEqualToARecomputedOne() {
    RSparkCluster cluster = cluster(2);
    Map<String, Pod> pods = observed(2, "d w0 w1:running");
    String json = Serialization.asJson(status(cluster, pods, T1));
    RSparkClusterStatus stored = Serialization.unmarshal(json, RSparkClusterStatus.class);
    cluster.setStatus(stored);

    assertThat(status(cluster, pods, T2)).isEqualTo(stored);
  }

  @Test
  void transitionTimeMovesOnlyWhenTheStatusFlips() {
    RSparkCluster cluster = cluster(2);
    cluster.setStatus(status(cluster, observed(2, "d:running w0 w1"), T1));

    // Ready stays False for another reason: its transition time stays.
    cluster.setStatus(status(cluster, observed(2, "d w0 w1:running"), T2));
    assertThat(condition(cluster.getStatus(), Conditions.READY).getReason())
        .isEqualTo("WorkersNotReady");
    assertThat(transitionTimes(cluster.getStatus()))
        .containsExactly(
            "Ready False 2030-01-01T12:00:00Z",
            "Reconciling True 2030-01-01T12:00:00Z",
            "Stalled False 2030-01-01T12:00:00Z",
            "DriverReady True 2030-01-01T12:01:30Z",
            "WorkersReady False 2030-01-01T12:01:30Z");

    Instant t3 = T2.plusSeconds(60);
    cluster.setStatus(status(cluster, observed(2, "d w0 w1"), t3));
    assertThat(transitionTimes(cluster.getStatus()))
        .containsExactly(
            "Ready True 2030-01-01T12:02:30Z",
            "Reconciling False 2030-01-01T12:02:30Z",
            "Stalled False 2030-01-01T12:00:00Z",
            "DriverReady True 2030-01-01T12:01:30Z",
            "WorkersReady True 2030-01-01T12:02:30Z");

    Instant t4 = t3.plusSeconds(60);
    cluster.setStatus(status(cluster, observed(2, "d w0 w1:crashloop"), t4));
    assertThat(transitionTimes(cluster.getStatus()))
        .containsExactly(
            "Ready False 2030-01-01T12:03:30Z",
            "Reconciling True 2030-01-01T12:03:30Z",
            "Stalled True 2030-01-01T12:03:30Z",
            "DriverReady True 2030-01-01T12:01:30Z",
            "WorkersReady False 2030-01-01T12:03:30Z");
  }

  @Test
  void transitionTimeIsWholeSeconds() {
    RSparkClusterStatus status = status(cluster(0), observed(0, "d"), T1.plusNanos(987_654_321));

    assertThat(status.conditions)
        .extracting(Condition::getLastTransitionTime)
        .containsOnly("2030-01-01T12:00:00Z");
  }

  @Test
  void aNewGenerationIsAChangeButKeepsTransitionTimes() {
    RSparkCluster cluster = cluster(2);
    Map<String, Pod> pods = observed(2, "d w0 w1");
    RSparkClusterStatus first = status(cluster, pods, T1);
    cluster.setStatus(first);
    cluster.getMetadata().setGeneration(8L);

    RSparkClusterStatus next = status(cluster, pods, T2);
    assertThat(next).isNotEqualTo(first);
    assertThat(next.observedGeneration).isEqualTo(8L);
    assertThat(next.conditions)
        .extracting(Condition::getLastTransitionTime)
        .containsOnly("2030-01-01T12:00:00Z");
  }

  @Test
  void invalidSpecStallsAndKeepsWhatIsKnown() {
    RSparkCluster cluster = cluster(2);
    Map<String, Pod> pods = observed(2, "d w0 w1");
    RSparkClusterStatus before = status(cluster, pods, T1);
    cluster.setStatus(before);

    RSparkClusterStatus status =
        ClusterStatusFactory.invalidSpec(
            cluster, "InvalidName", "first problem; second problem", pods.values(), T2);

    assertThat(status.phase).isEqualTo(ClusterPhase.Failed);
    assertThat(reasons(status))
        .containsExactly(
            "!InvalidName", "!InvalidName", "InvalidName", "PodReady", "AllWorkersReady");
    assertThat(condition(status, Conditions.READY).getMessage())
        .isEqualTo("spec is not valid: first problem; second problem");
    assertThat(condition(status, Conditions.STALLED).getMessage())
        .isEqualTo("spec is not valid: first problem; second problem");
    assertThat(condition(status, Conditions.RECONCILING).getMessage())
        .isEqualTo("waiting for a valid spec; nothing was changed");
    assertThat(transitionTimes(status))
        .containsExactly(
            "Ready False 2030-01-01T12:01:30Z",
            "Reconciling False 2030-01-01T12:00:00Z",
            "Stalled True 2030-01-01T12:01:30Z",
            "DriverReady True 2030-01-01T12:00:00Z",
            "WorkersReady True 2030-01-01T12:00:00Z");
    assertThat(status.endpoints).isEqualTo(before.endpoints);
    assertThat(status.workers).isEqualTo(new WorkersStatus(2, 2, 2));
    assertThat(status.selector).isEqualTo(before.selector);
    assertThat(status.observedGeneration).isEqualTo(7L);

    cluster.setStatus(status);
    assertThat(
            ClusterStatusFactory.invalidSpec(
                cluster,
                "InvalidName",
                "first problem; second problem",
                pods.values(),
                T2.plusSeconds(600)))
        .isEqualTo(status);
  }

  @Test
  void invalidSpecOfANewClusterHasNoEndpoints() {
    RSparkCluster cluster = cluster(3);
    cluster.getSpec().workers = null;

    RSparkClusterStatus status =
        ClusterStatusFactory.invalidSpec(cluster, "InvalidResources", "bad", List.of(), T1);

    assertThat(status.endpoints).isNull();
    assertThat(status.workers).isEqualTo(new WorkersStatus(0, 0, 0));
    assertThat(reasons(status))
        .containsExactly(
            "!InvalidResources",
            "!InvalidResources",
            "InvalidResources",
            "!PodMissing",
            "SingleNode");
  }

  private static RSparkClusterStatus status(
      RSparkCluster cluster, Map<String, Pod> pods, Instant now) {
    ClusterModel model = ClusterModel.of(cluster, PodFixtures.IMAGE);
    PodPlan plan =
        PodPlanner.plan(
            driver(model), workers(model), pods, new PodBackoff(Duration.ofMinutes(5)), "ns/", now);
    return ClusterStatusFactory.of(cluster, model, pods.values(), plan, now);
  }

  private static Condition condition(RSparkClusterStatus status, String type) {
    Optional<Condition> found =
        status.conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    assertThat(found).as("condition %s", type).isPresent();
    return found.get();
  }

  private static List<String> reasons(RSparkClusterStatus status) {
    return status.conditions.stream()
        .map(c -> ("True".equals(c.getStatus()) ? "" : "!") + c.getReason())
        .toList();
  }

  private static List<String> transitionTimes(RSparkClusterStatus status) {
    return status.conditions.stream()
        .map(c -> c.getType() + " " + c.getStatus() + " " + c.getLastTransitionTime())
        .toList();
  }
}

package io.rspark.operator.reconcile;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.rspark.operator.api.AutoscalingSpec;
import io.rspark.operator.api.RSparkCluster;
import io.rspark.operator.api.RSparkClusterStatus;
import io.rspark.operator.testing.MutableClock;
import io.rspark.operator.testing.PodFixtures;
import io.rspark.operator.testing.TestingSparkClient;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * What a step test needs: a clock, a Spark that answers what the test sets, the steps' writer and
 * Events recorded instead of sent, and a reconciliation of a cluster with the pods given.
 */
final class StepFixtures {
  static final Duration POLL = Duration.ofSeconds(10);
  static final String DRIVER_IP = "10.0.0.1";
  static final URI MASTER_UI = URI.create("http://" + DRIVER_IP + ":8080");
  static final URI BRIDGE = URI.create("http://" + DRIVER_IP + ":8899");

  final MutableClock clock = new MutableClock();
  final TestingSparkClient sparkClient = new TestingSparkClient();
  final SparkObserver spark = new SparkObserver(sparkClient, clock, Duration.ofSeconds(30));
  final RecordingObjectWriter writer = new RecordingObjectWriter();
  final RecordingEvents events = new RecordingEvents();

  Reconciliation reconciliation(RSparkCluster cluster, Collection<Pod> pods) {
    return new Reconciliation(
        cluster, ObservedObjects.ofPods(List.copyOf(pods)), writer, events, clock.instant());
  }

  Reconciliation reconciliation(RSparkCluster cluster, ObservedObjects observed) {
    return new Reconciliation(cluster, observed, writer, events, clock.instant());
  }

  /** Pods in {@link PodFixtures}' notation, the driver and worker N at 10.0.0.(1 and N+2). */
  static List<Pod> pods(int renderedFor, String notation) {
    List<Pod> pods = new ArrayList<>();
    for (Pod pod : PodFixtures.observed(renderedFor, notation).values()) {
      String name = pod.getMetadata().getName();
      String ip =
          name.endsWith("-driver")
              ? DRIVER_IP
              : "10.0.0." + (Integer.parseInt(name.substring(name.lastIndexOf('-') + 1)) + 2);
      pods.add(
          pod.getStatus() == null
              ? pod
              : new PodBuilder(pod).editStatus().withPodIP(ip).endStatus().build());
    }
    return pods;
  }

  static Condition condition(RSparkClusterStatus status, String type) {
    return status.conditions.stream()
        .filter(c -> c.getType().equals(type))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no condition " + type + " in " + status.conditions));
  }

  /** The status the reconcile writes; fails when it writes none. */
  static RSparkClusterStatus patchedStatus(Reconciliation r) {
    var control = r.outcome(Optional.empty());
    if (!control.isPatchStatus()) {
      throw new AssertionError("the reconcile writes no status");
    }
    return control.getResource().orElseThrow().getStatus();
  }

  static RSparkCluster autoscaled(int replicas, int min, int max) {
    RSparkCluster cluster = PodFixtures.cluster(replicas);
    cluster.getSpec().workers.autoscaling = new AutoscalingSpec();
    cluster.getSpec().workers.autoscaling.minReplicas = min;
    cluster.getSpec().workers.autoscaling.maxReplicas = max;
    return cluster;
  }
}

package io.rspark.operator.testing;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.rspark.operator.api.RSparkCluster;
import io.rspark.operator.resources.ClusterModel;
import io.rspark.operator.resources.PodFactory;
import io.rspark.operator.resources.SpecHash;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Desired pods from the real factories and "observed" pods made from them, written in a short
 * notation so that test tables stay readable.
 *
 * <p>Pods are named by abbreviation: {@code d} is the driver ({@code spark-driver}), {@code wN} the
 * worker of ordinal N ({@code spark-worker-N}); any other token is taken as a literal pod name. An
 * observed pod is written {@code name:flag,flag}, flags being
 *
 * <ul>
 *   <li>{@code nostatus}: no status at all (just created); {@code pending}: phase Pending;
 *   <li>{@code running}: Running but not ready; {@code ready}: Running and Ready;
 *   <li>{@code failed} / {@code succeeded}: the pod ended;
 *   <li>{@code creating}, {@code crashloop}, {@code pullbackoff}, {@code configerror}: the
 *       container waits with ContainerCreating, CrashLoopBackOff, ImagePullBackOff,
 *       CreateContainerConfigError;
 *   <li>{@code terminating}: deletionTimestamp set; {@code old}: another spec-hash (outdated);
 *       {@code nohash}: no spec-hash annotation at all.
 * </ul>
 *
 * A pod without a phase flag is {@code ready}.
 */
public final class PodFixtures {
  public static final String NAMESPACE = "ns";
  public static final String CLUSTER = "spark";
  public static final String IMAGE = "img:1";
  public static final String SECRET_UID = "secret-uid";
  public static final String DELETED_AT = "2030-01-01T00:00:00Z";

  private PodFixtures() {}

  public static RSparkCluster cluster(int workers) {
    RSparkCluster c = TestClusters.cluster(CLUSTER, workers);
    c.getMetadata().setNamespace(NAMESPACE);
    c.getMetadata().setUid("cluster-uid");
    c.getMetadata().setGeneration(7L);
    return c;
  }

  public static ClusterModel model(int workers) {
    return ClusterModel.of(cluster(workers), IMAGE);
  }

  public static Pod driver(ClusterModel model) {
    return PodFactory.driver(model, SECRET_UID);
  }

  public static List<Pod> workers(ClusterModel model) {
    return IntStream.range(0, model.workers())
        .mapToObj(i -> PodFactory.worker(model, i, SECRET_UID))
        .toList();
  }

  public static String podName(String token) {
    if (token.equals("d")) {
      return CLUSTER + "-driver";
    }
    if (token.matches("w[0-9]+")) {
      return CLUSTER + "-worker-" + token.substring(1);
    }
    return token;
  }

  public static String abbreviation(String podName) {
    if (podName.equals(CLUSTER + "-driver")) {
      return "d";
    }
    if (podName.matches(CLUSTER + "-worker-[0-9]+")) {
      return "w" + podName.substring((CLUSTER + "-worker-").length());
    }
    return podName;
  }

  /**
   * Observed pods, by name and in the order written, rendered as the operator rendered them for a
   * cluster of {@code renderedFor} workers, then given the state their flags say.
   */
  public static Map<String, Pod> observed(int renderedFor, String notation) {
    ClusterModel model = model(Math.max(renderedFor, 1));
    ClusterModel rendering = model(renderedFor);
    Map<String, Pod> pods = new LinkedHashMap<>();
    if (notation.isBlank()) {
      return pods;
    }
    for (String entry : notation.trim().split("\\s+")) {
      String[] parts = entry.split(":", 2);
      String name = podName(parts[0]);
      List<String> flags = parts.length == 1 ? List.of() : Arrays.asList(parts[1].split(","));
      Pod base;
      if (parts[0].equals("d")) {
        base = driver(rendering);
      } else if (parts[0].matches("w[0-9]+")) {
        base = PodFactory.worker(model, Integer.parseInt(parts[0].substring(1)), SECRET_UID);
      } else {
        base = PodFactory.worker(model, 0, SECRET_UID);
      }
      pods.put(name, observe(base, name, flags));
    }
    return pods;
  }

  /** A copy of {@code desired} named {@code name}, in the state {@code flags} say. */
  public static Pod observe(Pod desired, String name, List<String> flags) {
    Pod pod = new PodBuilder(desired).editMetadata().withName(name).endMetadata().build();
    pod.getMetadata().setAnnotations(new LinkedHashMap<>(desired.getMetadata().getAnnotations()));
    pod.getMetadata().setUid("uid-" + name);
    List<String> unknown = new ArrayList<>(flags);
    if (flags.contains("old")) {
      pod.getMetadata().getAnnotations().put(SpecHash.ANNOTATION, "0ld0ld0ld0ld0ld0");
    }
    if (flags.contains("nohash")) {
      pod.getMetadata().getAnnotations().remove(SpecHash.ANNOTATION);
    }
    if (flags.contains("terminating")) {
      pod.getMetadata().setDeletionTimestamp(DELETED_AT);
    }
    pod.setStatus(status(flags));
    unknown.removeAll(
        List.of(
            "old",
            "nohash",
            "terminating",
            "nostatus",
            "pending",
            "running",
            "ready",
            "failed",
            "succeeded",
            "creating",
            "crashloop",
            "pullbackoff",
            "configerror"));
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("unknown flags " + unknown);
    }
    return pod;
  }

  private static PodStatus status(List<String> flags) {
    if (flags.contains("nostatus")) {
      return null;
    }
    String waiting = null;
    String phase = "Running";
    boolean ready = true;
    if (flags.contains("pending")) {
      phase = "Pending";
      ready = false;
    }
    if (flags.contains("running")) {
      ready = false;
    }
    if (flags.contains("failed")) {
      phase = "Failed";
      ready = false;
    }
    if (flags.contains("succeeded")) {
      phase = "Succeeded";
      ready = false;
    }
    if (flags.contains("creating")) {
      phase = "Pending";
      ready = false;
      waiting = "ContainerCreating";
    }
    if (flags.contains("crashloop")) {
      ready = false;
      waiting = "CrashLoopBackOff";
    }
    if (flags.contains("pullbackoff")) {
      phase = "Pending";
      ready = false;
      waiting = "ImagePullBackOff";
    }
    if (flags.contains("configerror")) {
      phase = "Pending";
      ready = false;
      waiting = "CreateContainerConfigError";
    }
    PodStatusBuilder status =
        new PodStatusBuilder()
            .withPhase(phase)
            .addNewCondition()
            .withType("Ready")
            .withStatus(ready ? "True" : "False")
            .endCondition();
    if (waiting != null) {
      status
          .addNewContainerStatus()
          .withName("spark")
          .withReady(false)
          .withRestartCount(3)
          .withNewState()
          .withNewWaiting()
          .withReason(waiting)
          .withMessage("waiting: " + waiting)
          .endWaiting()
          .endState()
          .endContainerStatus();
    }
    return status.build();
  }

  /** Names in the notation, in order. */
  public static String names(List<Pod> pods) {
    return pods.stream()
        .map(p -> abbreviation(p.getMetadata().getName()))
        .collect(Collectors.joining(" "));
  }
}

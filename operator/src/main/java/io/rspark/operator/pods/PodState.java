package io.rspark.operator.pods;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Optional;

/** Readings of an observed pod, as the kubelet reported them. */
public final class PodState {
  private PodState() {}

  public static boolean isTerminating(Pod pod) {
    return pod.getMetadata().getDeletionTimestamp() != null;
  }

  /** A Spark daemon never exits on its own: a pod that ended is a failure either way. */
  public static boolean hasEnded(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return "Failed".equals(phase) || "Succeeded".equals(phase);
  }

  public static boolean isReady(Pod pod) {
    return pod.getStatus() != null
        && pod.getStatus().getConditions() != null
        && !isTerminating(pod)
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  public static String phase(Pod pod) {
    return pod.getStatus() == null || pod.getStatus().getPhase() == null
        ? "Pending"
        : pod.getStatus().getPhase();
  }

  /**
   * Why the pod's container is not running, when the kubelet says (CrashLoopBackOff,
   * ImagePullBackOff, ErrImagePull, CreateContainerConfigError, ...).
   */
  public static Optional<String> waitingReason(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
      return Optional.empty();
    }
    return pod.getStatus().getContainerStatuses().stream()
        .map(ContainerStatus::getState)
        .filter(s -> s != null && s.getWaiting() != null && s.getWaiting().getReason() != null)
        .map(s -> s.getWaiting().getReason())
        .filter(r -> !r.equals("ContainerCreating") && !r.equals("PodInitializing"))
        .findFirst();
  }
}

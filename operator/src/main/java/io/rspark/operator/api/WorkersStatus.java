package io.rspark.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;
import java.util.Objects;

/** Worker pod counts as observed. */
public class WorkersStatus {
  @JsonPropertyDescription("Worker pods asked for (spec.workers.replicas).")
  public int desired;

  @JsonPropertyDescription("Worker pods that exist and are not being deleted.")
  @StatusReplicas
  public int current;

  @JsonPropertyDescription("Worker pods that are ready.")
  public int ready;

  public WorkersStatus() {}

  public WorkersStatus(int desired, int current, int ready) {
    this.desired = desired;
    this.current = current;
    this.ready = ready;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WorkersStatus w
        && desired == w.desired
        && current == w.current
        && ready == w.ready;
  }

  @Override
  public int hashCode() {
    return Objects.hash(desired, current, ready);
  }
}

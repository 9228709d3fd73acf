package io.rspark.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.model.annotation.LabelSelector;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** What the operator observed; written only when it changes. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RSparkClusterStatus {
  @JsonPropertyDescription(
      "Lifecycle phase: Pending, Starting, Running, Scaling, Updating or Failed. Conditions say why.")
  public ClusterPhase phase;

  @JsonPropertyDescription("The metadata.generation of the spec this status describes.")
  public Long observedGeneration;

  @JsonPropertyDescription(
      "Ready, Reconciling, Stalled, DriverReady and WorkersReady, with reasons. 'kubectl wait"
          + " --for=condition=Ready' waits on the first.")
  public List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("Worker pod counts.")
  public WorkersStatus workers = new WorkersStatus();

  @JsonPropertyDescription(
      "With scheduler: kubernetes, the executor pods Spark's Kubernetes backend created.")
  public ExecutorsStatus executors;

  @JsonPropertyDescription("Label selector of the worker pods, for the scale subresource.")
  @LabelSelector
  public String selector;

  @JsonPropertyDescription("Where to reach the cluster from inside Kubernetes.")
  public Endpoints endpoints;

  @Override
  public boolean equals(Object o) {
    return o instanceof RSparkClusterStatus s
        && phase == s.phase
        && Objects.equals(observedGeneration, s.observedGeneration)
        && Objects.equals(conditions, s.conditions)
        && Objects.equals(workers, s.workers)
        && Objects.equals(executors, s.executors)
        && Objects.equals(selector, s.selector)
        && Objects.equals(endpoints, s.endpoints);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        phase, observedGeneration, conditions, workers, executors, selector, endpoints);
  }
}

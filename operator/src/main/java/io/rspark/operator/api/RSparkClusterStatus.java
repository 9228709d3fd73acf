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
      "Lifecycle phase: Pending, Starting, Running, Scaling, Updating, Suspended or Failed. Conditions say why.")
  public ClusterPhase phase;

  @JsonPropertyDescription("The metadata.generation of the spec this status describes.")
  public Long observedGeneration;

  @JsonPropertyDescription(
      "Ready, Reconciling, Stalled, DriverReady, WorkersReady and Suspended, with reasons:"
          + " Kubernetes Conditions (meta/v1 Condition: type, status, reason, message,"
          + " lastTransitionTime, observedGeneration). 'kubectl wait --for=condition=Ready' waits on"
          + " the first.")
  public List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription(
      "The Spark line the operator runs the cluster's pods with: spec.sparkVersion, or the"
          + " operator's default line when the spec names none. While a change of line rolls"
          + " out, the new one.")
  public SparkVersion sparkVersion;

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

  @JsonPropertyDescription(
      "Last moment the driver reported activity (an R request, a Spark job starting or ending) or"
          + " the pods were (re)started, RFC 3339; idle auto-termination counts from here.")
  public String lastActivityTime;

  @JsonPropertyDescription("What the autoscaler decided and why; set while autoscaling is on.")
  public AutoscalingStatus autoscaling;

  @JsonPropertyDescription(
      "The metadata.generation at which the cluster was stopped for being idle; the pods come"
          + " back as soon as the spec changes (a higher generation).")
  public Long idleSuspendedGeneration;

  @Override
  public boolean equals(Object o) {
    return o instanceof RSparkClusterStatus s
        && phase == s.phase
        && Objects.equals(observedGeneration, s.observedGeneration)
        && sparkVersion == s.sparkVersion
        && Objects.equals(conditions, s.conditions)
        && Objects.equals(workers, s.workers)
        && Objects.equals(executors, s.executors)
        && Objects.equals(selector, s.selector)
        && Objects.equals(endpoints, s.endpoints)
        && Objects.equals(lastActivityTime, s.lastActivityTime)
        && Objects.equals(autoscaling, s.autoscaling)
        && Objects.equals(idleSuspendedGeneration, s.idleSuspendedGeneration);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        phase,
        observedGeneration,
        sparkVersion,
        conditions,
        workers,
        executors,
        selector,
        endpoints,
        lastActivityTime,
        autoscaling,
        idleSuspendedGeneration);
  }
}

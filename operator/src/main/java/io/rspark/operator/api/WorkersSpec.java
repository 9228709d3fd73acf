package io.rspark.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;

/** The worker pods: each runs a Spark standalone worker whose executors run R. */
public class WorkersSpec {
  public static final int MAX_REPLICAS = 1000;

  @JsonPropertyDescription(
      "Number of worker pods. 0 runs a single-node cluster: Spark local[*] inside the driver pod."
          + " This is the field 'kubectl scale rsc/NAME --replicas=N' changes. Not read while"
          + " autoscaling is set: then status.autoscaling.desired is the count.")
  @Min(0)
  @Max(MAX_REPLICAS)
  @SpecReplicas
  public int replicas;

  @JsonPropertyDescription(
      "Let the operator choose the worker count between minReplicas and maxReplicas: more when"
          + " work waits for cores, fewer when workers run no executor for scaleDownDelay. The"
          + " decision is in status.autoscaling; spec.workers.replicas is left as it is.")
  @ValidationRule(
      value = "self.minReplicas <= self.maxReplicas",
      message = "autoscaling.minReplicas must not exceed autoscaling.maxReplicas")
  @ValidationRule(
      value = "!has(self.scaleDownDelay) || self.scaleDownDelay != ''",
      message = "autoscaling.scaleDownDelay must not be empty (e.g. 10m)")
  public AutoscalingSpec autoscaling;

  @JsonPropertyDescription(
      "CPU and memory of each worker container. Defaults to 1 CPU and 2Gi of memory.")
  public ComputeResources resources;
}

package io.rspark.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;

/** The worker pods: each runs a Spark standalone worker whose executors run R. */
public class WorkersSpec {
  public static final int MAX_REPLICAS = 1000;

  @JsonPropertyDescription(
      "Number of worker pods. 0 runs a single-node cluster: Spark local[*] inside the driver pod."
          + " This is the field 'kubectl scale rsc/NAME --replicas=N' changes.")
  @Min(0)
  @Max(MAX_REPLICAS)
  @SpecReplicas
  public int replicas;

  @JsonPropertyDescription(
      "CPU and memory of each worker container. Defaults to 1 CPU and 2Gi of memory.")
  public ComputeResources resources;
}

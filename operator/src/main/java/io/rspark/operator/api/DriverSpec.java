package io.rspark.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The driver pod: Spark master (when there are workers), the R bridge and attached R sessions. */
public class DriverSpec {
  @JsonPropertyDescription(
      "CPU and memory of the driver container. Defaults to 1 CPU and 2Gi of memory.")
  public ComputeResources resources;
}

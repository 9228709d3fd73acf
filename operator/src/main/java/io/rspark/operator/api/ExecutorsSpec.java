package io.rspark.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * The executor pods Spark's Kubernetes backend creates with {@code scheduler: kubernetes}: how many
 * dynamic allocation may keep, their size, and when an idle one is given back.
 */
@ValidationRule(
    value =
        "!has(self.minExecutors) || !has(self.maxExecutors) || self.minExecutors <= self.maxExecutors",
    message = "executors.minExecutors must not be above executors.maxExecutors")
public class ExecutorsSpec {
  public static final int DEFAULT_MAX_EXECUTORS = 10;
  public static final String DEFAULT_IDLE_TIMEOUT = "60s";

  @JsonPropertyDescription(
      "Executor pods kept even when idle (spark.dynamicAllocation.minExecutors). Default 0: an idle"
          + " cluster is only its driver pod.")
  @Min(0)
  @Max(WorkersSpec.MAX_REPLICAS)
  public Integer minExecutors;

  @JsonPropertyDescription(
      "Most executor pods Spark asks for at once (spark.dynamicAllocation.maxExecutors). Default "
          + DEFAULT_MAX_EXECUTORS
          + ". A ResourceQuota on the namespace caps them too: Spark retries pods the quota refuses.")
  @Min(1)
  @Max(WorkersSpec.MAX_REPLICAS)
  public Integer maxExecutors;

  @JsonPropertyDescription(
      "CPU and memory of each executor pod. Defaults to 1 CPU and 2Gi of memory.")
  public ComputeResources resources;

  @JsonPropertyDescription(
      "How long an executor without work and without cached data stays before Spark deletes its"
          + " pod (spark.dynamicAllocation.executorIdleTimeout), e.g. 60s, 5m, 1h. Default "
          + DEFAULT_IDLE_TIMEOUT
          + ".")
  @Pattern(Patterns.SPARK_TIME)
  @Size(max = 16)
  public String idleTimeout;
}

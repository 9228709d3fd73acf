package io.rspark.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/**
 * CPU and memory of a container. Memory is both request and limit (a JVM must not be evicted for
 * memory it was promised); CPU is the request, with an optional limit.
 */
public class ComputeResources {
  @JsonPropertyDescription(
      "CPU request, a Kubernetes quantity such as \"2\" or \"500m\". Spark gets ceil(cpu) cores.")
  @Pattern(Patterns.CPU_QUANTITY)
  @Size(max = 32)
  public String cpu;

  @JsonPropertyDescription(
      "CPU limit, a Kubernetes quantity; unset means no limit. Must not be below cpu.")
  @Pattern(Patterns.CPU_QUANTITY)
  @Size(max = 32)
  public String cpuLimit;

  @JsonPropertyDescription(
      "Memory request and limit, a Kubernetes quantity such as \"4Gi\" or \"1536Mi\"; at least 1Gi.")
  @Pattern(Patterns.MEMORY_QUANTITY)
  @Size(max = 32)
  public String memory;

  public ComputeResources() {}

  public ComputeResources(String cpu, String memory) {
    this.cpu = cpu;
    this.memory = memory;
  }
}

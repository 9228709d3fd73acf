package io.rspark.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Quantity;

/**
 * CPU and memory of a container. Memory is both request and limit (a JVM must not be evicted for
 * memory it was promised); CPU is the request, with an optional limit.
 *
 * <p>The fields are Kubernetes quantities, int-or-string in the schema as in a pod's resources, so
 * {@code cpu: 2} and {@code memory: 4294967296} are accepted as {@code "2"} and {@code 4Gi} are.
 * Patterns and lengths apply to strings; integers get their own bounds. Jackson writes a {@link
 * Quantity} back as a string ({@code 2} becomes {@code "2"}); the operator never writes the spec
 * (it patches only the status subresource), so a GitOps tool sees the user's own text.
 */
public class ComputeResources {
  /** 1Gi in bytes: the least memory a Spark JVM with R beside it gets (SpecValidator too). */
  static final String MIN_MEMORY_BYTES = "1073741824";

  @JsonPropertyDescription(
      "CPU request, a Kubernetes quantity such as 2, \"2\" or \"500m\". Spark gets ceil(cpu)"
          + " cores.")
  @Pattern(Patterns.CPU_QUANTITY)
  @Size(max = 32)
  @Min(0)
  public Quantity cpu;

  @JsonPropertyDescription(
      "CPU limit, a Kubernetes quantity; unset means no limit. Must not be below cpu.")
  @Pattern(Patterns.CPU_QUANTITY)
  @Size(max = 32)
  @Min(0)
  public Quantity cpuLimit;

  @JsonPropertyDescription(
      "Memory request and limit, a Kubernetes quantity such as \"4Gi\" or \"1536Mi\", or a number"
          + " of bytes; at least 1Gi.")
  @Pattern(Patterns.MEMORY_QUANTITY)
  @Size(max = 32)
  @ValidationRule(
      value = "type(self) == string || self >= " + MIN_MEMORY_BYTES,
      message =
          "memory as a plain number counts bytes and must be at least "
              + MIN_MEMORY_BYTES
              + " (1Gi); write a unit, such as 4Gi")
  public Quantity memory;

  public ComputeResources() {}

  /** Both quantities as a user writes them in YAML, {@code null} for unset. */
  public ComputeResources(String cpu, String memory) {
    this.cpu = cpu == null ? null : new Quantity(cpu);
    this.memory = memory == null ? null : new Quantity(memory);
  }
}

package io.rspark.operator.spark;

import io.fabric8.kubernetes.api.model.Quantity;
import io.rspark.operator.api.ComputeResources;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * CPU and memory of one container and what Spark gets of it. Spark's executor heap gets 60% of the
 * container's memory: the rest is for the worker daemon JVM, JVM overhead and, above all, the R
 * processes that run beside the executor (SparkR daemons, sparklyr workers).
 */
public record ContainerSizing(String cpu, String cpuLimit, String memory) {
  public static final String DEFAULT_CPU = "1";
  public static final String DEFAULT_MEMORY = "2Gi";

  /** Spark refuses executors below 450 MiB of heap; 60% of 1 GiB is just above that. */
  public static final long MIN_MEMORY_MIB = 1024;

  private static final BigDecimal MIB = BigDecimal.valueOf(1024L * 1024L);

  /** The sizing asked for, with defaults for what is not set. */
  public static ContainerSizing of(ComputeResources resources) {
    ComputeResources r = resources == null ? new ComputeResources() : resources;
    // Quantity.toString is the quantity as Kubernetes writes it: a YAML integer 2 becomes "2".
    return new ContainerSizing(
        r.cpu == null ? DEFAULT_CPU : r.cpu.toString(),
        r.cpuLimit == null ? null : r.cpuLimit.toString(),
        r.memory == null ? DEFAULT_MEMORY : r.memory.toString());
  }

  public long memoryMib() {
    return Quantity.getAmountInBytes(new Quantity(memory))
        .divide(MIB, 0, RoundingMode.FLOOR)
        .longValueExact();
  }

  /** Cores Spark may use: the CPU request rounded up, at least one. */
  public int sparkCores() {
    BigDecimal cores = Quantity.getAmountInBytes(new Quantity(cpu));
    return Math.max(1, cores.setScale(0, RoundingMode.CEILING).intValueExact());
  }

  /** Executor heap, in MiB: what a worker offers (SPARK_WORKER_MEMORY). */
  public long executorMemoryMib() {
    return memoryMib() * 6 / 10;
  }
}

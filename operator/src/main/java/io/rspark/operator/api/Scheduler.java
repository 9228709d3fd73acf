package io.rspark.operator.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Who starts Spark executors: the cluster's own standalone master, or Kubernetes. */
public enum Scheduler {
  /** A Spark standalone master in the driver pod; executors run in the operator's worker pods. */
  @JsonProperty("standalone")
  STANDALONE,
  /**
   * Spark's Kubernetes backend in the driver pod creates executor pods itself, from a template the
   * operator writes, and gives them back when they go idle (dynamic allocation).
   */
  @JsonProperty("kubernetes")
  KUBERNETES;

  /** The value as written in the spec. */
  public String value() {
    return this == STANDALONE ? "standalone" : "kubernetes";
  }

  /** The mode of a spec, whose field may be absent (the CRD defaults it to standalone). */
  public static Scheduler of(RSparkClusterSpec spec) {
    return spec.scheduler == null ? STANDALONE : spec.scheduler;
  }
}

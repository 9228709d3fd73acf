package io.rspark.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** Bounds and pace of worker autoscaling; the operator decides the count in between. */
public class AutoscalingSpec {
  /** The scale-down delay when none is given. */
  public static final String DEFAULT_SCALE_DOWN_DELAY = "10m";

  @JsonPropertyDescription(
      "Fewest worker pods (at least 1: an autoscaled cluster always runs a standalone master).")
  @Required
  @Min(1)
  @Max(WorkersSpec.MAX_REPLICAS)
  public Integer minReplicas;

  @JsonPropertyDescription(
      "Most worker pods; work waiting for cores never grows the cluster beyond.")
  @Required
  @Min(1)
  @Max(WorkersSpec.MAX_REPLICAS)
  public Integer maxReplicas;

  @JsonPropertyDescription(
      "How long a worker must run no executor before it is decommissioned and removed, and how"
          + " long after growing the cluster no worker is removed: a number with s, m or h, e.g."
          + " \"90s\", \"10m\", \"1h30m\". Default 10m.")
  @Pattern(Patterns.DURATION)
  @Size(max = 16)
  public String scaleDownDelay;

  public AutoscalingSpec() {}

  public AutoscalingSpec(int minReplicas, int maxReplicas, String scaleDownDelay) {
    this.minReplicas = minReplicas;
    this.maxReplicas = maxReplicas;
    this.scaleDownDelay = scaleDownDelay;
  }
}

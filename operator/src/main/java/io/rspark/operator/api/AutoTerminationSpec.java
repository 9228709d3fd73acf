package io.rspark.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** Stopping a cluster nobody uses. */
public class AutoTerminationSpec {
  @JsonPropertyDescription(
      "Minutes without a Spark job and without an attached R session after which the operator"
          + " removes the cluster's pods (condition Suspended, reason Idle). The resource, its"
          + " Secret, ConfigMap and Service stay; any spec change brings the pods back.")
  @Required
  @Min(1)
  @Max(43200)
  public Integer idleMinutes;

  public AutoTerminationSpec() {}

  public AutoTerminationSpec(int idleMinutes) {
    this.idleMinutes = idleMinutes;
  }
}

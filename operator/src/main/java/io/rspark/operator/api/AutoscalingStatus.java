package io.rspark.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** The autoscaler's last decision, kept in status so that spec stays the user's (and GitOps'). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AutoscalingStatus {
  @JsonPropertyDescription(
      "Worker pods the autoscaler decided on, within spec.workers.autoscaling's bounds;"
          + " spec.workers.replicas is not read while autoscaling is on.")
  public int desired;

  @JsonPropertyDescription(
      "Why: ScaledUp, ScaledDown, Steady, WaitingForWorkers, ScaleDownDelay, Bounds or"
          + " SparkUnreadable (no scale-down without fresh data from the master and the driver).")
  public String reason;

  @JsonPropertyDescription("The decision in words.")
  public String message;

  @JsonPropertyDescription(
      "When the autoscaler last changed the worker count (RFC 3339); no worker is removed within"
          + " scaleDownDelay after it grew the cluster.")
  public String lastScaleTime;

  public AutoscalingStatus() {}

  public AutoscalingStatus(int desired, String reason, String message, String lastScaleTime) {
    this.desired = desired;
    this.reason = reason;
    this.message = message;
    this.lastScaleTime = lastScaleTime;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AutoscalingStatus a
        && desired == a.desired
        && Objects.equals(reason, a.reason)
        && Objects.equals(message, a.message)
        && Objects.equals(lastScaleTime, a.lastScaleTime);
  }

  @Override
  public int hashCode() {
    return Objects.hash(desired, reason, message, lastScaleTime);
  }
}

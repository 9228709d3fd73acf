package io.rspark.operator.config;

import java.util.Map;

/**
 * The operator's own pods as a cluster's NetworkPolicy admits them to the driver's master UI and
 * bridge, which the operator reads for autoscaling, idle stop and decommission.
 *
 * @param podLabels labels of the operator's pods
 * @param namespace their namespace; empty admits pods with those labels from any namespace
 */
public record OperatorPeer(Map<String, String> podLabels, String namespace) {
  public OperatorPeer {
    podLabels = Map.copyOf(podLabels);
  }
}
